import { createHash, timingSafeEqual } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { Principal } from '../context';
import { ApiKeyRecord } from '../config';
import { API_KEY_STRATEGY } from './auth.constants';
import { AuthRequest, GatewayStrategy, PassportAttempt } from './gateway-strategy.interface';

/** Longer is not a key we issue; refusing it early bounds the hashing work. */
const MAX_API_KEY_LENGTH = 512;

type VerifyDone = (error: unknown, user?: unknown, info?: unknown) => void;

/**
 * A minimal passport strategy reading one header. Written here rather than taken
 * from passport-headerapikey, which builds a RegExp and goes through lodash on
 * every request.
 */
class HeaderKeyPassportStrategy {
  readonly name = API_KEY_STRATEGY;
  declare success: PassportAttempt['success'];
  declare fail: PassportAttempt['fail'];
  declare error: PassportAttempt['error'];

  constructor(
    protected readonly header: string,
    private readonly verify: (key: string, done: VerifyDone) => void,
  ) {}

  authenticate(request: AuthRequest, _options?: unknown): void {
    const key = request.headers[this.header];
    if (typeof key !== 'string' || key === '') {
      this.fail('missing API key');
      return;
    }
    this.verify(key, (error, user, info) => {
      if (error) this.error(error);
      else if (user) this.success(user, info);
      else this.fail(info);
    });
  }
}

interface KeyEntry {
  digest: Buffer;
  principal: Principal;
}

/**
 * Partner API keys from `auth.apiKeys`, held only as SHA-256 digests.
 *
 * SHA-256 rather than a slow KDF (bcrypt, scrypt, argon2): keys are long random
 * secrets made by us, not guessable passwords, so a fast hash already makes
 * offline guessing hopeless (the practice of GitHub and Stripe tokens), and a
 * slow KDF on every request would be a self-inflicted denial of service.
 */
export class ApiKeyStrategy extends PassportStrategy(HeaderKeyPassportStrategy, API_KEY_STRATEGY) implements GatewayStrategy {
  readonly mode = 'api-key' as const;
  private readonly entries: readonly KeyEntry[];
  private readonly realmChallenge: string;

  constructor(records: readonly ApiKeyRecord[], headerName: string, realm: string) {
    super(headerName.toLowerCase());
    this.entries = records.map((record) => ({
      digest: digestOf(record),
      principal: Object.freeze({
        kind: 'partner' as const,
        id: record.id,
        scopes: Object.freeze([...record.scopes]),
        tier: record.tier,
        customers: new Set(record.customers),
      }),
    }));
    this.realmChallenge = `ApiKey realm="${realm}"`;
  }

  /**
   * Compares the presented key's digest with every record in constant time and
   * without stopping at a match, so timing tells nothing about the key or the table.
   */
  validate(key: string): Principal | null {
    if (key.length > MAX_API_KEY_LENGTH) return null;
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: Principal | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(digest, entry.digest)) found = entry.principal;
    }
    return found;
  }

  hasCredentials(request: AuthRequest): boolean {
    const key = request.headers[this.header];
    return typeof key === 'string' && key !== '';
  }

  challenge(_rejected: boolean): string {
    // ApiKey is not an RFC 6750 scheme, so there is no standard error attribute to add.
    return this.realmChallenge;
  }

  failureDetail(_info: unknown): string {
    return 'invalid API key';
  }
}

function digestOf(record: ApiKeyRecord): Buffer {
  const digest = Buffer.from(record.sha256, 'hex');
  // timingSafeEqual throws on unequal lengths; a malformed hash is a start-up error, not a per-request one.
  if (digest.length !== 32) throw new Error(`auth.apiKeys[${record.id}].sha256: must be the hex SHA-256 of the key`);
  return digest;
}
