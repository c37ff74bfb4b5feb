import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/support/managed-process';

/**
 * The flags the BFF image gives node (its Dockerfile's `CMD ["node", ...,
 * "main.js"]`), read from the Dockerfile so the bench starts every BFF as the
 * image does and the flags have one home. On Node 20 the young-generation
 * cap there is its default; on Node 24 it is what keeps a BFF's RSS down.
 *
 * @example BenchProcess.start(id, process.execPath, [...imageNodeFlags(), 'dist/apps/web-bff/main.js'], options)
 */
export function imageNodeFlags(dockerfile = readFileSync(join(REPO_ROOT, 'deploy/docker/Dockerfile'), 'utf8')): string[] {
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(dockerfile);
  if (!cmd) throw new Error('deploy/docker/Dockerfile has no CMD ["node", ...] line');
  const argv = JSON.parse(cmd[1]) as string[];
  if (argv[0] !== 'node' || argv[argv.length - 1] !== 'main.js') throw new Error(`the image's CMD is not node ... main.js: ${cmd[1]}`);
  return argv.slice(1, -1);
}
