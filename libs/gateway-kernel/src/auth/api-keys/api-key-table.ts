import { createHash } from 'node:crypto';
import type { ApiKeyRecord } from '../../config';
import type { Principal } from '../../context';

/** Longer is not a key we issue; refusing it early bounds the hashing work. */
const MAX_API_KEY_LENGTH = 512;

/**
 * Partner keys by the SHA-256 of the key: per request, one hash and one Map
 * lookup, however many keys there are. A lookup's timing depends only on the
 * presented key's own digest, and learning where SHA-256(guess) lands brings
 * a guesser no closer to a stored key (preimage resistance): the practice of
 * GitHub and Stripe tokens. Built once per accepted set, never per request.
 *
 * @example ApiKeyTable.of(config.auth.apiKeys).lookup(request.headers['x-api-key'])
 */
export class ApiKeyTable {
  private constructor(private readonly byDigest: ReadonlyMap<string, Principal>) {}

  // A method, not a static field: a bundler may turn the class into `let x = class ...`, which a static field cannot name yet.
  static empty(): ApiKeyTable {
    return new ApiKeyTable(new Map());
  }

  /** Records must be validated already (`parseApiKeySet`, or the config at start). */
  static of(records: readonly ApiKeyRecord[]): ApiKeyTable {
    return new ApiKeyTable(
      new Map(
        records.map((record) => [
          record.sha256,
          Object.freeze({
            kind: 'partner' as const,
            id: record.id,
            scopes: Object.freeze([...record.scopes]),
            tier: record.tier,
            customers: new Set(record.customers),
          }),
        ]),
      ),
    );
  }

  get size(): number {
    return this.byDigest.size;
  }

  lookup(key: string): Principal | null {
    if (key.length > MAX_API_KEY_LENGTH) return null;
    return this.byDigest.get(createHash('sha256').update(key, 'utf8').digest('hex')) ?? null;
  }
}

/**
 * The set of keys in force, replaced whole when a reload is accepted: a
 * request sees either the old set or the new one, never a mix.
 *
 * @example const live = new LiveApiKeys(ApiKeyTable.of(records)); live.replace(ApiKeyTable.of(next));
 */
export class LiveApiKeys {
  constructor(private current: ApiKeyTable = ApiKeyTable.empty()) {}

  get table(): ApiKeyTable {
    return this.current;
  }

  replace(table: ApiKeyTable): void {
    this.current = table;
  }
}
