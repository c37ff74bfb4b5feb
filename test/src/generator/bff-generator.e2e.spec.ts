import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, ManagedProcess, REPO_ROOT, waitUntilAnswering } from '../support';

/**
 * `nx g @multi-bff/bff-plugin:bff` in a scratch copy of this workspace: the
 * new BFF lints, passes its own tests, builds, and the built app starts and
 * serves what every BFF serves.
 */
describe('a new BFF in one command', () => {
  let workspace: string;
  const nx = (...args: string[]) =>
    execFileSync(join(REPO_ROOT, 'node_modules/.bin/nx'), args, {
      cwd: workspace,
      encoding: 'utf8',
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_CACHE_DIRECTORY: join(workspace, '.nx/cache'),
        NX_INTERACTIVE: 'false',
      },
      maxBuffer: 64 * 1024 * 1024,
    });

  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'bff-generator-'));
    // The working tree as it is (tracked and new files, nothing ignored), so the test sees this checkout.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
    for (const file of files) {
      try {
        mkdirSync(dirname(join(workspace, file)), { recursive: true });
        copyFileSync(join(REPO_ROOT, file), join(workspace, file));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted in the working tree
      }
    }
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  }, 60_000);
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('generates an app that lints, passes its tests, builds and serves health, metrics and docs', async () => {
    nx('g', '@multi-bff/bff-plugin:bff', 'demo-bff', '--port=3999', '--no-interactive');
    const project = JSON.parse(nx('show', 'project', 'demo-bff', '--json'));
    expect(project.tags).toEqual(['scope:demo', 'type:app']);
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['build', 'lint', 'test']));
    expect(readFileSync(join(workspace, 'eslint.config.mjs'), 'utf8')).toContain("sourceTag: 'scope:demo'");

    // Throws (and so fails the test, with Nx's output) if any target fails.
    nx('run-many', '-t', 'lint', 'test', 'build', '-p', 'demo-bff', '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=static');

    const port = await freePort();
    const app = ManagedProcess.start('demo-bff', join(workspace, 'dist/apps/demo-bff/main.js'), { HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitUntilAnswering(`${url}/health/live`, app);
      const docs = (await (await fetch(`${url}/docs/json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(docs.paths)).toContain('/api/products/{id}/summary');
      expect(await (await fetch(`${url}/metrics`)).text()).toContain('process_cpu_seconds_total{app="demo-bff"}');
    } finally {
      await app.stop();
    }
  }, 240_000);
});
