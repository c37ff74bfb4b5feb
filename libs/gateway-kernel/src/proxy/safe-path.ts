import { ErrorCode, GatewayError } from '../errors';

// Encoded dot, slash, backslash or percent (double encoding), raw backslash, control characters.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const FORBIDDEN = /%2e|%2f|%5c|%25|%00|\\|[\x00-\x1f\x7f]/i;
// eslint-disable-next-line no-control-regex -- as above, for the query
const CONTROL = /[\x00-\x1f\x7f]/;

/**
 * The part of a raw request URL below the route's prefix, refused when it
 * could leave the upstream's prefix once decoded or normalised by anyone.
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
  if (FORBIDDEN.test(rest) || CONTROL.test(query)) throw escape();
  for (const segment of rest.split('/')) {
    if (segment === '.' || segment === '..') throw escape();
  }
  return `${upstreamPrefix}${rest || '/'}${query}`;
}

function escape(): GatewayError {
  return new GatewayError(ErrorCode.PathEscape, 'the path is not allowed');
}
