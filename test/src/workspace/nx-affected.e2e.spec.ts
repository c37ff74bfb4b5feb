import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support';

/**
 * `nx affected` on throwaway commits in a scratch clone: a kernel change
 * affects all three BFFs and the BFF generator (its templates are kernel
 * code: an implicit dependency, no import), a change in one BFF affects only it.
 */
describe('nx affected', () => {
  let clone: string;

  const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' });
  const affected = (): string[] =>
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/nx'), ['show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD'], {
      cwd: clone,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_CACHE_DIRECTORY: join(clone, '.nx/cache') },
    })
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort();

  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), 'affected-'));
    // A clone of the committed tree plus the working tree's changes to tracked files, so the test sees this checkout.
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone]);
    const diff = execFileSync('git', ['diff', 'HEAD', '--binary'], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (diff.trim()) execFileSync('git', ['apply', '--whitespace=nowarn', '-'], { cwd: clone, input: diff });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    git('-c', 'user.name=test', '-c', 'user.email=test@localhost', 'commit', '--quiet', '--allow-empty', '-am', 'base');
  }, 60_000);
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  const commitChange = (file: string) => {
    appendFileSync(join(clone, file), '\n// throwaway change\n');
    git('-c', 'user.name=test', '-c', 'user.email=test@localhost', 'commit', '--quiet', '-am', `touch ${file}`);
  };

  it('a kernel change affects the kernel, all three BFFs and the BFF generator', () => {
    commitChange('libs/gateway-kernel/src/errors/gateway-error.ts');
    const projects = affected();
    expect(projects).toEqual(expect.arrayContaining(['gateway-kernel', 'web-bff', 'mobile-bff', 'partner-bff', 'bff-plugin']));
    expect(projects).not.toContain('upstream-sim');
  }, 120_000);

  it('a change in one BFF affects only it (and the cross-project suites)', () => {
    commitChange('apps/mobile-bff/src/app/compact.ts');
    const projects = affected();
    expect(projects).toContain('mobile-bff');
    expect(projects).not.toEqual(expect.arrayContaining(['web-bff']));
    expect(projects.filter((p) => p !== 'gateway-e2e')).toEqual(['mobile-bff']);
  }, 120_000);
});
