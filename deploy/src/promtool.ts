import { spawnSync } from 'node:child_process';

const INSTALL_HINT = "promtool is not installed: `apt-get install -y prometheus` (Debian's package ships it; .ci/run installs it when missing)";

/**
 * Runs Prometheus's promtool and returns what it printed; throws, naming the
 * install step, when promtool is missing, so a machine without it fails the
 * suite instead of skipping the checks.
 *
 * @example promtool(['check', 'rules', file])
 */
export function promtool(args: string[], input?: string): { status: number; output: string } {
  const run = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 60_000 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(INSTALL_HINT);
  if (run.error) throw run.error;
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}
