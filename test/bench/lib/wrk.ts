import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseWrkOutput, type WrkResult } from './wrk-output';

export const WRK_DIR = join(__dirname, '..', 'wrk');

export interface WrkRun {
  url: string;
  seconds: number;
  connections: number;
  cpu: number;
  headers?: Record<string, string>;
  /** A file of bearer tokens: each request takes the next (wrk/rotate-tokens.lua). */
  tokenFile?: string;
  /** A file of paths: each request asks for the next (wrk/rotate-paths.lua); `url` then gives only the server. */
  pathFile?: string;
  /** Where in the token or path file to start (0-based): where the previous run left off. */
  rotateFrom?: number;
}

/**
 * One wrk run: one thread (it shares its core with the upstream stub), fixed
 * connections, no pipelining, latency percentiles, every non-2xx counted by
 * wrk/count.lua. Killed if it outlives its duration by 20 s.
 */
export function runWrk(run: WrkRun): Promise<{ result: WrkResult; stdout: string }> {
  if (run.tokenFile && run.pathFile) throw new Error('rotate tokens or paths, not both');
  const script = join(WRK_DIR, run.tokenFile ? 'rotate-tokens.lua' : run.pathFile ? 'rotate-paths.lua' : 'count.lua');
  const file = run.tokenFile ?? run.pathFile;
  const args = [
    '-c', String(run.cpu),
    'wrk', '-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--latency', '--timeout', '5s', '-s', script,
    ...Object.entries(run.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    run.url,
    ...(file ? ['--', file, String(run.rotateFrom ?? 0)] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), (run.seconds + 20) * 1000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`wrk ${run.url} exited ${code ?? signal}: ${stderr}${stdout}`.slice(0, 2_000)));
      try {
        resolve({ result: parseWrkOutput(stdout), stdout });
      } catch (error) {
        reject(error);
      }
    });
  });
}
