export * from './spec';
export * from './presets';
export * from './costs';
export * from './topology';
