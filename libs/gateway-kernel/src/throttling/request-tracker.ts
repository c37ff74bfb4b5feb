import { normalizeIp } from '@nestjs/throttler';
import type { Principal } from '../context';

/** An IPv6 client is counted by its /64: one host usually owns the whole subnet. */
const IPV6_SUBNET_PREFIX = 64;

/**
 * Who a request is counted against: the API key id for a partner, the token's
 * subject for a user, and the client address only when nobody is signed in.
 * The address is the one Fastify computes: the socket's peer, or the
 * X-Forwarded-For entry the configured trusted proxies vouch for, so a
 * client cannot pick a fresh bucket by sending its own X-Forwarded-For.
 *
 * @example trackerOf('203.0.113.9', principal) // 'key:acme' | 'user:42' | 'ip:203.0.113.9'
 */
export function trackerOf(ip: string | undefined, principal?: Principal): string {
  if (principal) return principal.kind === 'partner' ? `key:${principal.id}` : `user:${principal.id}`;
  return `ip:${normalizeIp(ip ?? 'unknown', IPV6_SUBNET_PREFIX)}`;
}
