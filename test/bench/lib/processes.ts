import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';

/**
 * A server the bench started: pinned to one CPU with `taskset` (which execs the
 * command, so the pid is the server's own), its output to a log file rather
 * than a pipe, so that logging costs what it costs in production (a write to
 * a file descriptor) and the bench process reads nothing while it measures.
 */
export class BenchProcess {
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(
    name: string,
    command: string,
    args: string[],
    options: { cpu?: number; env?: Record<string, string | undefined>; logFile: string; cwd?: string },
  ): BenchProcess {
    const fd = openSync(options.logFile, 'a');
    const [file, argv] = options.cpu === undefined ? [command, args] : ['taskset', ['-c', String(options.cpu), command, ...args]];
    const child = spawn(file, argv, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, ...options.env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    return new BenchProcess(name, child, options.logFile);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Bytes written to the log so far. */
  logBytes(): number {
    return existsSync(this.logFile) ? statSync(this.logFile).size : 0;
  }

  tail(lines = 40): string {
    if (!existsSync(this.logFile)) return '';
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 8_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  waitForExit(): Promise<number | null> {
    return this.exited;
  }
}

/** One GET on a fresh connection: status, headers and body (bounded by a timeout). */
export function httpGet(url: string, headers: Record<string, string> = {}, timeoutMs = 2_000): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls `url` until it answers 200, every `intervalMs`; resolves with the ms
 * since `since`. Fails with the log's tail if the process exits or time runs out.
 */
export async function waitForOk(url: string, proc: BenchProcess, options: { timeoutMs?: number; intervalMs?: number; since?: number } = {}): Promise<number> {
  const since = options.since ?? Date.now();
  const until = Date.now() + (options.timeoutMs ?? 20_000);
  let last = '';
  while (Date.now() < until) {
    if (!proc.running) throw new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${url} answered:\n${proc.tail()}`);
    try {
      const res = await httpGet(url, {}, 1_000);
      if (res.status === 200) return Date.now() - since;
      last = `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
  throw new Error(`${proc.name} not answering 200 at ${url} (${last}):\n${proc.tail()}`);
}

/** Pins every thread of a running process (one we started) to `cpu`. */
export function pinProcess(pid: number, cpu: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`taskset -p ${pid} exited ${code}`))));
  });
}
