import { trace } from '@opentelemetry/api';
import { randomHex } from './random-hex';
import { tracingStarted } from './tracing/start-tracing';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The traceparent of this hop. With OpenTelemetry running it is the active
 * (server) span's, which the SDK already continued from the client's header;
 * otherwise the client's trace is continued by hand (same trace id, this
 * hop's own span id) or a new one started. A malformed header is ignored
 * rather than passed on.
 *
 * @example continueTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
 */
export function continueTrace(header: string | string[] | undefined): string {
  if (tracingStarted()) {
    const active = activeTraceparent();
    if (active) return active;
  }
  const match = typeof header === 'string' ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  const spanId = randomHex(8);
  if (match && match[1] !== ZERO_TRACE && match[2] !== ZERO_SPAN) return `00-${match[1]}-${spanId}-${match[3]}`;
  return `00-${randomHex(16)}-${spanId}-01`;
}

/** The trace id inside a traceparent header. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.slice(3, 35);
}

/** The W3C traceparent of the span active in this async context, if OpenTelemetry has one. */
export function activeTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

/**
 * True when OpenTelemetry will write the upstream call's traceparent itself
 * (the undici instrumentation injects its client span's), so the gateway must not add one.
 */
export function otelInjectsTraceparent(): boolean {
  return tracingStarted() && trace.getActiveSpan() !== undefined;
}
