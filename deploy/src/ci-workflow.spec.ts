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

  it('installs with npm ci on Node 20, with full history for the merge base', () => {
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout'))?.with?.['fetch-depth']).toBe(0);
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(20);
    expect(indexOf((s) => s.run === 'npm ci')).toBeGreaterThan(-1);
  });

  it('runs nx affected lint, test and build against the merge base, with the Nx cache, then the e2e target', () => {
    const shas = indexOf((s) => s.uses?.startsWith('nrwl/nx-set-shas') ?? false);
    const cache = indexOf((s) => (s.uses?.startsWith('actions/cache') ?? false) && s.with?.path === '.nx/cache');
    const affected = indexOf((s) => /nx affected -t lint test build/.test(s.run ?? ''));
    const e2e = indexOf((s) => /nx run gateway-e2e:e2e/.test(s.run ?? ''));
    expect(shas).toBeGreaterThan(-1);
    expect(cache).toBeGreaterThan(-1);
    expect(affected).toBeGreaterThan(Math.max(shas, cache));
    expect(e2e).toBeGreaterThan(affected);
    expect(workflow.env.NX_DAEMON).toBe('false');
  });
});
