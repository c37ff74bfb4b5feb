import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { IDENTITY_HEADERS } from '../upstream';
import { hopByHopFilter } from './hop-by-hop';

// Credentials stay at the gateway; upstreams get the verified identity headers instead.
// Client-sent identity and forwarding headers are dropped so they cannot be spoofed.
const NEVER_FORWARDED = new Set<string>([
  'host',
  'authorization',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-real-ip',
  ...IDENTITY_HEADERS,
]);

/** Response headers that would tell the client about the gateway's insides. */
const NEVER_RETURNED = new Set(['server', 'x-powered-by', 'via']);

/**
 * Headers for the upstream: the client's, minus hop-by-hop, HTTP/2
 * pseudo-headers, credentials and spoofable identity, plus X-Forwarded-For/Proto/Host computed from what the
 * gateway trusts (the socket, or the proxies `trustProxy` names).
 */
export function upstreamRequestHeaders(
  request: FastifyRequest,
  credentialHeader: string,
  trustsProxies: boolean,
): Record<string, string | string[]> {
  const incoming = request.headers;
  const isHopByHop = hopByHopFilter(incoming.connection);
  const out: Record<string, string | string[]> = {};
  for (const name in incoming) {
    const value = incoming[name];
    // HTTP/2 pseudo-headers (:method, :path, :authority, :scheme) describe the client's stream, not the upstream request.
    if (value === undefined || name.charCodeAt(0) === 58 || isHopByHop(name) || NEVER_FORWARDED.has(name) || name === credentialHeader) continue;
    out[name] = value;
  }
  out['x-forwarded-for'] = trustsProxies && request.ips ? [...request.ips].reverse().join(', ') : request.socket.remoteAddress ?? request.ip;
  out['x-forwarded-proto'] = request.protocol;
  out['x-forwarded-host'] = request.host;
  return out;
}

/** Headers for the client: the upstream's, minus hop-by-hop and internal ones. */
export function clientResponseHeaders(upstream: IncomingHttpHeaders, strip: ReadonlySet<string>): OutgoingHttpHeaders {
  const isHopByHop = hopByHopFilter(upstream.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name in upstream) {
    if (isHopByHop(name) || NEVER_RETURNED.has(name) || strip.has(name)) continue;
    out[name] = upstream[name];
  }
  return out;
}
