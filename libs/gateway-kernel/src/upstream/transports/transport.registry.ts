import type { UpstreamProtocol } from '../../config';
import { grpcTransport } from './grpc.transport';
import { httpTransport } from './http.transport';
import type { UpstreamTransport } from './upstream-transport';

/** One transport per protocol config accepts: a protocol added to UPSTREAM_PROTOCOLS does not compile until it is registered here. */
const TRANSPORTS: Record<UpstreamProtocol, UpstreamTransport> = {
  http: httpTransport,
  grpc: grpcTransport,
};

/**
 * The transport of an upstream's `protocol`.
 *
 * @example const transport = transportFor(config.protocol);
 */
export function transportFor(protocol: UpstreamProtocol): UpstreamTransport {
  return TRANSPORTS[protocol];
}
