import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { OutgoingHttpHeaders } from 'node:http2';
import { otelInjectsTraceparent } from '../../../observability/trace-context';
import type { RpcMethod } from './grpc-contract';

const tracer = trace.getTracer('gateway-kernel.grpc');
const setter = { set: (headers: OutgoingHttpHeaders, key: string, value: string) => void (headers[key] = value) };

/**
 * A client span for one gRPC call, as the undici instrumentation makes one
 * for an HTTP call, and its traceparent in the call's headers (metadata). Only when
 * OpenTelemetry runs and a span is active (else the context stage has put
 * the request's traceparent in the headers already, which become metadata).
 *
 * @example const span = rpcSpan(method, 'inventory', instance.host, headers); ... endRpcSpan(span, status.OK);
 */
export function rpcSpan(method: RpcMethod, upstream: string, host: string, headers: OutgoingHttpHeaders): Span | undefined {
  if (!otelInjectsTraceparent()) return undefined;
  const [service, name] = method.path.slice(1).split('/');
  const span = tracer.startSpan(method.path.slice(1), {
    kind: SpanKind.CLIENT,
    attributes: { 'rpc.system': 'grpc', 'rpc.service': service, 'rpc.method': name, 'server.address': host, 'gateway.upstream': upstream },
  });
  propagation.inject(trace.setSpan(context.active(), span), headers, setter);
  return span;
}

/** Ends the span with the call's gRPC status code. */
export function endRpcSpan(span: Span | undefined, code: number): void {
  if (!span) return;
  span.setAttribute('rpc.grpc.status_code', code);
  if (code !== 0) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
