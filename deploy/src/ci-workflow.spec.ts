import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './manifests';

describe('the CI workflow (.github/workflows/ci.yml)', () => {
  const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8'));
  const job = workflow.jobs.main;
  const steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> = job.steps;
  const indexOf = (predicate: (step: (typeof steps)[number]) => boolean) => steps.findIndex(predicate);

  it('runs on pull requests and pushes to main', () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
  });

  it('has a Redis service container with a health check', () => {
    expect(job.services.redis.image).toMatch(/^redis:/);
    expect(job.services.redis.options).toContain('--health-cmd');
    expect(job.env.REDIS_URL).toBe('redis://127.0.0.1:6379');
  });

  it('runs on every supported Node line, each to the end, installing with npm ci, with full history for the merge base', () => {
    expect(job.strategy.matrix.node).toEqual([20, 22, 24]);
    expect(job.strategy['fail-fast']).toBe(false);
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe('${{ matrix.node }}');
    expect(indexOf((s) => s.run === 'npm ci')).toBeGreaterThan(-1);
  });

  it('installs promtool before the tests that run it (metrics, alerting rules)', () => {
    const install = indexOf((s) => /apt-get install[^\n]*\bprometheus\b/.test(s.run ?? ''));
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(indexOf((s) => (s.run ?? '').includes('nx affected')));
  });

  it('the matrix is the Node lines package.json supports', () => {
    const engines: string = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines.node;
    const lines = [...engines.matchAll(/(?:\^|>=)(\d+)\./g)].map((m) => Number(m[1]));
    expect(lines).toEqual(job.strategy.matrix.node);
  });

  it('caches the folder Nx 23 keeps its cache and its index in (~/.nx), per Node line, adopted before Nx runs', () => {
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache'))!;
    expect(cache.with?.path).toBe('~/.nx');
    expect(cache.with?.key).toContain('${{ matrix.node }}');
    expect(String(cache.with?.['restore-keys'])).toContain('node${{ matrix.node }}-');
    const adopt = indexOf((s) => s.run === 'node tools/scripts/adopt-nx-cache.mjs');
    expect(adopt).toBeGreaterThan(steps.indexOf(cache));
    expect(adopt).toBeLessThan(indexOf((s) => /\bnx\b/.test(s.run ?? '') && !s.run!.includes('adopt-nx-cache')));
  });

  it('runs nx affected lint, typecheck, test and build against the merge base, then the e2e target', () => {
    const shas = indexOf((s) => s.uses?.startsWith('nrwl/nx-set-shas') ?? false);
    const cache = indexOf((s) => s.uses?.startsWith('actions/cache') ?? false);
    const affected = indexOf((s) => /nx affected -t lint typecheck test build/.test(s.run ?? ''));
    const e2e = indexOf((s) => /nx run gateway-e2e:e2e/.test(s.run ?? ''));
    expect(shas).toBeGreaterThan(-1);
    expect(cache).toBeGreaterThan(-1);
    expect(affected).toBeGreaterThan(Math.max(shas, cache));
    expect(e2e).toBeGreaterThan(affected);
    expect(workflow.env.NX_DAEMON).toBe('false');
  });
});
