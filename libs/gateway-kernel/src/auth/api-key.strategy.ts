import { PassportStrategy } from '@nestjs/passport';
import { Principal } from '../context';
import type { LiveApiKeys } from './api-keys/api-key-table';
import { API_KEY_STRATEGY } from './auth.constants';
import { AuthRequest, GatewayStrategy, PassportAttempt } from './gateway-strategy.interface';

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

/**
 * Partner API keys, held only as SHA-256 digests, looked up in the set in force
 * (`LiveApiKeys`: fixed at start, or reloaded from a file or Redis).
 *
 * SHA-256 rather than a slow KDF (bcrypt, scrypt, argon2): keys are long random
 * secrets made by us, not guessable passwords, so a fast hash already makes
 * offline guessing hopeless (the practice of GitHub and Stripe tokens), and a
 * slow KDF on every request would be a self-inflicted denial of service.
 */
export class ApiKeyStrategy extends PassportStrategy(HeaderKeyPassportStrategy, API_KEY_STRATEGY) implements GatewayStrategy {
  readonly mode = 'api-key' as const;
  private readonly realmChallenge: string;

  constructor(
    private readonly keys: LiveApiKeys,
    headerName: string,
    realm: string,
  ) {
    super(headerName.toLowerCase());
    this.realmChallenge = `ApiKey realm="${realm}"`;
  }

  /** One hash and one lookup in the set in force (see `ApiKeyTable` on why a lookup is safe). */
  validate(key: string): Principal | null {
    return this.keys.table.lookup(key);
  }

  hasCredentials(request: AuthRequest): boolean {
    const key = request.headers[this.header];
    return typeof key === 'string' && key !== '';
  }

  /** A key of the table: its partner at once (the table is in memory); an unknown key is left to the attempt, which refuses it. */
  known(request: AuthRequest): Principal | undefined {
    const key = request.headers[this.header];
    return typeof key === 'string' && key !== '' ? (this.validate(key) ?? undefined) : undefined;
  }

  challenge(_rejected: boolean): string {
    // ApiKey is not an RFC 6750 scheme, so there is no standard error attribute to add.
    return this.realmChallenge;
  }

  failureDetail(_info: unknown): string {
    return 'invalid API key';
  }
}
