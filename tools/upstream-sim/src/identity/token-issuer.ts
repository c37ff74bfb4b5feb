import { randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import { DEFAULT_SCOPE } from './demo-users';
import { type KeyStore, type SigningKey, SIGNING_ALG } from './key-store';

export interface TokenSettings {
  /** Read per token: the identity URL is known only once it listens. */
  issuer: () => string;
  audience: string;
  ttlSeconds: number;
}

/** What `POST /__sim/sign` accepts. A `null` claim or header value removes it. */
export interface CustomTokenRequest {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** Seconds from now to `exp`; negative gives an already expired token. */
  expiresIn?: number;
  /** `foreign` signs with a key missing from the JWKS. */
  key?: 'current' | 'previous' | 'foreign';
}

export class TokenRequestError extends Error {
  override name = 'TokenRequestError';
}

const encoder = new TextEncoder();
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Mints ES256 JWTs with the key store's current key. */
export class TokenIssuer {
  constructor(
    private readonly keys: KeyStore,
    private readonly settings: TokenSettings,
  ) {}

  get ttlSeconds(): number {
    return this.settings.ttlSeconds;
  }

  get issuer(): string {
    return this.settings.issuer();
  }

  /** A normal access token for a user. */
  async issue(sub: string, scope = DEFAULT_SCOPE): Promise<string> {
    return this.sign(this.defaultClaims(sub, scope, this.settings.ttlSeconds), this.defaultHeader(), this.keys.current.privateKey);
  }

  /** Any token a test needs: wrong `aud`, expired, unknown `kid`, `alg: none`... */
  async custom(request: CustomTokenRequest): Promise<string> {
    const claims = this.defaultClaims('u1', DEFAULT_SCOPE, request.expiresIn ?? this.settings.ttlSeconds);
    const key =
      request.key === 'foreign' ? await this.keys.foreign() : request.key === 'previous' ? this.keys.previous : this.keys.current;
    if (!key) throw new TokenRequestError('there is no previous key before the first rotation');
    return this.sign(merge(claims, request.claims), merge(this.defaultHeader(), request.header), key.privateKey);
  }

  private defaultClaims(sub: string, scope: string, expiresIn: number): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: this.settings.issuer(),
      aud: this.settings.audience,
      sub,
      scope,
      iat: now,
      nbf: now,
      exp: now + expiresIn,
      jti: randomUUID(),
    };
  }

  private defaultHeader(): Record<string, unknown> {
    return { alg: SIGNING_ALG, typ: 'JWT', kid: this.keys.current.kid };
  }

  private async sign(claims: Record<string, unknown>, header: Record<string, unknown>, privateKey: SigningKey['privateKey']): Promise<string> {
    if (header.alg === 'none') return `${b64(header)}.${b64(claims)}.`;
    if (header.alg !== SIGNING_ALG) throw new TokenRequestError(`alg must be ${SIGNING_ALG} or none`);
    return new CompactSign(encoder.encode(JSON.stringify(claims)))
      .setProtectedHeader(header as { alg: string })
      .sign(privateKey);
  }
}

function merge(base: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}
