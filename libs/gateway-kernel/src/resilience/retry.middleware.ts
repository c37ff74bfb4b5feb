import type { RetryConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';
import type { UpstreamCall, UpstreamRequest, UpstreamResponse, UpstreamMiddleware } from '../pipeline/upstream-call';
import { worthRetrying } from '../pipeline/upstream-error.mapper';
import { fullJitterDelay, sleep } from './backoff';
import { resilienceMetrics } from './resilience.metrics';
import { RetryBudget } from './retry-budget';

/** Answers that mean "this instance could not serve it now"; anything else is the answer. */
const RETRY_STATUS = new Set([502, 503, 504]);

/** An attempt with less time than this left would only time out: do not start it. */
const MIN_ATTEMPT_MS = 20;

/**
 * Retries what is safe to send twice (idempotent, with a body that can be
 * sent again) when an attempt failed to connect, was reset, timed out on its
 * own per-try timeout, or answered 502/503/504 (never a call that did not
 * reach the upstream, see worthRetrying). Waits with jittered backoff,
 * never past the deadline, and only while the upstream's retry budget allows.
 * Sits inside the deadline stage, so every attempt shares one budget of time.
 *
 * @example retryMiddleware('catalog', config.retry) // inside the deadline stage
 */
export function retryMiddleware(upstream: string, config: RetryConfig): UpstreamMiddleware {
  const budget = new RetryBudget(config.budgetRatio, config.minRetriesPerSecond);
  const sent = resilienceMetrics.retries.labels({ upstream, outcome: 'sent' });
  const denied = resilienceMetrics.retries.labels({ upstream, outcome: 'denied' });

  return (next) => async (request) => {
    budget.recordRequest();
    if (!request.idempotent || !replayable(request.body)) return next(request);
    const deadlineAt = request.timeoutMs === undefined ? Infinity : Date.now() + request.timeoutMs;

    /** The wait before retry number `attempt + 1`, or null when none may follow. */
    const retryDelay = (attempt: number): number | null => {
      if (attempt >= config.maxAttempts || request.signal?.aborted) return null;
      const delay = fullJitterDelay(attempt, config.baseDelayMs, config.maxDelayMs);
      if (deadlineAt - Date.now() - delay < MIN_ATTEMPT_MS) return null;
      if (!budget.tryRetry()) {
        denied.inc();
        return null;
      }
      sent.inc();
      return delay;
    };

    for (let attempt = 0; ; attempt++) {
      const remaining = deadlineAt - Date.now();
      const tryMs = config.perTryTimeoutMs > 0 ? Math.min(config.perTryTimeoutMs, remaining) : remaining;
      let delay: number | null;
      try {
        const response = await attemptOnce(next, request, tryMs, upstream);
        if (!RETRY_STATUS.has(response.statusCode)) return response;
        delay = retryDelay(attempt);
        if (delay === null) return response;
        await response.body.dump().catch(() => undefined);
      } catch (error) {
        if (!worthRetrying(error)) throw error;
        delay = retryDelay(attempt);
        if (delay === null) throw error;
      }
      await sleep(delay, request.signal);
    }
  };
}

/** One attempt, with its own timeout when that is shorter than what is left. */
async function attemptOnce(next: UpstreamCall, request: UpstreamRequest, tryMs: number, upstream: string): Promise<UpstreamResponse> {
  if (!Number.isFinite(tryMs) || tryMs >= (request.timeoutMs ?? Infinity)) {
    return next(Number.isFinite(tryMs) ? { ...request, timeoutMs: tryMs } : request);
  }
  const controller = new AbortController();
  const parent = request.signal;
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new GatewayError(ErrorCode.GatewayTimeout, `upstream ${upstream} did not answer in time`)),
    tryMs,
  );
  try {
    return await next({ ...request, timeoutMs: tryMs, signal: controller.signal });
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}

/** A body that can be sent again; a stream is gone once the first attempt read it. */
function replayable(body: UpstreamRequest['body']): boolean {
  return body === null || body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
}
