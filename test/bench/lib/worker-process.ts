import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BenchProcess } from './processes';
import { REPO_ROOT, type Stack } from './stack';

export interface WorkerRun {
  /** Names its log (logs/<name>.log) and result file. */
  name: string;
  /** A TypeScript entry beside this file, run through @swc-node/register. */
  script: string;
  /** Passed as the one argument, as JSON, with `resultFile` added. */
  settings: object;
  cpu: number;
  /** Killed past this, and the run fails. */
  timeoutMs: number;
}

/**
 * Runs a measuring process pinned to one CPU (taskset, like every process
 * the bench starts, and stopped with the stack on Ctrl-C) and returns what it
 * wrote to its result file. Its own output goes to its log; a failure
 * carries the log's tail.
 */
export async function runWorker<T>(stack: Stack, run: WorkerRun): Promise<T> {
  const resultFile = join(stack.tmpDir, `${run.name}.json`);
  rmSync(resultFile, { force: true });
  const proc = stack.track(
    BenchProcess.start(run.name, process.execPath, ['-r', '@swc-node/register', join(__dirname, run.script), JSON.stringify({ ...run.settings, resultFile })], {
      cpu: run.cpu,
      cwd: REPO_ROOT,
      logFile: join(stack.logDir, `${run.name}.log`),
      // The kernel's sources are imported by their tsconfig path (@gateway/kernel).
      env: { NODE_ENV: 'production', SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json') },
    }),
  );
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), run.timeoutMs).unref());
  const outcome = await Promise.race([proc.waitForExit(), timer]);
  if (outcome === 'timeout') {
    await proc.stop();
    throw new Error(`${run.name} did not finish within ${Math.round(run.timeoutMs / 1000)} s:\n${proc.tail(10)}`);
  }
  if (outcome !== 0 || !existsSync(resultFile)) throw new Error(`${run.name} exited ${outcome ?? proc.child.signalCode}:\n${proc.tail(10)}`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as T;
}
