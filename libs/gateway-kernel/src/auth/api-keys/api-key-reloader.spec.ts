import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { register } from 'prom-client';
import { ConfigError } from '../../config';
import { deleteKeys, requireRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../../testing/redis-test-server';
import { hashApiKey } from '../hash-api-key';
import { ApiKeyReloader } from './api-key-reloader';
import { ApiKeyTable, LiveApiKeys } from './api-key-table';
import { FileApiKeySource } from './file-api-key.source';
import { RedisApiKeySource } from './redis-api-key.source';

const record = (id: string, tier = 'free', scopes: string[] = ['products:read']) => ({ id, sha256: hashApiKey(`${id}-secret`), tier, scopes });

async function reloads(app: string, outcome: string): Promise<number> {
  const metric = await register.getSingleMetric('gateway_api_key_reloads_total')?.get();
  return metric?.values.filter((v) => v.labels.app === app && v.labels.outcome === outcome).reduce((sum, v) => sum + v.value, 0) ?? 0;
}

/** Polls until `check` holds: a watched change lands soon, but when is not this test's business. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  for (const until = Date.now() + 5_000; Date.now() < until; ) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never happened: ${what}`);
}

describe('ApiKeyTable', () => {
  it('finds a key by its hash and nothing else', () => {
    const table = ApiKeyTable.of([Object.assign(record('acme', 'gold'), { customers: ['c1'] })] as never);
    expect(table.lookup('acme-secret')).toMatchObject({ kind: 'partner', id: 'acme', tier: 'gold', scopes: ['products:read'] });
    expect([...(table.lookup('acme-secret')?.customers ?? [])]).toEqual(['c1']);
    expect(table.lookup('acme-secre')).toBeNull();
    expect(table.lookup('x'.repeat(10_000))).toBeNull();
  });
});

describe('ApiKeyReloader with a watched file', () => {
  let dir: string;
  let file: string;
  let live: LiveApiKeys;
  let reloader: ApiKeyReloader;
  const write = (content: unknown) => {
    // Written aside and renamed over, as editors and Kubernetes do.
    writeFileSync(`${file}.next`, typeof content === 'string' ? content : JSON.stringify(content));
    renameSync(`${file}.next`, file);
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'api-keys-'));
    file = join(dir, 'api-keys.json');
    write([record('acme')]);
    live = new LiveApiKeys();
    reloader = new ApiKeyReloader(new FileApiKeySource(file), live, { app: 'file-test', reconcileMs: 60_000 });
    await reloader.start();
  });
  afterEach(() => reloader.stop());

  it('loads the first set before it returns', () => {
    expect(live.table.lookup('acme-secret')?.id).toBe('acme');
  });

  it('follows the file: a key added, re-tiered, revoked', async () => {
    write([record('acme', 'gold'), record('globex')]);
    await eventually(() => live.table.lookup('globex-secret') !== null, 'globex added');
    expect(live.table.lookup('acme-secret')?.tier).toBe('gold');
    write([record('globex')]);
    await eventually(() => live.table.lookup('acme-secret') === null, 'acme revoked');
    expect(live.table.lookup('globex-secret')?.id).toBe('globex');
  });

  it.each([
    ['broken JSON', '[{"id": "acme",'],
    ['a broken entry beside a good one', [record('acme'), record('globex'), { ...record('initech'), sha256: 'not-a-hash' }]],
    ['an unknown field', [{ ...record('acme'), teir: 'gold' }]],
    ['two keys with one id', [record('acme'), { ...record('globex'), id: 'acme' }]],
    ['the same entry twice', [record('acme'), record('globex'), record('globex')]],
    ['not a list', { acme: record('acme') }],
  ])('refuses %s whole and keeps the last good set, with a log line and a metric', async (_what, content) => {
    const refusedBefore = await reloads('file-test', 'refused');
    write(content);
    // The watch may have read it first; either way it is read, refused, and reported once.
    await reloader.reload();
    await reloader.reload();
    expect(await reloads('file-test', 'refused')).toBe(refusedBefore + 1);
    expect(live.table.lookup('acme-secret')?.id).toBe('acme');
    expect(live.table.lookup('globex-secret')).toBeNull();
    expect(live.table.size).toBe(1);
    write([record('acme'), record('globex')]);
    await reloader.reload();
    await eventually(() => live.table.lookup('globex-secret')?.id === 'globex', 'the next good set applied');
  });

  it('keeps the last good set while the file is gone', async () => {
    const failedBefore = await reloads('file-test', 'failed');
    renameSync(file, `${file}.away`);
    await reloader.reload();
    expect(await reloads('file-test', 'failed')).toBeGreaterThan(failedBefore);
    expect(live.table.lookup('acme-secret')?.id).toBe('acme');
  });

  it('refuses to start on a broken file, naming it and why', async () => {
    write('{');
    const fresh = new ApiKeyReloader(new FileApiKeySource(file), new LiveApiKeys(), { app: 'file-test', reconcileMs: 60_000 });
    const error = await fresh.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([`auth.keySource: update from file ${file} refused, keeping the 0 keys in force: not valid JSON`]);
    await fresh.stop();
  });
});

describe('ApiKeyReloader with Redis', () => {
  let prefix: string;
  let admin: Redis;
  let shared: Redis;
  const readers: Array<{ live: LiveApiKeys; reloader: ApiKeyReloader }> = [];
  const hash = () => `${prefix}api-keys`;
  const put = (entry: ReturnType<typeof record>) => {
    const { id, ...rest } = entry;
    return admin.hset(hash(), id, JSON.stringify(rest));
  };

  beforeAll(() => requireRedis());
  beforeEach(async () => {
    prefix = uniqueKeyPrefix('api-keys');
    admin = new Redis(TEST_REDIS_URL);
    shared = new Redis(TEST_REDIS_URL);
    await put(record('acme'));
    // Two replicas, as two processes would be.
    for (let i = 0; i < 2; i++) {
      const live = new LiveApiKeys();
      const reloader = new ApiKeyReloader(new RedisApiKeySource(shared, hash()), live, { app: 'redis-test', reconcileMs: 60_000 });
      await reloader.start();
      readers.push({ live, reloader });
    }
  });
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((r) => r.reloader.stop()));
    await deleteKeys(prefix);
    admin.disconnect();
    shared.disconnect();
  });

  it('every replica follows a key added, re-tiered and revoked once it is announced', async () => {
    expect(readers.map((r) => r.live.table.lookup('acme-secret')?.id)).toEqual(['acme', 'acme']);
    await put(record('globex'));
    await put(record('acme', 'gold'));
    await admin.publish(hash(), 'globex');
    await eventually(() => readers.every((r) => r.live.table.lookup('globex-secret') !== null), 'globex on both');
    expect(readers.map((r) => r.live.table.lookup('acme-secret')?.tier)).toEqual(['gold', 'gold']);
    await admin.hdel(hash(), 'acme');
    await admin.publish(hash(), 'acme');
    await eventually(() => readers.every((r) => r.live.table.lookup('acme-secret') === null), 'acme revoked on both');
  });

  it('refuses a broken entry whole on every replica', async () => {
    const { id, ...globex } = record('globex');
    // One update (a transaction): a good key and a broken one.
    await admin.multi().hset(hash(), id, JSON.stringify(globex)).hset(hash(), 'initech', '{"sha256": ').exec();
    await admin.publish(hash(), 'initech');
    const outcomes = await Promise.all(readers.map((r) => r.reloader.reload()));
    // A replica may have read on the notice already; either way the set was refused, never applied.
    expect(outcomes.every((o) => o === 'refused' || o === 'unchanged')).toBe(true);
    expect(readers.map((r) => [r.live.table.size, r.live.table.lookup('globex-secret')])).toEqual([
      [1, null],
      [1, null],
    ]);
  });
});
