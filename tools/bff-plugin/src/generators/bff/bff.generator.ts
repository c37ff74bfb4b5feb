import {
  addProjectConfiguration,
  formatFiles,
  generateFiles,
  getProjects,
  logger,
  names,
  type Tree,
} from '@nx/devkit';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { BffGeneratorSchema } from './schema';

const FIRST_PORT = 3001;
const ESLINT_CONFIG = 'eslint.config.mjs';
const SHARED_SCOPE_RULE = /^([ \t]*)\{ sourceTag: 'scope:shared',/m;

/**
 * Writes a new BFF under apps/<name>, wired to the gateway kernel like the
 * others: config with a port and upstreams, a sample aggregation endpoint,
 * a controller spec and an in-process end-to-end spec that pass as written;
 * health, metrics, logs, traces and docs come from the kernel. Adds the
 * app's scope to the module-boundary matrix.
 *
 * @example nx g @multi-bff/bff-plugin:bff tv-bff --port=3004
 */
export async function bffGenerator(tree: Tree, options: BffGeneratorSchema): Promise<void> {
  const name = options.name;
  const root = `apps/${name}`;
  if (getProjects(tree).has(name) || tree.exists(root)) throw new Error(`${name}: a project or folder of that name already exists`);
  const scope = options.scope ?? name.replace(/-bff$/, '');
  const port = options.port ?? nextPort(tree);
  const auth = options.auth ?? 'jwt';

  addProjectConfiguration(tree, name, {
    root,
    sourceRoot: `${root}/src`,
    projectType: 'application',
    tags: [`scope:${scope}`, 'type:app'],
    targets: {
      serve: { executor: '@nx/js:node', options: { buildTarget: `${name}:build`, watch: false } },
      lint: { executor: '@nx/eslint:lint' },
      // Command and caching come from nx.json's targetDefaults, as for the other apps.
      typecheck: {},
      test: {
        executor: '@nx/jest:jest',
        outputs: ['{workspaceRoot}/coverage/{projectRoot}'],
        options: { jestConfig: `${root}/jest.config.js` },
      },
    },
  });
  const n = names(name);
  generateFiles(tree, join(__dirname, 'files'), root, {
    tmpl: '',
    name,
    scope,
    port,
    auth,
    className: n.className,
    constantName: n.constantName,
    // A development-only key for api-key apps (the key is `<name>-demo-key`); production sets API_KEYS.
    demoKeySha256: createHash('sha256').update(`${name}-demo-key`).digest('hex'),
  });
  addScopeConstraint(tree, scope);
  if (!options.skipFormat) await formatFiles(tree);
}

export default bffGenerator;

/** One above the highest `http: { port: N }` among the existing BFFs' configs. */
function nextPort(tree: Tree): number {
  let highest = FIRST_PORT - 1;
  for (const project of getProjects(tree).values()) {
    if (project.projectType !== 'application' || !project.tags?.includes('type:app')) continue;
    const dir = `${project.sourceRoot ?? `${project.root}/src`}/app`;
    if (!tree.exists(dir)) continue;
    for (const file of tree.children(dir).filter((f) => f.endsWith('.config.ts'))) {
      const port = /http:\s*\{[^}]*port:\s*(\d+)/.exec(tree.read(`${dir}/${file}`, 'utf8') ?? '')?.[1];
      if (port) highest = Math.max(highest, Number(port));
    }
  }
  return highest + 1;
}

/**
 * `scope:<scope>` may depend on itself and the shared scope only, like the
 * other apps' scopes: a line in the root ESLint config's matrix, before the shared one.
 */
function addScopeConstraint(tree: Tree, scope: string): void {
  const config = tree.read(ESLINT_CONFIG, 'utf8');
  if (!config) {
    logger.warn(`${ESLINT_CONFIG} not found: add a depConstraint for scope:${scope} by hand`);
    return;
  }
  if (config.includes(`sourceTag: 'scope:${scope}'`)) return;
  const anchor = SHARED_SCOPE_RULE.exec(config);
  if (!anchor) {
    logger.warn(`no scope:shared rule in ${ESLINT_CONFIG}: add a depConstraint for scope:${scope} by hand`);
    return;
  }
  const rule = `${anchor[1]}{ sourceTag: 'scope:${scope}', onlyDependOnLibsWithTags: ['scope:${scope}', 'scope:shared'] },\n`;
  tree.write(ESLINT_CONFIG, config.slice(0, anchor.index) + rule + config.slice(anchor.index));
}
