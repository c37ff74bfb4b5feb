import { createPublicKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { JwtConfig } from '../config';
import type { JwksDocument, JwksFetcher } from './jwks-fetcher';
import { AuthRequest } from './gateway-strategy.interface';

/** passport-jwt's `secretOrKeyProvider`: the verification key for one raw token. */
export type SecretOrKeyProvider = (
  request: AuthRequest,
  rawJwtToken: string,
  done: (error: unknown, key?: KeyObject) => void,
) => void;

interface JwtHeader {
  alg: string;
  kid?: string;
}

/** The token's alg is not one this app accepts (`none`, HS*, or not configured). */
export class AlgorithmNotAllowedError extends Error {
  override readonly name = 'AlgorithmNotAllowedError';
}

interface HeldKey {
  key: KeyObject;
  alg?: string;
}

/**
 * The identity service's signing keys, by kid, from the fetcher's JWKS: held
 * until the document's Cache-Control max-age, never longer than
 * `jwksCacheMaxAgeMs` (so a key removed from the JWKS stops working within
 * that bound); an unknown kid asks the fetcher again (at most once per its
 * cooldown, however many unknown kids arrive). JWKs become public KeyObjects
 * once per document with node:crypto, not jwks-rsa, whose per-kid cache has a
 * fixed age and cannot follow the document's max-age.
 */
class JwksKeys {
  private held = new Map<string, HeldKey>();
  private only?: HeldKey;
  private loaded?: JwksDocument;
  private expiresAt = 0;

  constructor(
    private readonly fetcher: JwksFetcher,
    private readonly maxAgeBoundMs: number,
  ) {}

  async find(kid: string | undefined): Promise<HeldKey> {
    let found = this.pick(kid);
    if (!found || Date.now() >= this.expiresAt) {
      this.load(await this.fetcher.get());
      found = this.pick(kid);
    }
    if (!found) throw new Error(kid === undefined ? 'token has no kid and the JWKS holds several keys' : 'no key for the token kid');
    return found;
  }

  private pick(kid: string | undefined): HeldKey | undefined {
    return kid === undefined ? this.only : this.held.get(kid);
  }

  private load(document: JwksDocument): void {
    if (document === this.loaded) return;
    const held = new Map<string, HeldKey>();
    for (const jwk of document.keys) {
      if (jwk.use !== undefined && jwk.use !== 'sig') continue;
      try {
        const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
        held.set(String(jwk.kid ?? ''), { key, alg: typeof jwk.alg === 'string' ? jwk.alg : undefined });
      } catch {
        // A JWK this runtime cannot read (unknown kty or curve) simply verifies nothing.
      }
    }
    this.held = held;
    this.only = held.size === 1 ? [...held.values()][0] : undefined;
    this.loaded = document;
    this.expiresAt = document.fetchedAt + Math.min(document.maxAgeMs ?? this.maxAgeBoundMs, this.maxAgeBoundMs);
  }
}

/**
 * Finds a token's verification key in the identity service's JWKS (see
 * JwksKeys), fetching through `fetcher` (deadline, cooldown, shared fetch,
 * stale-if-error).
 *
 * The header's alg is checked against the configured list before any key lookup,
 * so `none`/HS* tokens cost no JWKS work, and against the JWK's own `alg` when the
 * JWK declares one. Keys are handed over as public `KeyObject`s: jsonwebtoken then
 * refuses an HS* verification with them and checks the key type against the alg
 * (no RSA key for an ES256 token), closing the HS/RS key-confusion hole twice over.
 *
 * @example new JwtStrategy(jwt, realm, createJwksKeyProvider(jwt, fetcher), cache)
 */
export function createJwksKeyProvider(jwt: JwtConfig, fetcher: JwksFetcher): SecretOrKeyProvider {
  const keys = new JwksKeys(fetcher, jwt.jwksCacheMaxAgeMs);
  const allowed = new Set(jwt.algorithms);
  return (_request, rawJwtToken, done) => {
    const header = readHeader(rawJwtToken);
    if (!header || !allowed.has(header.alg)) {
      done(new AlgorithmNotAllowedError('algorithm not allowed'));
      return;
    }
    keys.find(header.kid).then(
      (held) => {
        if (held.alg && held.alg !== header.alg) done(new AlgorithmNotAllowedError('token alg differs from its key'));
        else done(null, held.key);
      },
      (error: unknown) => done(error),
    );
  };
}

function readHeader(token: string): JwtHeader | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof header?.alg !== 'string') return undefined;
    return { alg: header.alg, kid: typeof header.kid === 'string' ? header.kid : undefined };
  } catch {
    return undefined;
  }
}
