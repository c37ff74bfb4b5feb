import { createHash } from 'node:crypto';

/**
 * The hex SHA-256 of an API key: the only form a key is stored in (`ApiKeyRecord.sha256`).
 *
 * @example hashApiKey('pk_live_7Hq...') // 'a3f1...' (64 hex characters)
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
