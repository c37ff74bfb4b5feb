/**
 * The Cache-Control directives the gateway acts on (RFC 9111, RFC 5861).
 *
 * @example const { noStore, maxAgeSec }: CacheDirectives = parseCacheControl(headers['cache-control']);
 */
export interface CacheDirectives {
  noStore: boolean;
  noCache: boolean;
  private: boolean;
  mustRevalidate: boolean;
  maxAgeSec?: number;
  sMaxAgeSec?: number;
  staleIfErrorSec?: number;
}

/**
 * Parses a Cache-Control header; unknown directives are ignored, a malformed
 * number leaves its directive unset.
 *
 * @example parseCacheControl('public, max-age=60').maxAgeSec === 60
 */
export function parseCacheControl(header: string | string[] | undefined): CacheDirectives {
  const directives: CacheDirectives = { noStore: false, noCache: false, private: false, mustRevalidate: false };
  if (!header) return directives;
  const text = Array.isArray(header) ? header.join(',') : header;
  for (const part of text.split(',')) {
    const [rawName, rawValue] = part.split('=', 2);
    const name = rawName.trim().toLowerCase();
    const value = rawValue?.trim().replace(/^"|"$/g, '');
    switch (name) {
      case 'no-store':
        directives.noStore = true;
        break;
      case 'no-cache':
        directives.noCache = true;
        break;
      case 'private':
        directives.private = true;
        break;
      case 'must-revalidate':
      case 'proxy-revalidate':
        directives.mustRevalidate = true;
        break;
      case 'max-age':
        directives.maxAgeSec = seconds(value);
        break;
      case 's-maxage':
        directives.sMaxAgeSec = seconds(value);
        break;
      case 'stale-if-error':
        directives.staleIfErrorSec = seconds(value);
        break;
    }
  }
  return directives;
}

function seconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
