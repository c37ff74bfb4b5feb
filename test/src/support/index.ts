export * from './bffs';
export * from './clients';
export * from './config-file';
export { freePort } from '@gateway/kernel/testing';
export * from './log-lines';
export * from './managed-process';
export * from './sims';
