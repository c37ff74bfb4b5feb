import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { OverloadConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';

// Liveness must answer while the replica sheds load, or the orchestrator would restart a busy pod.
// Scrapes (which show why it sheds) go to the management port, which sheds nothing.
const EXEMPT = /^\/health\/live(\/|\?|$)/;

/**
 * Sheds load with @fastify/under-pressure: past the configured event-loop
 * delay or heap, a request is answered 503 problem+json with Retry-After at
 * once instead of queueing behind the others.
 *
 * @example registerLoadShedding(fastify, config.overload);
 */
export function registerLoadShedding(fastify: FastifyInstance, overload: OverloadConfig): void {
  if (!overload.enabled || (overload.maxEventLoopDelayMs === 0 && overload.maxHeapUsedBytes === 0)) return;
  const retryAfter = String(overload.retryAfterSeconds);
  void fastify.register(underPressure, {
    maxEventLoopDelay: overload.maxEventLoopDelayMs,
    maxHeapUsedBytes: overload.maxHeapUsedBytes,
    sampleInterval: overload.sampleIntervalMs,
    exposeStatusRoute: false,
    pressureHandler: (request) => {
      if (EXEMPT.test(request.url)) return undefined;
      return Promise.reject(new GatewayError(ErrorCode.Unavailable, 'the service is overloaded; retry shortly', { headers: { 'retry-after': retryAfter } }));
    },
  });
}
