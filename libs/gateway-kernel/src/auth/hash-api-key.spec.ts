import { hashApiKey } from './hash-api-key';

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the key (FIPS 180-2 test vector)', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches the format ApiKeyRecord.sha256 validates', () => {
    expect(hashApiKey('pk_live_anything')).toMatch(/^[0-9a-f]{64}$/);
  });
});
