const WILDCARDS: Readonly<Record<string, string>> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

/**
 * The URL a client on this machine can call: wildcard binds map to loopback,
 * IPv6 literals get brackets.
 *
 * @example serviceUrl('0.0.0.0', 4002) // 'http://127.0.0.1:4002'
 */
export function serviceUrl(host: string, port: number): string {
  const reachable = WILDCARDS[host] ?? host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
