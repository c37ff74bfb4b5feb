import { ErrorCode, GatewayError } from '../errors';
import type { ProxyRoute } from './proxy-route';
import { safeUpstreamPath } from './safe-path';

/** Upstream paths no BFF ever forwards: health and metrics endpoints, and `__`-prefixed internals (`/__sim/*`, `/__admin`). */
const INTERNAL = /(^|\/)__|^\/(health|metrics)(\/|$)/;

/**
 * The paths a pass-through route forwards, compiled at start from its
 * patterns (below the client-facing prefix): literal segments, `:name` for
 * one segment, a trailing `*` for any rest. Everything else is 404, and the
 * upstream's internal paths are refused whatever the patterns say.
 *
 * @example const allows = compilePathAllowlist(['/products', '/products/:id']); allows('/products/p1') // true
 */
export function compilePathAllowlist(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) throw new Error('a pass-through route needs at least one path pattern');
  const sources = patterns.map((pattern) => {
    if (!pattern.startsWith('/')) throw new Error(`path pattern "${pattern}" must start with /`);
    const parts = pattern.split('/').slice(1);
    return parts
      .map((part, i) => {
        if (part === '*' && i === parts.length - 1) return '(?:/.*)?';
        if (part.includes('*')) throw new Error(`path pattern "${pattern}": * only as the last segment`);
        if (part.startsWith(':')) return '/[^/]+';
        return `/${part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}`;
      })
      .join('');
  });
  const allowed = new RegExp(`^(?:${sources.join('|')})/?$`);
  return (path) => allowed.test(path);
}

/**
 * Maps a pass-through route's request URLs to upstream paths, planned at
 * start: refused with 400 when the path could escape (see safeUpstreamPath),
 * 404 when the route does not declare it or it names an upstream internal.
 *
 * @example const toUpstream = upstreamPathMapper(route); toUpstream('/api/catalog/products/p1?x=1') // '/products/p1?x=1'
 */
export function upstreamPathMapper(route: Pick<ProxyRoute, 'prefix' | 'upstreamPrefix' | 'paths'>): (rawUrl: string) => string {
  const upstreamPrefix = (route.upstreamPrefix ?? '').replace(/\/+$/, '');
  const allows = compilePathAllowlist(route.paths);
  return (rawUrl) => {
    const path = safeUpstreamPath(rawUrl, route.prefix, upstreamPrefix);
    const upstreamPath = path.split('?', 1)[0];
    if (!allows(upstreamPath.slice(upstreamPrefix.length)) || INTERNAL.test(upstreamPath)) {
      throw new GatewayError(ErrorCode.NotFound, 'no such resource');
    }
    return path;
  };
}
