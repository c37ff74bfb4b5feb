import { spawnSync } from 'node:child_process';

/**
 * Runs Prometheus's promtool (Debian's `prometheus` package; .ci/run installs
 * it when missing). A missing promtool throws, naming the install step: the
 * suite fails rather than skipping the check.
 *
 * @example promtool(['check', 'metrics'], text)
 */
export function promtool(args: string[], input?: string): { status: number; output: string } {
  const run = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 60_000 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('promtool is not installed: `apt-get install -y prometheus` (.ci/run installs it when missing)');
  }
  if (run.error) throw run.error;
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}
