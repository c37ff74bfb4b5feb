import { join } from 'node:path';
import type { StartupReport } from './model';
import { freePort } from '../../src/support/free-port';
import { memoryOfTree } from './proc-stats';
import { BenchProcess, waitForOk } from './processes';
import { BFF_APPS, REPO_ROOT, type Stack } from './stack';
import { spread } from './stats';
import { imageNodeFlags } from './image-node-flags';

/** Production logging for start-up: what a deployment would see. */
const PRODUCTION_ENV = { LOG_LEVEL: 'info', ACCESS_LOG: 'true' };

/**
 * Start-up of each BFF: spawn (pinned to the gateway's CPU) to the first 200
 * from /health/ready, polled every 10 ms; then idle RSS one second later.
 */
export async function measureStartup(stack: Stack, starts: number, log: (line: string) => void): Promise<StartupReport[]> {
  const reports: StartupReport[] = [];
  for (const app of BFF_APPS) {
    const samples: StartupReport['samples'] = [];
    let error: string | undefined;
    for (let i = 0; i < starts && !error; i++) {
      const port = await freePort();
      const since = Date.now();
      const proc = stack.track(
        BenchProcess.start(`${app}-start-${i + 1}`, process.execPath, [...imageNodeFlags(), `dist/apps/${app}/main.js`], {
          cpu: stack.cpus.gateway,
          cwd: REPO_ROOT,
          logFile: join(stack.logDir, `startup-${app}-${i + 1}.log`),
          env: stack.bffEnv(app, port, PRODUCTION_ENV),
        }),
      );
      try {
        const readyMs = await waitForOk(`http://127.0.0.1:${port}/health/ready`, proc, { intervalMs: 10, since, timeoutMs: 30_000 });
        await new Promise((r) => setTimeout(r, 1_000));
        const idleRssMb = memoryOfTree(proc.pid).rssMb;
        samples.push({ readyMs, idleRssMb });
        log(`start-up ${app} #${i + 1}: ready in ${readyMs} ms, idle RSS ${idleRssMb.toFixed(1)} MB`);
      } catch (e) {
        error = (e as Error).message;
        log(`start-up ${app} #${i + 1} failed: ${error.split('\n')[0]}`);
      } finally {
        await proc.stop();
      }
    }
    reports.push({ app, samples, readyMs: spread(samples.map((s) => s.readyMs)), idleRssMb: spread(samples.map((s) => s.idleRssMb)), error });
  }
  return reports;
}
