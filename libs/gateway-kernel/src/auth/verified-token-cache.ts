import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Principal } from '../context';

interface VerifiedToken {
  principal: Principal;
  /** Epoch ms of the token's `exp`. */
  expiresAt: number;
}

/**
 * Tokens whose signature and claims were verified, so a token seen again costs a
 * hash and a map lookup instead of a signature check. Only the strategy's
 * post-verification step writes here, and an entry is dropped at the token's `exp`.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, VerifiedToken>;

  constructor(maxEntries: number) {
    this.entries = new LRUCache<string, VerifiedToken>({ max: maxEntries });
  }

  get(token: string): Principal | undefined {
    const key = keyOf(token);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // Checked against the wall clock here rather than trusting the LRU's TTL
    // timer alone, so exp is honoured exactly as jsonwebtoken reads it.
    if (Date.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  /** Remembers a verified token until `expiresAt` (epoch ms); already-expired tokens are not kept. */
  set(token: string, principal: Principal, expiresAt: number): void {
    const ttl = expiresAt - Date.now();
    if (ttl <= 0) return;
    this.entries.set(keyOf(token), { principal, expiresAt }, { ttl });
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Keyed by the token's SHA-256, not the token: the whole token (signature
 * included) still decides the key, while a heap dump holds no usable bearer
 * tokens and each key is 44 bytes whatever the token's size. One-shot
 * `crypto.hash` (Node >= 20.12): no Hash object per request.
 */
function keyOf(token: string): string {
  return hash('sha256', token, 'base64');
}
