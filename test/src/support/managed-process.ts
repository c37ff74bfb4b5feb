import { spawn, type ChildProcess } from 'node:child_process';

export const REPO_ROOT = `${__dirname}/../../..`;

/** A child process whose output is kept for assertions and failure reports. */
export class ManagedProcess {
  readonly output: string[] = [];
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.output.length > 5_000) this.output.splice(0, this.output.length - 5_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Starts `node <script>` from the repo root with the given environment. */
  static start(name: string, script: string, env: Record<string, string | undefined>): ManagedProcess {
    const child = spawn(process.execPath, [script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ManagedProcess(name, child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  waitForExit(timeoutMs = 10_000): Promise<number | null> {
    return Promise.race([
      this.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs}ms`)), timeoutMs).unref(),
      ),
    ]);
  }

  /** SIGTERM, then SIGKILL if it lingers. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    try {
      await this.waitForExit(timeoutMs);
    } catch {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  logs(): string {
    return this.output.join('\n');
  }
}

/** Polls until `url` answers with one of the statuses (or fails with the process's logs). */
export async function waitUntilAnswering(url: string, process: ManagedProcess, timeoutMs = 20_000, ok = [200]): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (!process.running) throw new Error(`${process.name} exited early:\n${process.logs()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (ok.includes(response.status)) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${process.name} not answering at ${url} after ${timeoutMs}ms (${last}):\n${process.logs()}`);
}
