import type { IncomingHttpHeaders } from 'node:http';
import { Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';
import { BufferedBody } from '../pipeline';
import type { UpstreamClient } from '../upstream';
import { isIdempotent } from '../upstream/upstream-request.builder';
import { clientResponseHeaders, upstreamRequestHeaders } from './forward-headers';
import type { ProxyRoute } from './proxy-route';
import { upstreamFailure } from './upstream-error-body';
import { upstreamPathMapper } from './upstream-path';

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);
/**
 * Answers declaring at most this many bytes are read whole and sent as one
 * buffer: for the small JSON most routes pass, that costs less than a
 * stream on both sides (measured in the bench's pass-through scenario).
 */
const BUFFER_UP_TO_BYTES = 64 * 1024;

/**
 * The pass-through for one route, planned at start: streams the request body
 * up and the response body down, never re-serialised (a small JSON answer is
 * checked to be JSON, and sent as it came). The
 * route's policy (credentials, limits, deadline) has run before, in its hook.
 *
 * @example fastify.route({ method: 'GET', url: '/api/catalog/*', handler: createProxyHandler(route, client, config) });
 */
export function createProxyHandler(route: ProxyRoute, client: UpstreamClient, config: GatewayConfig) {
  const toUpstream = upstreamPathMapper(route);
  const strip = new Set((route.stripResponseHeaders ?? []).map((h) => h.toLowerCase()));
  const credentialHeader = config.auth.apiKeyHeader.toLowerCase();
  const trustsProxies = Boolean(config.http.trustProxy);
  const bodyLimit = config.http.bodyLimitBytes;
  const passProblems = route.upstreamProblems === 'pass';

  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const path = toUpstream(request.url);
    const headers = upstreamRequestHeaders(request, credentialHeader, trustsProxies);
    const method = request.method;
    const response = await client.send({
      method,
      path,
      headers,
      body: BODYLESS.has(method) ? null : limitedBody(request, bodyLimit),
      idempotent: isIdempotent(method, headers),
      bufferUpToBytes: BUFFER_UP_TO_BYTES,
    });
    // An upstream's error body may name internals: answered from the error table instead.
    if (response.statusCode >= 400) throw await upstreamFailure(response, client.name, passProblems);
    reply.code(response.statusCode).headers(clientResponseHeaders(response.headers, strip));
    if (method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) {
      response.body.dump().catch(() => undefined);
      return reply.send();
    }
    if (response.body instanceof BufferedBody) {
      if (unreadableJson(response.headers, response.body.buffer)) {
        throw new GatewayError(ErrorCode.BadGateway, `upstream ${client.name} sent an unreadable response`);
      }
      return reply.send(response.body.buffer);
    }
    return reply.send(response.body);
  };
}

const JSON_TYPE = /^[^;]*[/+]json\s*(;|$)/i;

/**
 * An answer that says it is JSON and is not (a cut-off write, an HTML error
 * page, a stack trace in text) is a 502, as on every other route, rather
 * than garbage handed on. Checked on buffered answers only, which are small
 * (a stream is on its way before its end is known), and by their ends: an
 * object or array must close as it opened, anything else must parse. A full
 * parse of every object cost the pass-through 3% of its CPU; a body broken
 * only in its middle is left to the client's parser. Compressed bytes are
 * not looked at.
 */
function unreadableJson(headers: IncomingHttpHeaders, body: Buffer): boolean {
  const type = headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type) || body.length === 0) return false;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return false;
  let first = 0;
  let last = body.length - 1;
  while (first <= last && isJsonSpace(body[first])) first++;
  while (last > first && isJsonSpace(body[last])) last--;
  if (first > last) return true;
  const open = body[first];
  if (open === OPEN_BRACE) return body[last] !== CLOSE_BRACE;
  if (open === OPEN_BRACKET) return body[last] !== CLOSE_BRACKET;
  try {
    JSON.parse(body.toString('utf8'));
    return false;
  } catch {
    return true;
  }
}

const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [0x7b, 0x7d, 0x5b, 0x5d];

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** The raw request body, cut off with 413 past the limit (declared or actual). */
function limitedBody(request: FastifyRequest, limit: number) {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new GatewayError(ErrorCode.PayloadTooLarge, `body exceeds ${limit} bytes`);
  if (declared === 0 && request.headers['transfer-encoding'] === undefined) return null;
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new GatewayError(ErrorCode.PayloadTooLarge, `body exceeds ${limit} bytes`));
      else callback(null, chunk);
    },
  });
  return request.raw.pipe(counter);
}
