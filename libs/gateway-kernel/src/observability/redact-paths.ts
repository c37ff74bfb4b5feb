import type { IncomingHttpHeaders } from 'node:http';

/** Request and response headers that carry credentials (a WebSocket may carry its token as a subprotocol). */
const SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'sec-websocket-protocol'];

/** What a logged credential reads as. */
export const CENSOR = '[Redacted]';

function secretHeaderNames(apiKeyHeader: string): string[] {
  return [...new Set([...SECRET_HEADERS, apiKeyHeader.toLowerCase()])];
}

/** Where headers sit in what the gateway logs: access lines, errors, axios configs. */
const HEADER_HOLDERS = ['req.headers', 'res.headers', 'headers', 'err.headers', 'err.config.headers', 'config.headers'];

/**
 * pino `redact` paths for every credential header, the configured API key
 * header included, wherever a log line may hold headers.
 *
 * @example redactPaths('x-api-key') // ['req.headers["authorization"]', ...]
 */
export function redactPaths(apiKeyHeader: string): string[] {
  return HEADER_HOLDERS.flatMap((holder) => redactPathsUnder(holder, apiKeyHeader));
}

/**
 * The same paths under one holder only, for a logger whose lines hold headers
 * in that one place (the access line's `req.headers`).
 *
 * @example redactPathsUnder('req.headers', 'x-api-key') // ['req.headers["authorization"]', ...]
 */
export function redactPathsUnder(holder: string, apiKeyHeader: string): string[] {
  return secretHeaderNames(apiKeyHeader).map((name) => `${holder}["${name}"]`);
}

/**
 * Headers fit for a log line, censored as the logger's redaction would: the
 * same object when it holds no credential, else a copy with each one
 * replaced by `[Redacted]`. The access line censors its headers with this,
 * once per request, instead of through pino's redaction, which walks its
 * paths again for every line (a visible share of each access line).
 *
 * @example headerCensor('x-api-key')({ authorization: 'Bearer x', accept: '*' }) // { authorization: '[Redacted]', accept: '*' }
 */
export function headerCensor(apiKeyHeader: string): (headers: IncomingHttpHeaders) => IncomingHttpHeaders {
  const names = secretHeaderNames(apiKeyHeader);
  return (headers) => {
    let censored: IncomingHttpHeaders | undefined;
    for (const name of names) {
      if (headers[name] === undefined) continue;
      censored ??= { ...headers };
      censored[name] = CENSOR;
    }
    return censored ?? headers;
  };
}

const QUERY_TOKEN = /([?&]access_token=)[^&#]*/gi;

/**
 * A request URL fit for a log line: an `access_token` query parameter (how a
 * browser's WebSocket carries its JWT) is replaced by `[REDACTED]`.
 *
 * @example redactUrl('/api/live?access_token=eyJ...&topics=orders') // '/api/live?access_token=[REDACTED]&topics=orders'
 */
export function redactUrl(url: string): string {
  return url.includes('access_token=') ? url.replace(QUERY_TOKEN, '$1[REDACTED]') : url;
}
