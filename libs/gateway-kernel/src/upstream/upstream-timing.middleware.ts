import { RequestContextStore } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { gatewayMetrics } from '../observability/gateway-metrics';
import type { HistogramSeries } from '../observability/series-histogram';
import { CallCancelledError } from '../pipeline/call-cancelled.error';
import { LocalCallError } from '../pipeline/local-call.error';
import { UpstreamStatusError } from '../pipeline/upstream-status.error';
import type { UpstreamMiddleware } from '../pipeline/upstream-call';

/** How a call ended, as a bounded label: the status class, or why it failed (`local`: it never reached the upstream). */
export type CallOutcomeLabel = 'ok' | 'http_4xx' | 'http_5xx' | 'timeout' | 'circuit_open' | 'unavailable' | 'cancelled' | 'local' | 'error';

/**
 * Times each call as its caller sees it (retries, breaker and cache
 * included), until the answer is in (a stream's headers, a buffered call's
 * whole body): observed in
 * `gateway_upstream_request_duration_seconds{upstream,outcome}` and added to
 * the request's access line as `catalog:12ms:ok`.
 *
 * @example upstreamTimingMiddleware('catalog') // the outermost stage
 */
export function upstreamTimingMiddleware(upstream: string): UpstreamMiddleware {
  const histogram = gatewayMetrics.upstreamDuration;
  // One bound series per outcome, made on its first call.
  const series = new Map<CallOutcomeLabel, HistogramSeries>();
  const record = (started: number, outcome: CallOutcomeLabel) => {
    const ms = performance.now() - started;
    let bound = series.get(outcome);
    if (!bound) series.set(outcome, (bound = histogram.series({ upstream, outcome })));
    bound.observe(ms / 1000);
    const context = RequestContextStore.current();
    if (context) (context.upstreamTimings ??= []).push(`${upstream}:${Math.round(ms)}ms:${outcome}`);
  };
  return (next) => (request) => {
    const started = performance.now();
    return next(request).then(
      (response) => {
        record(started, response.statusCode >= 500 ? 'http_5xx' : response.statusCode >= 400 ? 'http_4xx' : 'ok');
        return response;
      },
      (error: unknown) => {
        record(started, request.signal?.aborted ? 'cancelled' : failureOutcome(error));
        throw error;
      },
    );
  };
}

function failureOutcome(error: unknown): CallOutcomeLabel {
  if (error instanceof CallCancelledError) return 'cancelled';
  if (error instanceof LocalCallError) return 'local';
  // An upstream's own status (gRPC) reads as the HTTP answer it maps to.
  if (error instanceof UpstreamStatusError) {
    if (error.status < 500) return 'http_4xx';
    return error.code === ErrorCode.Unavailable ? 'unavailable' : error.code === ErrorCode.GatewayTimeout ? 'timeout' : 'http_5xx';
  }
  if (!(error instanceof GatewayError)) return 'error';
  switch (error.code) {
    case ErrorCode.GatewayTimeout:
      return 'timeout';
    case ErrorCode.CircuitOpen:
      return 'circuit_open';
    case ErrorCode.Unavailable:
      return 'unavailable';
    // Inside the pipeline a bad-request is the client going away (the deadline stage hands its reason up).
    case ErrorCode.BadRequest:
      return 'cancelled';
    default:
      return 'error';
  }
}
