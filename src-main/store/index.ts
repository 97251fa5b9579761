export { openDatabase, migrate, schemaVersion, ProjectFileError, type OpenOptions } from './database';
export { storageProblem } from './storage-errors';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations';
export { Workspace, type ProjectInfo } from './workspace';
export { makeDirs } from './make-dirs';
export * from './runs';
export * from './project';
