export * from '../pipeline';
export { UpstreamClient } from './upstream-client';
export { UpstreamRegistry } from './upstream.registry';
export { UpstreamModule } from './upstream.module';
export { DEADLINE_HEADER } from './deadline.middleware';
export type { UpstreamCallHints, CallConfig } from './upstream-request.builder';
export { UpstreamStateHealth } from './upstream-state.health';
