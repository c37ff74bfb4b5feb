import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a CONFIG_FILE for a BFF under test and returns the env that points at it. */
export function configFileEnv(config: Record<string, unknown>): { CONFIG_FILE: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'bff-config-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return { CONFIG_FILE: file };
}

/** Upstream settings with breakers, outlier ejection and retries off: a test sees each failure as it is. */
export function withoutResilience(...upstreams: string[]): Record<string, unknown> {
  return Object.fromEntries(
    upstreams.map((name) => [
      name,
      { breaker: { enabled: false }, outlier: { maxEjectedPercent: 0 }, retry: { maxAttempts: 0 }, cache: { enabled: false }, coalesce: false },
    ]),
  );
}
