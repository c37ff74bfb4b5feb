import { RequestContextStore } from '../context';
import { otelInjectsTraceparent } from '../observability/trace-context';
import type { UpstreamMiddleware } from '../pipeline/upstream-call';

/**
 * Sends the request id, trace context and the authenticated caller upstream.
 * Upstreams may trust the identity headers because the gateway strips any the
 * client sent (see proxy/forward-headers) before adding its own.
 *
 * @example composePipeline([contextHeadersMiddleware(), ...stages], transport)
 */
export function contextHeadersMiddleware(): UpstreamMiddleware {
  return (next) => (request) => {
    const context = RequestContextStore.current();
    if (context) {
      const headers = request.headers;
      headers['x-request-id'] = context.requestId;
      // With OpenTelemetry the undici instrumentation writes the call's own span; a copy here would be a second header.
      if (otelInjectsTraceparent()) delete headers['traceparent'];
      else if (context.traceparent) headers['traceparent'] = context.traceparent;
      const principal = context.principal;
      if (principal?.kind === 'user') {
        headers['x-user-id'] = principal.id;
        headers['x-user-scopes'] = principal.scopes.join(' ');
      } else if (principal?.kind === 'partner') {
        headers['x-partner-id'] = principal.id;
        headers['x-partner-tier'] = principal.tier;
      }
    }
    return next(request);
  };
}
