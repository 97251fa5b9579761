import { version } from '../../package.json';

/** Retile's version, stored with every run so any figure can be traced to the code that made it. */
export const RETILE_VERSION: string = version;
