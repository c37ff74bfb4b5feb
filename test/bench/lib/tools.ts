import { execFileSync, spawnSync } from 'node:child_process';

/** The Debian package that brings each command the bench runs. */
const PACKAGES: Record<string, string> = { wrk: 'wrk', nginx: 'nginx', 'redis-server': 'redis-server', taskset: 'util-linux' };

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs what is missing with apt-get (root, Debian), once: this is how a
 * fresh machine gets wrk and nginx. Throws naming what to install otherwise.
 */
export function ensureCommands(commands: string[], log: (line: string) => void): void {
  const missing = commands.filter((c) => !onPath(c) && !onPath(`/usr/sbin/${c}`));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((c) => PACKAGES[c] ?? c))];
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    throw new Error(`the bench needs ${missing.join(', ')}: install ${packages.join(' ')} (Debian: apt-get install -y ${packages.join(' ')})`);
  }
  log(`installing ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env, timeout: 300_000 });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env, timeout: 600_000 });
  // Debian starts the packaged services; the bench runs its own, on its own ports.
  for (const service of ['nginx', 'redis-server'].filter((s) => packages.includes(s))) {
    spawnSync('service', [service, 'stop'], { stdio: 'ignore' });
  }
  const still = commands.filter((c) => !onPath(c) && !onPath(`/usr/sbin/${c}`));
  if (still.length) throw new Error(`still missing after apt-get: ${still.join(', ')}`);
}

/** First line of a command's version output, for the report. */
export function versionOf(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').find(Boolean)?.trim() ?? `${command} (unknown version)`;
}

/** The path of a command (nginx lives in /usr/sbin, which PATH may lack). */
export function commandPath(command: string): string {
  if (onPath(command)) return command;
  if (onPath(`/usr/sbin/${command}`)) return `/usr/sbin/${command}`;
  return command;
}
