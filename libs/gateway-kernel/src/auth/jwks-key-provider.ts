import { createPublicKey, KeyObject } from 'node:crypto';
import { JwksClient, SigningKey } from 'jwks-rsa';
import { JwtConfig } from '../config';
import { JwksFetcher } from './jwks-fetcher';
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

/**
 * Finds a token's verification key in the identity service's JWKS with jwks-rsa
 * (per-kid cache for `jwksCacheMaxAgeMs`, concurrent lookups of one kid shared),
 * fetching through `fetcher` (deadline, cooldown, stale-if-error).
 *
 * The header's alg is checked against the configured list before any key lookup,
 * so `none`/HS* tokens cost no JWKS work, and against the JWK's own `alg` when the
 * JWK declares one. Keys are handed over as public `KeyObject`s: jsonwebtoken then
 * refuses an HS* verification with them and checks the key type against the alg
 * (no RSA key for an ES256 token), closing the HS/RS key-confusion hole twice over.
 */
export function createJwksKeyProvider(jwt: JwtConfig, fetcher: JwksFetcher): SecretOrKeyProvider {
  const client = new JwksClient({
    jwksUri: jwt.jwksUrl,
    cache: true,
    cacheMaxEntries: 32,
    cacheMaxAge: jwt.jwksCacheMaxAgeMs,
    // The fetcher's cooldown bounds traffic to the identity service; jwks-rsa's
    // per-minute token bucket would allow a burst of fetches at start.
    rateLimit: false,
    fetcher: () => fetcher.get(),
  });
  const allowed = new Set(jwt.algorithms);
  // One KeyObject per cached signing key, so the PEM is parsed once, not per verify.
  const keyObjects = new WeakMap<SigningKey, KeyObject>();

  const lookup = async (header: JwtHeader): Promise<KeyObject> => {
    const key = await client.getSigningKey(header.kid);
    const jwkAlg = (key as { alg?: string }).alg;
    if (jwkAlg && jwkAlg !== header.alg) throw new AlgorithmNotAllowedError('token alg differs from its key');
    let keyObject = keyObjects.get(key);
    if (!keyObject) {
      keyObject = createPublicKey(key.getPublicKey());
      keyObjects.set(key, keyObject);
    }
    return keyObject;
  };

  return (_request, rawJwtToken, done) => {
    const header = readHeader(rawJwtToken);
    if (!header || !allowed.has(header.alg)) {
      done(new AlgorithmNotAllowedError('algorithm not allowed'));
      return;
    }
    lookup(header).then(
      (key) => done(null, key),
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
