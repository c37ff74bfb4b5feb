import { SERVICE_NAMES } from '../app/service-names';
import { simOptionsFromEnv } from './sim-env';

describe('simOptionsFromEnv', () => {
  it('defaults to every service on 127.0.0.1 with default ports', () => {
    expect(simOptionsFromEnv({})).toEqual({
      services: [...SERVICE_NAMES],
      ports: {},
      host: '127.0.0.1',
      logger: false,
      readyFile: undefined,
      identity: { issuer: undefined, audience: undefined, tokenTtlS: undefined },
    });
  });

  it('reads services, ports (0 included), host, ready file, identity settings and logging', () => {
    const options = simOptionsFromEnv({
      SIM_SERVICES: ' catalog, reviews ',
      SIM_CATALOG_PORT: '0',
      SIM_REVIEWS_PORT: '5004',
      HOST: '0.0.0.0',
      SIM_READY_FILE: '/tmp/ready.json',
      SIM_ISSUER: 'https://id.example',
      SIM_AUDIENCE: 'aud',
      TOKEN_TTL_S: '60',
      SIM_LOG: '1',
    });
    expect(options).toEqual({
      services: ['catalog', 'reviews'],
      ports: { catalog: 0, reviews: 5004 },
      host: '0.0.0.0',
      logger: true,
      readyFile: '/tmp/ready.json',
      identity: { issuer: 'https://id.example', audience: 'aud', tokenTtlS: 60 },
    });
    expect(simOptionsFromEnv({ HOST: '0.0.0.0', SIM_HOST: '::1' }).host).toBe('::1');
  });

  it("reads inventory's TLS certificate and key files", () => {
    const { inventoryTls } = simOptionsFromEnv({ SIM_INVENTORY_TLS_CERT: __filename, SIM_INVENTORY_TLS_KEY: __filename });
    expect(inventoryTls?.cert.toString()).toContain('simOptionsFromEnv');
    expect(inventoryTls?.key.equals(inventoryTls.cert)).toBe(true);
  });

  it.each([
    [{ SIM_CATALOG_PORT: 'abc' }, /SIM_CATALOG_PORT/],
    [{ SIM_USERS_PORT: '70000' }, /SIM_USERS_PORT/],
    [{ SIM_SERVICES: 'catalog,payments' }, /SIM_SERVICES.*payments/],
    [{ SIM_TOKEN_TTL_S: '0' }, /SIM_TOKEN_TTL_S/],
    [{ SIM_INVENTORY_TLS_CERT: __filename }, /SIM_INVENTORY_TLS_CERT and SIM_INVENTORY_TLS_KEY/],
    [{ SIM_INVENTORY_TLS_CERT: __filename, SIM_INVENTORY_TLS_KEY: '/nowhere/key.pem' }, /SIM_INVENTORY_TLS_KEY cannot be read: \/nowhere\/key.pem \(ENOENT\)/],
  ])('names the variable when %j is bad', (env, message) => {
    expect(() => simOptionsFromEnv(env)).toThrow(message);
  });
});
