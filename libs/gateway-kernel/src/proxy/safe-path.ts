import { ErrorCode, GatewayError } from '../errors';

// Anything but unreserved and sub-delimiter characters, ':' '@' '/', and percent escapes: raw
// non-ASCII (full-width dots), backslashes, control characters, quotes, ';' (Java's "..;" and
// matrix parameters) and '%' not followed by two hex digits are refused.
const ALLOWED = /^(?:[A-Za-z0-9\-._~!$&'()*+,=:@/]|%[0-9A-Fa-f]{2})*$/;
// Escapes that decode to '.', '/', '\', '%' (double encoding), NUL, or any byte >= 0x80
// (overlong UTF-8 such as %c0%ae, or an encoded full-width dot %ef%bc%8e).
const FORBIDDEN_ESCAPE = /%(?:2e|2f|5c|25|00|[89a-f][0-9a-f])/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * The part of a raw request URL below the route's prefix, mapped under the
 * upstream prefix, refused (400) when it could leave that prefix once decoded
 * or normalised by any backend: dot segments in any encoding, empty segments
 * (`//`), `;`, backslashes, double encoding, non-ASCII, control characters.
 *
 * @example safeUpstreamPath('/api/catalog/products?x=1', '/api/catalog', '') === '/products?x=1'
 */
export function safeUpstreamPath(rawUrl: string, routePrefix: string, upstreamPrefix: string): string {
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = queryAt === -1 ? '' : rawUrl.slice(queryAt);
  if (!rawPath.startsWith(routePrefix)) throw escape();
  const rest = rawPath.slice(routePrefix.length);
  if (rest !== '' && !rest.startsWith('/')) throw escape();
  if (!ALLOWED.test(rest) || FORBIDDEN_ESCAPE.test(rest) || CONTROL.test(query)) throw escape();
  const segments = rest.split('/');
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '.' || segment === '..' || (segment === '' && i < segments.length - 1)) throw escape();
  }
  return `${upstreamPrefix}${rest || '/'}${query}`;
}

function escape(): GatewayError {
  return new GatewayError(ErrorCode.PathEscape, 'the path is not allowed');
}
