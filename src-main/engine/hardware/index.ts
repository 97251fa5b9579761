export * from './spec';
export * from './presets';
export * from './costs';
export * from './topology';
export * from './components';
export * from './action-costs';
export * from './mnsim-config';
export * from './power-policy';
