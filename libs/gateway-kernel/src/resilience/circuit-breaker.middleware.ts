import { outcomeOfError, outcomeOfResponse } from '../pipeline/call-outcome';
import type { UpstreamMiddleware } from '../pipeline/upstream-call';

/**
 * Runs each call through the breaker of the instance balancing chose: an open
 * breaker answers 503 at once; every answer is counted toward opening it.
 *
 * @example config.breaker.enabled ? circuitBreakerMiddleware() : undefined // after balancing
 */
export function circuitBreakerMiddleware(): UpstreamMiddleware {
  return (next) => (request) => {
    const breaker = request.instance?.breaker;
    if (!breaker) return next(request);
    let probe: boolean;
    try {
      probe = breaker.enter();
    } catch (error) {
      return Promise.reject(error);
    }
    return next(request).then(
      (response) => {
        breaker.record(outcomeOfResponse(response), probe);
        return response;
      },
      (error: unknown) => {
        breaker.record(outcomeOfError(error), probe);
        throw error;
      },
    );
  };
}
