import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export const SIGNING_ALG = 'ES256';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface SigningKey {
  kid: string;
  privateKey: PrivateKey;
  publicJwk: JWK;
}

async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const kid = `sim-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: 'sig' };
  return { kid, privateKey, publicJwk };
}

/**
 * The identity service's signing keys: a current key that signs, and the
 * previous one, still published so tokens it signed keep verifying.
 *
 * @example const keys = await KeyStore.create(); await keys.rotate();
 */
export class KeyStore {
  private previousKey?: SigningKey;
  private foreignKey?: Promise<SigningKey>;
  private jwksJson = '';

  private constructor(private currentKey: SigningKey) {
    this.publish();
  }

  static async create(): Promise<KeyStore> {
    return new KeyStore(await newKey());
  }

  get current(): SigningKey {
    return this.currentKey;
  }

  get previous(): SigningKey | undefined {
    return this.previousKey;
  }

  /** `{"keys":[current, previous?]}`, serialised once per rotation. */
  get jwks(): string {
    return this.jwksJson;
  }

  async rotate(): Promise<{ kid: string; previousKid: string }> {
    const next = await newKey();
    this.previousKey = this.currentKey;
    this.currentKey = next;
    this.publish();
    return { kid: next.kid, previousKid: this.previousKey.kid };
  }

  /** A key never published in the JWKS: for tokens that must fail verification. */
  foreign(): Promise<SigningKey> {
    this.foreignKey ??= newKey();
    return this.foreignKey;
  }

  private publish(): void {
    const keys = [this.currentKey, this.previousKey].filter((k) => k !== undefined).map((k) => k.publicJwk);
    this.jwksJson = JSON.stringify({ keys });
  }
}
