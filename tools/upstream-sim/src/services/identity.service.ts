import type { FastifyInstance } from 'fastify';
import { INTERNAL_ROUTE } from '../app/route-config';
import { sendJson } from '../app/http-replies';
import { DEFAULT_SCOPE, findDemoUser, GRANTABLE_SCOPES } from '../identity/demo-users';
import { KeyStore } from '../identity/key-store';
import { type CustomTokenRequest, TokenIssuer, TokenRequestError } from '../identity/token-issuer';
import type { ServiceContext } from './service-context';

export const DEFAULT_AUDIENCE = 'multi-bff';
export const DEFAULT_TOKEN_TTL_S = 900;

type TokenBody = Partial<Record<'grant_type' | 'username' | 'password' | 'scope', unknown>>;

const oauthError = (error: string, description: string) => ({ error, error_description: description });

/**
 * identity: password grant for the demo users, a JWKS with the current and
 * previous key, key rotation, and a dev-only signer for test tokens.
 */
export async function identityRoutes(app: FastifyInstance, { instance, identity }: ServiceContext): Promise<void> {
  const keys = await KeyStore.create();
  const issuer = new TokenIssuer(keys, {
    issuer: () => identity.issuer ?? instance.url,
    audience: identity.audience ?? DEFAULT_AUDIENCE,
    ttlSeconds: identity.tokenTtlS ?? DEFAULT_TOKEN_TTL_S,
  });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post<{ Body: TokenBody | undefined }>('/oauth/token', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const { grant_type: grantType, username, password, scope } = request.body ?? {};
    if (grantType !== 'password') {
      return reply.code(400).send(oauthError('unsupported_grant_type', 'only grant_type=password is supported'));
    }
    if (typeof username !== 'string' || typeof password !== 'string') {
      return reply.code(400).send(oauthError('invalid_request', 'username and password are required'));
    }
    const user = findDemoUser(username, password);
    if (!user) return reply.code(401).send(oauthError('invalid_grant', 'bad username or password'));
    const granted = scope === undefined || scope === '' ? DEFAULT_SCOPE : scope;
    if (typeof granted !== 'string' || !granted.split(' ').every((s) => GRANTABLE_SCOPES.has(s))) {
      return reply.code(400).send(oauthError('invalid_scope', `grantable scopes: ${DEFAULT_SCOPE}`));
    }
    return {
      access_token: await issuer.issue(user.sub, granted),
      token_type: 'Bearer',
      expires_in: issuer.ttlSeconds,
      scope: granted,
    };
  });

  app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=60');
    return sendJson(reply, 200, keys.jwks);
  });

  app.get('/.well-known/openid-configuration', async () => ({
    issuer: issuer.issuer,
    jwks_uri: `${instance.url}/.well-known/jwks.json`,
    token_endpoint: `${instance.url}/oauth/token`,
    grant_types_supported: ['password'],
    id_token_signing_alg_values_supported: ['ES256'],
    scopes_supported: DEFAULT_SCOPE.split(' '),
  }));

  app.post('/__sim/rotate-keys', INTERNAL_ROUTE, async () => keys.rotate());

  // Dev-only: signs whatever a test asks for. Never expose a sim to the internet.
  app.post<{ Body: Record<string, unknown> | undefined }>('/__sim/sign', INTERNAL_ROUTE, async (request, reply) => {
    try {
      return { token: await issuer.custom(readSignRequest(request.body ?? {})) };
    } catch (error) {
      if (error instanceof TokenRequestError) return reply.code(400).send({ error: 'invalid_request', message: error.message });
      throw error;
    }
  });
}

/**
 * Accepts `{ claims, header?, expiresIn?, key? }`, or the claims themselves at
 * the top level next to the optional `header`, `expiresIn` and `key`.
 */
function readSignRequest(body: Record<string, unknown>): CustomTokenRequest {
  const { claims, header, expiresIn, key, ...rest } = body;
  const asObject = (value: unknown, name: string): Record<string, unknown> | undefined => {
    if (value === undefined) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TokenRequestError(`${name} must be an object`);
    return value as Record<string, unknown>;
  };
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn))) {
    throw new TokenRequestError('expiresIn must be a number of seconds');
  }
  if (key !== undefined && key !== 'current' && key !== 'previous' && key !== 'foreign') {
    throw new TokenRequestError('key must be current, previous or foreign');
  }
  return {
    claims: claims === undefined ? rest : { ...rest, ...asObject(claims, 'claims') },
    header: asObject(header, 'header'),
    expiresIn,
    key,
  };
}
