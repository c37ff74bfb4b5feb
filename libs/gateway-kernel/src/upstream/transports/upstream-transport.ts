import type { UpstreamConfig } from '../../config';
import type { InstanceTransport, UpstreamCall } from '../../pipeline/upstream-call';

/**
 * How one protocol reaches an upstream: the state of each instance (its
 * pool or channel), made once at start, and the pipeline's last stage, which
 * sends each request on the instance balancing chose. Every stage before it
 * (deadline, retry, balancing, outlier, breaker, cache, coalescing) is the
 * same whatever the protocol.
 *
 * @example const transport = transportFor(config.protocol); const stage = transport.lastStage('catalog', config);
 */
export interface UpstreamTransport<State extends InstanceTransport = InstanceTransport> {
  /** One instance's connections, at start; `origin` is `scheme://host:port`. */
  connect(origin: string, config: UpstreamConfig): State;
  /**
   * The last stage for an upstream whose instances this transport connected.
   * Failures are thrown as GatewayErrors; one that happened on this side
   * before the request reached the upstream (invalid request, local body
   * error) as a LocalCallError, so breakers and outlier detection leave it out.
   */
  lastStage(upstream: string, config: UpstreamConfig): UpstreamCall;
}
