import { createHmac, generateKeyPairSync, KeyObject, sign as cryptoSign } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ArgumentsHost, Catch, Controller, ExceptionFilter, Get, Logger } from '@nestjs/common';
import { APP_FILTER, Reflector } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyReply } from 'fastify';
import { Principal, RequestContextStore } from '../context';
import { GatewayConfigInput, GatewayConfigModule, loadGatewayConfig } from '../config';
import { GatewayError } from '../errors';
import { AuthMode, AuthModule, AuthModuleOptions, CurrentPrincipal, hashApiKey, Public, Scopes } from './index';
import { PolicyModule } from '../policy';
import { PassportJwtStrategy } from './passport-jwt.shim';

// ---------------------------------------------------------------------------
// Test doubles: an identity service's JWKS endpoint, token minting, a filter.
// ---------------------------------------------------------------------------

const ISSUER = 'https://identity.test';
const AUDIENCE = 'gateway';
const REALM = 'test-bff';

interface SigningKeyPair {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
}

function keyPair(kid: string, alg: 'ES256' | 'RS256'): SigningKeyPair {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, alg, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSec = () => Math.floor(Date.now() / 1000);

interface MintOptions {
  alg?: string;
  kid?: string;
  /** Signs with this key instead of the pair's own private key. */
  signWith?: KeyObject | string;
  claims?: Record<string, unknown>;
}

/** Mints a compact JWS with node:crypto, so tests can also forge what no library would sign. */
function mint(pair: SigningKeyPair, options: MintOptions = {}): string {
  const alg = options.alg ?? pair.alg;
  const header = { alg, typ: 'JWT', kid: options.kid ?? pair.kid };
  const claims = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    scope: 'orders:read orders:write',
    iat: nowSec(),
    exp: nowSec() + 300,
    ...options.claims,
  };
  const input = `${b64url(header)}.${b64url(claims)}`;
  const key = options.signWith ?? pair.privateKey;
  let signature: Buffer;
  if (alg === 'none') signature = Buffer.alloc(0);
  else if (alg === 'HS256') signature = createHmac('sha256', key as string).update(input).digest();
  else if (alg === 'ES256') signature = cryptoSign('sha256', Buffer.from(input), { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
  else signature = cryptoSign(alg === 'RS384' ? 'sha384' : 'sha256', Buffer.from(input), key as KeyObject);
  return `${input}.${signature.toString('base64url')}`;
}

/** A tiny identity service JWKS endpoint that counts hits and can fail or hang. */
class JwksServer {
  keys: Record<string, unknown>[] = [];
  mode: 'ok' | 'down' | 'hang' = 'ok';
  /** Cache-Control of the JWKS response; none when unset. */
  cacheControl?: string;
  hits = 0;
  private readonly server: Server;
  private readonly hung: ServerResponse[] = [];

  constructor() {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      this.hits++;
      if (this.mode === 'hang') {
        this.hung.push(res);
        return;
      }
      if (this.mode === 'down') {
        res.writeHead(503).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json', ...(this.cacheControl ? { 'cache-control': this.cacheControl } : {}) })
        .end(JSON.stringify({ keys: this.keys }));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Stands in for the problem+json filter (built elsewhere): status and headers of a GatewayError. */
@Catch(GatewayError)
class GatewayErrorTestFilter implements ExceptionFilter {
  catch(error: GatewayError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(error.status)
      .headers(error.headers)
      .send({ status: error.status, detail: error.detail });
  }
}

@Controller()
class TestController {
  @Public()
  @Get('public')
  open(@CurrentPrincipal() principal?: Principal) {
    return { principal: principal ?? null };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return principal;
  }

  @Scopes('orders:write')
  @Get('orders/write')
  write(@CurrentPrincipal() principal: Principal) {
    return { id: principal.id };
  }

  @Get('context')
  context() {
    return { principal: RequestContextStore.current()?.principal ?? null };
  }

  @AuthMode('api-key')
  @Get('partner-only')
  partnerOnly(@CurrentPrincipal() principal: Principal) {
    return principal;
  }
}

async function buildApp(input: GatewayConfigInput, options?: AuthModuleOptions): Promise<NestFastifyApplication> {
  const config = loadGatewayConfig(input, {});
  const moduleRef = await Test.createTestingModule({
    imports: [GatewayConfigModule.forRoot(config), AuthModule.forRoot(options), PolicyModule],
    controllers: [TestController],
    providers: [{ provide: APP_FILTER, useClass: GatewayErrorTestFilter }],
  }).compile();
  const adapter = new FastifyAdapter();
  // What bootstrap does in the real app: one request context per request.
  adapter.getInstance().addHook('onRequest', (_req, _reply, done) => RequestContextStore.run({ requestId: 'test' }, done));
  const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function jwtConfig(jwksUrl: string, overrides: Record<string, unknown> = {}): GatewayConfigInput {
  return {
    app: REALM,
    auth: {
      mode: 'jwt',
      jwt: { jwksUrl, issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256', 'RS256'], clockToleranceSec: 5, jwksCooldownMs: 1000, ...overrides },
    },
  };
}

function get(app: NestFastifyApplication, url: string, headers: Record<string, string> = {}) {
  return app.getHttpAdapter().getInstance().inject({ method: 'GET', url, headers });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------

const es = keyPair('es-1', 'ES256');
const rs = keyPair('rs-1', 'RS256');
const attacker = keyPair('es-1', 'ES256'); // same kid as `es`, different key

beforeEach(() => {
  // The JWKS fetcher warns on purpose in some cases; keep the test output readable.
  jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});

afterEach(() => jest.restoreAllMocks());

describe('AuthModule, jwt mode', () => {
  let jwks: JwksServer;
  let app: NestFastifyApplication | undefined;

  async function start(overrides: Record<string, unknown> = {}, options?: AuthModuleOptions) {
    app = await buildApp(jwtConfig(await jwks.start(), overrides), options);
    return app;
  }

  beforeEach(() => {
    jwks = new JwksServer();
    jwks.keys = [es.jwk, rs.jwk];
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await jwks.stop();
  });

  it('accepts a valid ES256 token and exposes the principal, with its exp as expiresAt', async () => {
    const app = await start();
    const exp = nowSec() + 300;
    const res = await get(app, '/me', bearer(mint(es, { claims: { exp } })));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'user', id: 'user-1', scopes: ['orders:read', 'orders:write'], expiresAt: exp * 1000 });
  });

  it('accepts a valid RS256 token when RS256 is allowed', async () => {
    const app = await start();
    const res = await get(app, '/me', bearer(mint(rs)));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'user', id: 'user-1' });
  });

  it('refuses RS256 when the app pins ES256 only', async () => {
    const app = await start({ algorithms: ['ES256'] });
    const res = await get(app, '/me', bearer(mint(rs)));
    expect(res.statusCode).toBe(401);
    expect(jwks.hits).toBe(0);
  });

  it('answers a missing token with 401 and a bare Bearer challenge', async () => {
    const app = await start();
    const res = await get(app, '/me');
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="${REALM}"`);

    const basic = await get(app, '/me', { authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic.statusCode).toBe(401);
    expect(basic.headers['www-authenticate']).toBe(`Bearer realm="${REALM}"`);
  });

  it('refuses an expired token with invalid_token and never echoes it', async () => {
    const app = await start();
    const token = mint(es, { claims: { exp: nowSec() - 60 } });
    const res = await get(app, '/me', bearer(token));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="${REALM}", error="invalid_token"`);
    expect(res.json().detail).toBe('token expired');
    expect(res.body).not.toContain(token.split('.')[2]);
  });

  it('refuses a token whose nbf is in the future (beyond the clock tolerance)', async () => {
    const app = await start();
    const res = await get(app, '/me', bearer(mint(es, { claims: { nbf: nowSec() + 120 } })));
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('token not yet valid');
  });

  it('accepts an exp just past within the clock tolerance', async () => {
    const app = await start();
    expect((await get(app, '/me', bearer(mint(es, { claims: { exp: nowSec() - 2 } })))).statusCode).toBe(200);
  });

  it('refuses a wrong issuer and a wrong audience', async () => {
    const app = await start();
    expect((await get(app, '/me', bearer(mint(es, { claims: { iss: 'https://evil.test' } })))).statusCode).toBe(401);
    expect((await get(app, '/me', bearer(mint(es, { claims: { aud: 'other-api' } })))).statusCode).toBe(401);
  });

  it('refuses a token without exp or sub', async () => {
    const app = await start();
    expect((await get(app, '/me', bearer(mint(es, { claims: { exp: undefined } })))).statusCode).toBe(401);
    expect((await get(app, '/me', bearer(mint(es, { claims: { sub: undefined } })))).statusCode).toBe(401);
  });

  it('refuses alg none without touching the JWKS', async () => {
    const app = await start();
    const res = await get(app, '/me', bearer(mint(es, { alg: 'none' })));
    expect(res.statusCode).toBe(401);
    expect(jwks.hits).toBe(0);
  });

  it('refuses HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    const app = await start();
    for (const pair of [rs, es]) {
      const pem = pair.publicKey.export({ format: 'pem', type: 'spki' }) as string;
      expect((await get(app, '/me', bearer(mint(pair, { alg: 'HS256', signWith: pem })))).statusCode).toBe(401);
    }
  });

  it('refuses a token claiming RS256 under the kid of an EC key', async () => {
    const app = await start();
    // Signed with a real RSA key: only the kid/alg mismatch can stop it.
    const res = await get(app, '/me', bearer(mint(rs, { kid: es.kid, alg: 'RS256' })));
    expect(res.statusCode).toBe(401);
  });

  it('refuses an allowed alg that differs from the alg its JWK declares', async () => {
    const app = await start({ algorithms: ['ES256', 'RS256', 'RS384'] });
    // A genuine RS384 signature by the RS256 key: only the JWK's own alg can refuse it.
    const res = await get(app, '/me', bearer(mint(rs, { alg: 'RS384' })));
    expect(res.statusCode).toBe(401);
    expect((await get(app, '/me', bearer(mint(rs)))).statusCode).toBe(200);
  });

  it('refuses a forged signature (another key under a known kid)', async () => {
    const app = await start();
    const res = await get(app, '/me', bearer(mint(attacker)));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="${REALM}", error="invalid_token"`);
  });

  it('accepts a key added by rotation once the cooldown allows a refetch', async () => {
    const app = await start();
    expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(200);
    expect(jwks.hits).toBe(1);

    const rotated = keyPair('es-2', 'ES256');
    jwks.keys = [es.jwk, rotated.jwk];
    // Within the cooldown an unknown kid is answered from the held set.
    expect((await get(app, '/me', bearer(mint(rotated)))).statusCode).toBe(401);
    expect(jwks.hits).toBe(1);

    await sleep(1100);
    expect((await get(app, '/me', bearer(mint(rotated)))).statusCode).toBe(200);
    expect(jwks.hits).toBe(2);
    // The new key is now cached: another token under it costs no fetch.
    expect((await get(app, '/me', bearer(mint(rotated, { claims: { sub: 'user-2' } })))).statusCode).toBe(200);
    expect(jwks.hits).toBe(2);
  });

  it("stops accepting a key removed from the JWKS once the document's max-age has passed", async () => {
    jwks.cacheControl = 'public, max-age=1';
    const app = await start({ jwksCacheMaxAgeMs: 60_000 });
    expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(200);
    const rotated = keyPair('es-2', 'ES256');
    jwks.keys = [rotated.jwk];
    // Within the max-age the held set still verifies the old key.
    expect((await get(app, '/me', bearer(mint(es, { claims: { sub: 'user-2' } })))).statusCode).toBe(200);
    await sleep(1100);
    expect((await get(app, '/me', bearer(mint(es, { claims: { sub: 'user-3' } })))).statusCode).toBe(401);
    expect((await get(app, '/me', bearer(mint(rotated)))).statusCode).toBe(200);
  });

  it('holds keys no longer than jwksCacheMaxAgeMs when the JWKS says nothing (or more)', async () => {
    jwks.cacheControl = 'public, max-age=86400';
    const app = await start({ jwksCacheMaxAgeMs: 1_000 });
    expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(200);
    jwks.keys = [rs.jwk];
    await sleep(1100);
    expect((await get(app, '/me', bearer(mint(es, { claims: { sub: 'user-4' } })))).statusCode).toBe(401);
    // Tokens verified earlier are held no longer than the keys.
    expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(401);
  });

  it('defaults to a refetch at most every 2 s and keys held at most 5 minutes', () => {
    const jwt = loadGatewayConfig(jwtConfig('http://identity.test/jwks.json', { jwksCooldownMs: undefined, jwksCacheMaxAgeMs: undefined }), {}).auth.jwt!;
    expect([jwt.jwksCooldownMs, jwt.jwksCacheMaxAgeMs]).toEqual([2_000, 300_000]);
  });

  it('fetches the JWKS at most once per cooldown, however many unknown kids arrive', async () => {
    const app = await start();
    // A cold burst shares one fetch.
    const cold = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get(app, '/me', bearer(mint(es, { claims: { sub: `u${i}` } })))),
    );
    expect(cold.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(jwks.hits).toBe(1);

    const burst = () =>
      Promise.all(Array.from({ length: 25 }, (_, i) => get(app, '/me', bearer(mint(es, { kid: `unknown-${Math.random()}-${i}` })))));
    expect((await burst()).every((r) => r.statusCode === 401)).toBe(true);
    expect(jwks.hits).toBe(1);

    await sleep(1100);
    expect((await burst()).every((r) => r.statusCode === 401)).toBe(true);
    expect(jwks.hits).toBe(2);
    expect((await burst()).every((r) => r.statusCode === 401)).toBe(true);
    expect(jwks.hits).toBe(2);
  });

  it('answers 401 quickly when the JWKS endpoint hangs (bounded by the fetch timeout)', async () => {
    jwks.mode = 'hang';
    const app = await start({}, { jwksTimeoutMs: 300 });
    const started = Date.now();
    const res = await get(app, '/me', bearer(mint(es)));
    expect(res.statusCode).toBe(401);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(jwks.hits).toBe(1);
  });

  it('answers 401 when the JWKS endpoint is down', async () => {
    jwks.mode = 'down';
    const app = await start();
    expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(401);
    expect(jwks.hits).toBe(1);
  });

  it('answers 401 when the JWKS endpoint is unreachable', async () => {
    await jwks.start();
    app = await buildApp(jwtConfig('http://127.0.0.1:9/.well-known/jwks.json'));
    const started = Date.now();
    expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(401);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('verifies a token once, then answers it from the cache', async () => {
    const verify = jest.spyOn(PassportJwtStrategy, 'JwtVerifier');
    const app = await start();
    const token = mint(es);
    expect((await get(app, '/me', bearer(token))).statusCode).toBe(200);
    expect((await get(app, '/me', bearer(token))).statusCode).toBe(200);
    // The cached principal is the verified one: a live connection admitted from the cache ends at the same exp.
    expect((await get(app, '/me', bearer(token))).json()).toMatchObject({ id: 'user-1', expiresAt: (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000 });
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('never lets the cache accept a token it has not verified (same claims, other signature)', async () => {
    const app = await start();
    const good = mint(es);
    expect((await get(app, '/me', bearer(good))).statusCode).toBe(200);
    const [h, p] = good.split('.');
    const forgedSig = mint(attacker).split('.')[2];
    expect((await get(app, '/me', bearer(`${h}.${p}.${forgedSig}`))).statusCode).toBe(401);
    const otherPayload = b64url({ iss: ISSUER, aud: AUDIENCE, sub: 'admin', exp: nowSec() + 300 });
    expect((await get(app, '/me', bearer(`${h}.${otherPayload}.${good.split('.')[2]}`))).statusCode).toBe(401);
  });

  it('refuses a cached token once its exp has passed', async () => {
    const app = await start({ clockToleranceSec: 0 });
    const token = mint(es, { claims: { exp: nowSec() + 60 } });
    expect((await get(app, '/me', bearer(token))).statusCode).toBe(200);
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    const res = await get(app, '/me', bearer(token));
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('token expired');
  });

  it('answers 403 when a scope is missing, 200 when present', async () => {
    const app = await start();
    const reader = mint(es, { claims: { scope: 'orders:read' } });
    const res = await get(app, '/orders/write', bearer(reader));
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('missing scope orders:write');
    expect((await get(app, '/orders/write', bearer(mint(es)))).statusCode).toBe(200);
  });

  it('lets a public route through without credentials, with a principal when valid, ignoring invalid ones', async () => {
    const app = await start();
    const anonymous = await get(app, '/public');
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ principal: null });

    const known = await get(app, '/public', bearer(mint(es)));
    expect(known.json()).toEqual({ principal: expect.objectContaining({ kind: 'user', id: 'user-1' }) });

    const invalid = await get(app, '/public', bearer(mint(attacker)));
    expect(invalid.statusCode).toBe(200);
    expect(invalid.json()).toEqual({ principal: null });
  });

  it('puts the principal into the request context', async () => {
    const app = await start();
    const res = await get(app, '/context', bearer(mint(es)));
    expect(res.json()).toEqual({ principal: expect.objectContaining({ kind: 'user', id: 'user-1' }) });
  });

  it('reads route metadata once per handler, not per request', async () => {
    const app = await start();
    const token = mint(es);
    await get(app, '/me', bearer(token));
    const reads = jest.spyOn(Reflector.prototype, 'getAllAndOverride');
    await get(app, '/me', bearer(token));
    await get(app, '/me', bearer(token));
    expect(reads).not.toHaveBeenCalled();
  });

  it('refuses an @AuthMode(api-key) route when no API keys are configured (fails closed)', async () => {
    const app = await start();
    const res = await get(app, '/partner-only', bearer(mint(es)));
    expect(res.statusCode).toBe(500);
  });
});

describe('AuthModule, api-key mode', () => {
  const acmeKey = 'pk_test_acme_9f2c1d7e4b5a6c3d8e0f1a2b3c4d5e6f';
  const globexKey = 'pk_test_globex_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  let app: NestFastifyApplication | undefined;

  const config = (header?: string): GatewayConfigInput => ({
    app: REALM,
    auth: {
      mode: 'api-key',
      ...(header ? { apiKeyHeader: header } : {}),
      apiKeys: [
        { id: 'acme', sha256: hashApiKey(acmeKey), tier: 'gold', scopes: ['orders:read', 'orders:write'] },
        { id: 'globex', sha256: hashApiKey(globexKey), tier: 'free', scopes: ['orders:read'] },
      ],
    },
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('accepts a good key and exposes the partner principal with tier and scopes', async () => {
    app = await buildApp(config());
    const res = await get(app, '/me', { 'x-api-key': acmeKey });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'partner', id: 'acme', scopes: ['orders:read', 'orders:write'], tier: 'gold', customers: {} });
  });

  it('refuses a bad key and a missing key with an ApiKey challenge', async () => {
    app = await buildApp(config());
    const bad = await get(app, '/me', { 'x-api-key': `${acmeKey}x` });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['www-authenticate']).toBe(`ApiKey realm="${REALM}"`);
    expect(bad.body).not.toContain(acmeKey);

    const missing = await get(app, '/me');
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(`ApiKey realm="${REALM}"`);

    // A bearer token is not an API key in this app.
    expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(401);
  });

  it('answers 403 when the key lacks a scope', async () => {
    app = await buildApp(config());
    expect((await get(app, '/orders/write', { 'x-api-key': globexKey })).statusCode).toBe(403);
    expect((await get(app, '/orders/write', { 'x-api-key': acmeKey })).statusCode).toBe(200);
  });

  it('reads the key from the configured header name', async () => {
    app = await buildApp(config('X-Partner-Key'));
    expect((await get(app, '/me', { 'x-partner-key': acmeKey })).statusCode).toBe(200);
    expect((await get(app, '/me', { 'x-api-key': acmeKey })).statusCode).toBe(401);
  });

  it('lets a public route through without a key', async () => {
    app = await buildApp(config());
    const res = await get(app, '/public');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ principal: null });
  });
});

describe('AuthModule, @AuthMode override', () => {
  it('takes an API key on an @AuthMode(api-key) route of a jwt app', async () => {
    const jwks = new JwksServer();
    jwks.keys = [es.jwk];
    const url = await jwks.start();
    const key = 'pk_test_hooks_5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
    const app = await buildApp({
      ...jwtConfig(url),
      auth: { ...jwtConfig(url).auth, apiKeys: [{ id: 'hooks', sha256: hashApiKey(key), tier: 'free', scopes: [] }] },
    });
    try {
      expect((await get(app, '/partner-only', { 'x-api-key': key })).json()).toMatchObject({ kind: 'partner', id: 'hooks' });
      expect((await get(app, '/partner-only', bearer(mint(es)))).statusCode).toBe(401);
      expect((await get(app, '/me', bearer(mint(es)))).statusCode).toBe(200);
    } finally {
      await app.close();
      await jwks.stop();
    }
  });
});
