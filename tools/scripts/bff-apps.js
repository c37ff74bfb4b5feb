// The BFFs of this workspace, found rather than listed: every Nx project
// under apps/ tagged `type:app` (what the bff generator writes), with the
// ports and credential its config defaults declare
// (`apps/<name>/src/app/<name>.config.ts`: `http: { port: N, managementPort: M }`, `mode: '...'`).
// Read by `npm start` (tools/scripts/start-stack.mjs) and the deploy tests,
// so a generated BFF is started and checked like the others.
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const APPS_DIR = 'apps';
const BFF_TAG = 'type:app';
const PORT = /http:\s*\{[^}]*\bport:\s*(\d+)/;
const MANAGEMENT_PORT = /http:\s*\{[^}]*\bmanagementPort:\s*(\d+)/;
const AUTH_MODE = /\bmode:\s*'(jwt|api-key)'/;

/**
 * Every BFF under `<root>/apps`, sorted by port.
 * @example readBffs(repoRoot) // [{ name: 'web-bff', root: 'apps/web-bff', port: 3001, managementPort: 9101, auth: 'jwt', main: 'dist/apps/web-bff/main.js' }, ...]
 * @param {string} workspace the workspace root
 * @returns {{ name: string, root: string, port: number, managementPort: number | undefined, auth: 'jwt' | 'api-key', main: string }[]}
 */
function readBffs(workspace) {
  const apps = join(workspace, APPS_DIR);
  if (!existsSync(apps)) return [];
  const bffs = [];
  for (const dir of readdirSync(apps, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const projectFile = join(apps, dir.name, 'project.json');
    if (!existsSync(projectFile)) continue;
    const project = JSON.parse(readFileSync(projectFile, 'utf8'));
    if (!project.tags?.includes(BFF_TAG)) continue;
    const name = project.name ?? dir.name;
    const configFile = join(apps, dir.name, 'src/app', `${name}.config.ts`);
    const config = existsSync(configFile) ? readFileSync(configFile, 'utf8') : '';
    const port = PORT.exec(config)?.[1];
    // A BFF whose port cannot be found would be started blind: say which file to fix.
    if (!port) throw new Error(`${name}: no \`http: { port: N }\` in ${APPS_DIR}/${dir.name}/src/app/${name}.config.ts`);
    const root = `${APPS_DIR}/${dir.name}`;
    // The kernel's default credential is a user JWT (auth.mode 'jwt').
    const managementPort = MANAGEMENT_PORT.exec(config)?.[1];
    bffs.push({
      name,
      root,
      port: Number(port),
      managementPort: managementPort ? Number(managementPort) : undefined,
      auth: AUTH_MODE.exec(config)?.[1] ?? 'jwt',
      main: `dist/${root}/main.js`,
    });
  }
  return bffs.sort((a, b) => a.port - b.port);
}

module.exports = { readBffs, BFF_TAG };
