import { normalizeIp } from '@nestjs/throttler';
import { RequestContextStore, type Principal } from '../context';

/** An IPv6 client is counted by its /64: one host usually owns the whole subnet. */
const IPV6_SUBNET_PREFIX = 64;

/** The request fields the tracker reads (Fastify's, under Nest). */
export interface TrackedRequest {
  ip?: string;
  /** Where the gateway's auth guard puts the caller... */
  principal?: Principal;
  /** ...and where passport-style guards do. */
  user?: Principal;
}

/**
 * The caller auth found for this request, if any.
 *
 * @example const principal = principalOf(request); principal?.tier
 */
export function principalOf(request: TrackedRequest): Principal | undefined {
  return request.principal ?? request.user ?? RequestContextStore.current()?.principal;
}

/**
 * Who a request is counted against: the API key id for a partner, the token's
 * subject for a user, and the client address only when nobody is signed in.
 * The address is `request.ip` as Fastify computes it: the socket's peer, or
 * the X-Forwarded-For entry the configured trusted proxies vouch for, so a
 * client cannot pick a fresh bucket by sending its own X-Forwarded-For.
 *
 * @example trackerOf(request) // 'key:acme' | 'user:42' | 'ip:203.0.113.9'
 */
export function trackerOf(request: TrackedRequest, principal = principalOf(request)): string {
  if (principal) return principal.kind === 'partner' ? `key:${principal.id}` : `user:${principal.id}`;
  return `ip:${normalizeIp(request.ip ?? 'unknown', IPV6_SUBNET_PREFIX)}`;
}
