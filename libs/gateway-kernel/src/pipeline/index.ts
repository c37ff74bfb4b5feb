// The upstream call pipeline's shared vocabulary: what every stage (upstream/,
// resilience/, caching/) passes along, and nothing that knows a protocol.
export * from './upstream-call';
export { CallCancelledError } from './call-cancelled.error';
export { LocalCallError } from './local-call.error';
export { toGatewayError, statusToGatewayError } from './upstream-error.mapper';
export { BufferedBody } from './buffered-body';
export { DecodedBody } from './decoded-body';
export { UpstreamStatusError } from './upstream-status.error';
