import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { type RunningService, startService } from '../start-service';

describe('identity service', () => {
  let identity: RunningService;

  beforeEach(async () => {
    identity = await startService('identity', { port: 0 });
  });
  afterEach(() => identity.close());

  const post = (path: string, body: unknown, type = 'application/json') =>
    fetch(`${identity.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const jwks = async () => createLocalJWKSet(await (await fetch(`${identity.url}/.well-known/jwks.json`)).json() as any);
  const login = async (username = 'alice', password = `${username}-password`) =>
    (await (await post('/oauth/token', { grant_type: 'password', username, password })).json()) as Record<string, any>;

  it('issues an ES256 token for alice that verifies against the JWKS', async () => {
    const body = await login();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const { payload, protectedHeader } = await jwtVerify(body.access_token, await jwks(), {
      issuer: identity.url,
      audience: 'multi-bff',
      algorithms: ['ES256'],
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({ sub: 'u1', scope: 'profile orders:read orders:write' });
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(payload.nbf).toBe(payload.iat);
  });

  it('accepts a form-encoded body and a narrower scope', async () => {
    const res = await post('/oauth/token', 'grant_type=password&username=bob&password=bob-password&scope=profile', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { payload } = await jwtVerify((await res.json() as any).access_token, await jwks());
    expect(payload).toMatchObject({ sub: 'u2', scope: 'profile' });
  });

  it('rejects a wrong password with 401 invalid_grant', async () => {
    const res = await post('/oauth/token', { grant_type: 'password', username: 'alice', password: 'bob-password' });
    expect(res.status).toBe(401);
    expect(await res.json() as any).toMatchObject({ error: 'invalid_grant' });
  });

  it('rejects other grant types, missing fields and unknown scopes with 400', async () => {
    const cases = [
      [{ grant_type: 'client_credentials' }, 'unsupported_grant_type'],
      [{ grant_type: 'password', username: 'alice' }, 'invalid_request'],
      [{ grant_type: 'password', username: 'alice', password: 'alice-password', scope: 'admin' }, 'invalid_scope'],
    ] as const;
    for (const [body, error] of cases) {
      const res = await post('/oauth/token', body);
      expect(res.status).toBe(400);
      expect((await res.json() as any).error).toBe(error);
    }
  });

  it('keeps old tokens verifiable after rotation and signs new ones with the new kid', async () => {
    const before = (await login()).access_token;
    const oldKid = decodeProtectedHeader(before).kid;
    const rotation = await (await fetch(`${identity.url}/__sim/rotate-keys`, { method: 'POST' })).json() as any;
    expect(rotation).toEqual({ kid: expect.any(String), previousKid: oldKid });

    const after = (await login()).access_token;
    expect(decodeProtectedHeader(after).kid).toBe(rotation.kid);
    expect(rotation.kid).not.toBe(oldKid);

    const keySet = await jwks();
    await expect(jwtVerify(before, keySet)).resolves.toBeDefined();
    await expect(jwtVerify(after, keySet)).resolves.toBeDefined();

    // A second rotation drops the oldest key.
    await fetch(`${identity.url}/__sim/rotate-keys`, { method: 'POST' });
    const kids = (await (await fetch(`${identity.url}/.well-known/jwks.json`)).json() as any).keys.map((k: { kid: string }) => k.kid);
    expect(kids).toHaveLength(2);
    expect(kids).not.toContain(oldKid);
    expect(kids).toContain(rotation.kid);
  });

  it('uses SIM issuer and audience overrides', async () => {
    const custom = await startService('identity', { port: 0, identity: { issuer: 'https://id.example', audience: 'other', tokenTtlS: 60 } });
    try {
      const res = await fetch(`${custom.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'password', username: 'alice', password: 'alice-password' }),
      });
      const { access_token: token, expires_in: expiresIn } = await res.json() as any;
      const keySet = createLocalJWKSet(await (await fetch(`${custom.url}/.well-known/jwks.json`)).json() as any);
      const { payload } = await jwtVerify(token, keySet, { issuer: 'https://id.example', audience: 'other' });
      expect(expiresIn).toBe(60);
      expect(payload.exp! - payload.iat!).toBe(60);
    } finally {
      await custom.close();
    }
  });

  describe('POST /__sim/sign (dev-only test tokens)', () => {
    const sign = async (body: unknown) => {
      const res = await post('/__sim/sign', body);
      expect(res.status).toBe(200);
      return (await res.json() as any).token as string;
    };

    it('mints a wrong-audience token that the JWKS verifies but the audience check rejects', async () => {
      const token = await sign({ claims: { aud: 'someone-else', sub: 'u2' } });
      const keySet = await jwks();
      const { payload } = await jwtVerify(token, keySet);
      expect(payload).toMatchObject({ aud: 'someone-else', sub: 'u2', iss: identity.url });
      await expect(jwtVerify(token, keySet, { audience: 'multi-bff' })).rejects.toThrow(/aud/);
    });

    it('mints expired tokens (claims at the top level also work)', async () => {
      const token = await sign({ sub: 'u1', expiresIn: -60 });
      await expect(jwtVerify(token, await jwks())).rejects.toThrow(/exp/);
    });

    it('removes claims and header fields set to null', async () => {
      const token = await sign({ claims: { exp: null }, header: { kid: null } });
      expect(decodeProtectedHeader(token).kid).toBeUndefined();
      const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      expect(payload.exp).toBeUndefined();
      expect(payload.sub).toBe('u1');
    });

    it('signs with a key missing from the JWKS, so verification fails', async () => {
      const token = await sign({ key: 'foreign' });
      await expect(jwtVerify(token, await jwks())).rejects.toThrow(/signature/);
    });

    it('mints unsigned alg=none tokens and refuses other algorithms', async () => {
      const token = await sign({ header: { alg: 'none' } });
      expect(token.endsWith('.')).toBe(true);
      expect(decodeProtectedHeader(token).alg).toBe('none');
      expect((await post('/__sim/sign', { header: { alg: 'HS256' } })).status).toBe(400);
    });
  });
});
