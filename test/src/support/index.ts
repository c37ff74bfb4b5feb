export * from './bffs';
export * from './clients';
export * from './config-file';
export * from './free-port';
export * from './log-lines';
export * from './managed-process';
export * from './sims';
export * from './promtool';
