export * from '../pipeline';
export { UpstreamClient } from './upstream-client';
export { UpstreamRegistry } from './upstream.registry';
export { UpstreamModule } from './upstream.module';
export { DEADLINE_HEADER } from './deadline.middleware';
export type { UpstreamCallHints, CallConfig, RpcCallOptions } from './upstream-request.builder';
export { RpcStream } from './rpc-stream';
export type { RpcMethod } from './transports/grpc/grpc-contract';
export { UpstreamStateHealth } from './upstream-state.health';
