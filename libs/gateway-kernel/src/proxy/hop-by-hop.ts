/** Headers that describe one connection, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** The filter when no `Connection` header names more: one function, not one per request. */
const isStandardHopByHop = (name: string): boolean => HOP_BY_HOP.has(name);

/** True when a header must not cross the proxy, including those named in `Connection`. */
export function hopByHopFilter(connectionHeader: string | string[] | undefined): (name: string) => boolean {
  if (!connectionHeader) return isStandardHopByHop;
  const listed = new Set(
    (Array.isArray(connectionHeader) ? connectionHeader.join(',') : connectionHeader)
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  return (name) => HOP_BY_HOP.has(name) || listed.has(name);
}
