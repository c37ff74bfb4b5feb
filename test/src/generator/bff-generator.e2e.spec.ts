import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { freePort, ManagedProcess, REPO_ROOT, waitUntilAnswering } from '../support';

/**
 * `nx g @multi-bff/bff-plugin:bff` in a scratch copy of this workspace: the
 * generator says what it did and what comes next; the new BFF lints, passes
 * its own tests and builds; the module-boundary matrix holds it; its
 * Kubernetes manifests pass the deploy checks; and `npm start`'s stack
 * script runs it with the rest.
 */
describe('a new BFF in one command', () => {
  let workspace: string;
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

  /** Runs nx in the scratch workspace; a failure carries everything nx printed. */
  const nx = (...args: string[]): string => {
    try {
      return execFileSync(join(REPO_ROOT, 'node_modules/.bin/nx'), args, {
        cwd: workspace,
        encoding: 'utf8',
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_CACHE_DIRECTORY: join(workspace, '.nx/cache'), NX_INTERACTIVE: 'false' },
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`nx ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
  };
  /** What a failing nx command printed (and a failure if it succeeds). */
  const failureOf = (...args: string[]): string => {
    try {
      nx(...args);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`nx ${args.join(' ')} succeeded`);
  };

  it('generates an app that lints, passes its tests, builds, is deployed and bounded, and runs with the stack', async () => {
    const printed = nx('g', '@multi-bff/bff-plugin:bff', 'demo-bff', '--port=3999', '--no-interactive');
    expect(printed).toContain('demo-bff: a new BFF on the gateway kernel, port 3999, user JWTs');
    expect(printed).toMatch(/deploy\/k8s\/demo-bff\.yaml +ConfigMap, Deployment, Service, HPA, PDB; listed in deploy\/k8s\/kustomization\.yaml/);
    expect(printed).toMatch(/Next:[\s\S]*npx nx run-many -t lint test build -p demo-bff[\s\S]*npm start/);

    const project = JSON.parse(nx('show', 'project', 'demo-bff', '--json'));
    expect(project.tags).toEqual(['scope:demo', 'type:app']);
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['build', 'lint', 'test']));
    expect(readFileSync(join(workspace, 'eslint.config.mjs'), 'utf8')).toContain("sourceTag: 'scope:demo'");

    // npm start builds `-p tag:type:app upstream-sim`, then start-stack.mjs runs what bff-apps.js finds.
    expect(JSON.parse(readFileSync(join(workspace, 'package.json'), 'utf8')).scripts.start).toContain('-p tag:type:app upstream-sim');
    expect(nx('show', 'projects', '-p', 'tag:type:app').split('\n').filter(Boolean).sort()).toEqual(['demo-bff', 'mobile-bff', 'partner-bff', 'web-bff']);
    expect(parse(readFileSync(join(workspace, 'deploy/k8s/kustomization.yaml'), 'utf8')).resources).toContain('demo-bff.yaml');

    // Throws (and so fails the test, with nx's output) if any target fails; deploy's
    // tests check every BFF's manifests, the new one's included, and the kustomization.
    nx('run-many', '-t', 'lint', 'test', 'build', '-p', 'demo-bff', 'deploy', '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=static');

    // The boundary matrix holds it: importing a library of another scope fails its lint.
    mkdirSync(join(workspace, 'libs/web-only/src'), { recursive: true });
    writeFileSync(join(workspace, 'libs/web-only/project.json'), JSON.stringify({ name: 'web-only', root: 'libs/web-only', sourceRoot: 'libs/web-only/src', projectType: 'library', tags: ['scope:web', 'type:util'] }));
    writeFileSync(join(workspace, 'libs/web-only/src/index.ts'), 'export const WEB_ONLY = 1;\n');
    const base = JSON.parse(readFileSync(join(workspace, 'tsconfig.base.json'), 'utf8'));
    base.compilerOptions.paths['@gateway/web-only'] = ['libs/web-only/src/index.ts'];
    writeFileSync(join(workspace, 'tsconfig.base.json'), JSON.stringify(base));
    const leak = join(workspace, 'apps/demo-bff/src/app/leak.ts');
    writeFileSync(leak, "import { WEB_ONLY } from '@gateway/web-only';\n\nexport const LEAK = WEB_ONLY;\n");
    try {
      expect(failureOf('lint', 'demo-bff', '--skip-nx-cache', '--outputStyle=static')).toMatch(
        /A project tagged with "scope:demo" can only depend on libs tagged with "scope:demo", "scope:shared"/,
      );
    } finally {
      unlinkSync(leak);
    }

    // The stack script, as `npm start` runs it: the other BFFs and the sims from this checkout's builds.
    mkdirSync(join(workspace, 'dist/tools'), { recursive: true });
    for (const app of ['web-bff', 'mobile-bff', 'partner-bff']) symlinkSync(join(REPO_ROOT, 'dist/apps', app), join(workspace, 'dist/apps', app), 'dir');
    symlinkSync(join(REPO_ROOT, 'dist/tools/upstream-sim'), join(workspace, 'dist/tools/upstream-sim'), 'dir');
    // The new BFF on the port its config declares (3999), the others moved out of the way by <NAME>_PORT.
    const ports: Record<string, number> = {};
    for (const app of ['WEB_BFF', 'MOBILE_BFF', 'PARTNER_BFF']) [ports[`${app}_PORT`], ports[`${app}_MANAGEMENT_PORT`]] = [await freePort(), await freePort()];
    const stack = new ManagedProcess(
      'npm start',
      spawn(process.execPath, ['tools/scripts/start-stack.mjs'], {
        cwd: workspace,
        env: { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    try {
      const url = 'http://127.0.0.1:3999';
      // Ready: its upstreams (the sims the stack started) answer.
      await waitUntilAnswering(`${url}/health/ready`, stack, 60_000);
      const docs = (await (await fetch(`${url}/docs/json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(docs.paths)).toContain('/api/products/{id}/summary');
      // Metrics on the management port its config declares (3999 + 6100), never on the clients' port.
      expect(await (await fetch('http://127.0.0.1:10099/metrics')).text()).toContain('process_cpu_seconds_total{app="demo-bff"}');
      expect((await fetch(`${url}/metrics`)).status).toBe(404);
      // Its row in the summary the stack prints once every BFF is ready.
      await waitForLine(stack, /│ demo-bff +http:\/\/localhost:3999 +user JWT/);
    } finally {
      await stack.stop(20_000);
    }
  }, 420_000);
});

/** Waits until the process has printed a line matching `pattern` (or fails with its output). */
async function waitForLine(process: ManagedProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const line = process.output.find((l) => pattern.test(l));
    if (line) return line;
    if (!process.running) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${process.name} printed no line matching ${pattern}:\n${process.logs()}`);
}
