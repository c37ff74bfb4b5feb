import type { RetryConfig } from '../config';
import { CallSignal } from '../context';
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
  const tooSlow = `upstream ${upstream} did not answer in time`;

  /** The wait before retry number `attempt + 1`, or null when none may follow. */
  const retryDelay = (request: UpstreamRequest, deadlineAt: number, attempt: number): number | null => {
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

  /** One attempt, with its own timeout when the per-try timeout is shorter than what is left. */
  const attempt = (next: UpstreamCall, request: UpstreamRequest, deadlineAt: number): Promise<UpstreamResponse> => {
    const remaining = deadlineAt - Date.now();
    // A busy event loop can spend the whole budget before the attempt starts (a retry's sleep
    // overran, or the first attempt was scheduled late). Sent anyway, a timeout of 0 or less
    // would be undici's "no timeout" or its refusal of the request (an unmapped 500).
    if (remaining <= 0) return Promise.reject(new GatewayError(ErrorCode.GatewayTimeout, tooSlow));
    if (config.perTryTimeoutMs > 0 && config.perTryTimeoutMs < remaining) {
      return attemptWithin(next, request, config.perTryTimeoutMs, tooSlow);
    }
    return next(Number.isFinite(remaining) && remaining !== request.timeoutMs ? { ...request, timeoutMs: remaining } : request);
  };

  /** After attempt number `done` failed: waits and tries again while allowed, else answers as the last attempt did. */
  const retryAfter = async (
    next: UpstreamCall,
    request: UpstreamRequest,
    deadlineAt: number,
    done: number,
    failed: { response: UpstreamResponse } | { error: unknown },
  ): Promise<UpstreamResponse> => {
    for (let number = done; ; number++) {
      let delay: number | null;
      if ('response' in failed) {
        delay = retryDelay(request, deadlineAt, number);
        if (delay === null) return failed.response;
        await failed.response.body.dump().catch(() => undefined);
      } else {
        if (!worthRetrying(failed.error)) throw failed.error;
        delay = retryDelay(request, deadlineAt, number);
        if (delay === null) throw failed.error;
      }
      await sleep(delay, request.signal);
      try {
        const response = await attempt(next, request, deadlineAt);
        if (!RETRY_STATUS.has(response.statusCode)) return response;
        failed = { response };
      } catch (error) {
        failed = { error };
      }
    }
  };

  // Per call only the first attempt and its reaction: the retry loop exists once one failed.
  return (next) => (request) => {
    budget.recordRequest();
    if (!request.idempotent || !replayable(request.body)) return next(request);
    const deadlineAt = request.timeoutMs === undefined ? Infinity : Date.now() + request.timeoutMs;
    return attempt(next, request, deadlineAt).then(
      (response) => (RETRY_STATUS.has(response.statusCode) ? retryAfter(next, request, deadlineAt, 0, { response }) : response),
      (error: unknown) => retryAfter(next, request, deadlineAt, 0, { error }),
    );
  };
}

/** One attempt under its own timeout (shorter than what is left of the deadline), still cancelled with its parent. */
function attemptWithin(next: UpstreamCall, request: UpstreamRequest, tryMs: number, tooSlow: string): Promise<UpstreamResponse> {
  const signal = new CallSignal();
  const parent = request.signal;
  const onParentAbort = () => signal.abort(parent?.reason);
  if (parent?.aborted) signal.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort);
  const timer = setTimeout(() => signal.abort(new GatewayError(ErrorCode.GatewayTimeout, tooSlow)), tryMs);
  const release = () => {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  };
  return next({ ...request, timeoutMs: tryMs, signal }).then(
    (response) => {
      release();
      return response;
    },
    (error: unknown) => {
      release();
      throw error;
    },
  );
}

/** A body that can be sent again; a stream is gone once the first attempt read it. */
function replayable(body: UpstreamRequest['body']): boolean {
  return body === null || body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
}
