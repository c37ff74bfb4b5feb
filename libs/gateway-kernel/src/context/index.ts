export * from './request-context';
export * from './call-signal';
