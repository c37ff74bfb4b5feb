import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import type { UpstreamRequest } from '../../../pipeline/upstream-call';

/**
 * Headers the pipeline's stages set that mean nothing to a gRPC server, or
 * that gRPC owns itself (content-type, te, user-agent, grpc-*): never sent
 * as metadata.
 */
const NOT_METADATA = new Set(['accept', 'content-type', 'content-length', 'te', 'host', 'connection', 'user-agent', 'transfer-encoding', 'keep-alive']);

/** What a metadata key and a text value may hold (the gRPC HTTP/2 spec's rules, as grpc-js checked them). */
const LEGAL_KEY = /^[0-9a-z_.-]+$/;
const LEGAL_TEXT_VALUE = /^[ -~]*$/;

/** `grpc-timeout` holds at most 8 digits; past that many milliseconds it is said in seconds. */
const MAX_TIMEOUT_DIGITS = 99_999_999;

/**
 * A call's HTTP/2 request headers: the method's path, the gRPC framing
 * headers, the remaining budget as `grpc-timeout` (when there is one; the
 * server sees it as its deadline), and as metadata whatever the context
 * stage set (request id, traceparent, the verified caller) and a caller
 * added; array values are sent once each. Throws on a key or value metadata
 * cannot carry (the transport reports it as a local failure), so nothing
 * invalid reaches the HTTP/2 session.
 *
 * @example const headers = requestHeaders(method.path, request.headers, request.timeoutMs);
 */
export function requestHeaders(path: string, headers: UpstreamRequest['headers'], timeoutMs: number | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' };
  if (timeoutMs !== undefined) out['grpc-timeout'] = grpcTimeout(timeoutMs);
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || NOT_METADATA.has(name) || name.startsWith('grpc-') || name.startsWith(':')) continue;
    const key = LEGAL_KEY.test(name) ? name : legalKey(name);
    if (key.endsWith('-bin')) throw new Error(`metadata ${key}: binary values cannot come from text headers`);
    if (Array.isArray(value)) {
      for (const item of value) legalValue(key, item);
      out[key] = value;
    } else {
      legalValue(key, value);
      out[key] = value;
    }
  }
  return out;
}

/**
 * Response metadata as headers (text values only, no pseudo-headers): a
 * stream's first answer carries them as an HTTP response carries its headers.
 *
 * @example headersOf(responseHeaders)['x-sim-instance']
 */
export function headersOf(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (name.startsWith(':') || name.endsWith('-bin')) continue;
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  return out;
}

function grpcTimeout(ms: number): string {
  const whole = Math.max(1, Math.ceil(ms));
  return whole <= MAX_TIMEOUT_DIGITS ? `${whole}m` : `${Math.min(Math.ceil(whole / 1000), MAX_TIMEOUT_DIGITS)}S`;
}

function legalKey(name: string): string {
  const key = name.toLowerCase();
  if (!LEGAL_KEY.test(key)) throw new Error(`metadata key ${JSON.stringify(name)} holds characters gRPC does not allow`);
  return key;
}

function legalValue(key: string, value: string): void {
  if (!LEGAL_TEXT_VALUE.test(value)) throw new Error(`metadata ${key}: the value holds characters gRPC does not allow`);
}
