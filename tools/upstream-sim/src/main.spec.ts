import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the CLI from source, compiled on the fly by SWC with the workspace's
// .swcrc, as `node dist/tools/upstream-sim/main.js` runs the build.
const MAIN = join(__dirname, 'main.ts');
const WORKSPACE = join(__dirname, '..', '..', '..');

function runSim(env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    cwd: WORKSPACE,
    env: { ...process.env, SWCRC: 'true', SWC_CONFIG_FILE: join(WORKSPACE, '.swcrc'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('main (the upstream-sim process)', () => {
  jest.setTimeout(20_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'upstream-sim-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the chosen services, writes the ready file, and exits 0 on SIGTERM', async () => {
    const readyFile = join(dir, 'ready.json');
    const sim = runSim({ SIM_SERVICES: 'catalog,reviews', SIM_CATALOG_PORT: '0', SIM_REVIEWS_PORT: '0', SIM_READY_FILE: readyFile });
    try {
      await waitFor(() => sim.output().includes('upstream-sim ready') || sim.child.exitCode !== null, 15_000);
      expect(sim.output()).toContain('upstream-sim ready');
      const urls = JSON.parse(readFileSync(readyFile, 'utf8'));
      expect(Object.keys(urls)).toEqual(['catalog', 'reviews']);
      expect(sim.output()).toContain(`upstream-sim catalog listening on ${urls.catalog}`);
      expect((await fetch(`${urls.catalog}/products/p1`)).status).toBe(200);
      expect((await fetch(`${urls.reviews}/reviews?productId=p1`)).status).toBe(200);
    } finally {
      sim.child.kill('SIGTERM');
    }
    expect(await sim.exit).toBe(0);
  });

  it('exits 1 naming the variable when the environment is bad', async () => {
    const readyFile = join(dir, 'ready.json');
    const sim = runSim({ SIM_SERVICES: 'catalog', SIM_CATALOG_PORT: 'nope', SIM_READY_FILE: readyFile });
    expect(await sim.exit).toBe(1);
    expect(sim.output()).toContain('SIM_CATALOG_PORT');
    expect(existsSync(readyFile)).toBe(false);
  });
});
