import {
  addProjectConfiguration,
  formatFiles,
  generateFiles,
  getProjects,
  logger,
  names,
  readJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import type { BffGeneratorSchema } from './schema';

const FIRST_PORT = 3001;
/** A BFF's management port (metrics) is its clients' port plus this: 3001 -> 9101. */
const MANAGEMENT_PORT_OFFSET = 6100;
const ESLINT_CONFIG = 'eslint.config.mjs';
const SHARED_SCOPE_RULE = /^([ \t]*)\{ sourceTag: 'scope:shared',/m;
const K8S_DIR = 'deploy/k8s';
const KUSTOMIZATION = `${K8S_DIR}/kustomization.yaml`;
const SECRETS = `${K8S_DIR}/secrets.yaml`;

/**
 * Writes a new BFF under apps/<name>, wired to the gateway kernel like the
 * others: config with a port and upstreams, a sample aggregation endpoint,
 * a controller spec and an in-process end-to-end spec that pass as written;
 * health, metrics, logs, traces and docs come from the kernel. Tags it
 * `type:app`, so `npm start` runs it with the others; writes its Kubernetes
 * manifests into the kustomization; adds its scope to the module-boundary
 * matrix; then prints what it did and what to do next.
 *
 * @example nx g @multi-bff/bff-plugin:bff tv-bff --port=3004
 */
export async function bffGenerator(tree: Tree, options: BffGeneratorSchema): Promise<GeneratorCallback> {
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
  const substitutions = {
    tmpl: '',
    name,
    scope,
    port,
    managementPort: port + MANAGEMENT_PORT_OFFSET,
    auth,
    className: n.className,
    constantName: n.constantName,
    // A development-only key for api-key apps (the key is `<name>-demo-key`); production sets API_KEYS.
    demoKeySha256: createHash('sha256').update(`${name}-demo-key`).digest('hex'),
    // Images are tagged with the workspace's version, like the other BFFs'.
    version: (tree.exists('package.json') && readJson<{ version?: string }>(tree, 'package.json').version) || '0.1.0',
  };
  generateFiles(tree, join(__dirname, 'files'), root, substitutions);
  const deployed = addManifests(tree, name, auth, substitutions);
  const bounded = addScopeConstraint(tree, scope);
  if (!options.skipFormat) await formatFiles(tree);
  return () => logger.info(report({ name, scope, port, auth, deployed, bounded }));
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
 * other apps' scopes: a line in the root ESLint config's matrix, before the
 * shared one. False when there is no matrix to add it to (said as a warning).
 */
function addScopeConstraint(tree: Tree, scope: string): boolean {
  const config = tree.read(ESLINT_CONFIG, 'utf8');
  if (!config) {
    logger.warn(`${ESLINT_CONFIG} not found: add a depConstraint for scope:${scope} by hand`);
    return false;
  }
  if (config.includes(`sourceTag: 'scope:${scope}'`)) return true;
  const anchor = SHARED_SCOPE_RULE.exec(config);
  if (!anchor) {
    logger.warn(`no scope:shared rule in ${ESLINT_CONFIG}: add a depConstraint for scope:${scope} by hand`);
    return false;
  }
  const rule = `${anchor[1]}{ sourceTag: 'scope:${scope}', onlyDependOnLibsWithTags: ['scope:${scope}', 'scope:shared'] },\n`;
  tree.write(ESLINT_CONFIG, config.slice(0, anchor.index) + rule + config.slice(anchor.index));
  return true;
}

/**
 * `deploy/k8s/<name>.yaml` (ConfigMap, Deployment, Service, HPA, PDB, like
 * the other BFFs'), listed in the kustomization; an api-key app also gets an
 * example `<name>-secrets` (API_KEYS) in secrets.yaml. False when the
 * workspace has no kustomization (said as a warning).
 */
function addManifests(tree: Tree, name: string, auth: string, substitutions: Record<string, unknown>): boolean {
  const kustomization = tree.read(KUSTOMIZATION, 'utf8');
  if (!kustomization) {
    logger.warn(`${KUSTOMIZATION} not found: no Kubernetes manifests written for ${name}`);
    return false;
  }
  generateFiles(tree, join(__dirname, 'deploy-files'), '.', substitutions);
  // parseDocument keeps the file's comments and layout; only the list grows.
  const doc = parseDocument(kustomization);
  const resources = doc.get('resources');
  const file = `${name}.yaml`;
  if (!isSeq(resources)) throw new Error(`${KUSTOMIZATION}: no resources list to add ${file} to`);
  if (!resources.items.some((item) => String(item) === file)) resources.add(file);
  tree.write(KUSTOMIZATION, doc.toString());
  if (auth === 'api-key') addApiKeySecret(tree, name);
  return true;
}

/** An example Secret holding the app's API_KEYS, next to the others; the real one comes from the secret manager. */
function addApiKeySecret(tree: Tree, name: string): void {
  const secrets = tree.read(SECRETS, 'utf8') ?? '';
  if (secrets.includes(`name: ${name}-secrets`)) return;
  const secret = [
    `# ${name}'s API keys as SHA-256 hashes, never the keys (see partner-bff-secrets).`,
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${name}-secrets`,
    `  labels: { app.kubernetes.io/name: ${name}, app.kubernetes.io/part-of: multi-bff }`,
    'type: Opaque',
    'stringData:',
    '  API_KEYS: >-',
    `    [{"id":"example-${name}","sha256":"${'0'.repeat(64)}","tier":"free","scopes":[]}]`,
    '',
  ].join('\n');
  tree.write(SECRETS, secrets ? `${secrets.replace(/\n*$/, '\n')}---\n${secret}` : secret);
}

/** What the generator did and what to do next, printed once the files are written. */
function report(r: { name: string; scope: string; port: number; auth: string; deployed: boolean; bounded: boolean }): string {
  const credential = r.auth === 'jwt' ? 'user JWTs (bearer)' : `API keys (X-API-Key; development key: ${r.name}-demo-key)`;
  const rows = (entries: Array<[string, string] | false>) => {
    const kept = entries.filter((e): e is [string, string] => e !== false);
    const width = Math.max(...kept.map(([left]) => left.length)) + 2;
    return kept.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
  };
  return [
    '',
    `${r.name}: a new BFF on the gateway kernel, port ${r.port}, ${credential}`,
    ...rows([
      [`apps/${r.name}/`, 'config, a sample aggregation endpoint (GET /api/products/:id/summary), specs'],
      [`tags scope:${r.scope} type:app`, 'npm start builds and runs every type:app project: this one too'],
      r.deployed && [`${K8S_DIR}/${r.name}.yaml`, `ConfigMap, Deployment, Service, HPA, PDB; listed in ${KUSTOMIZATION}`],
      r.deployed && r.auth === 'api-key' && [SECRETS, `an example ${r.name}-secrets (API_KEYS): the real one comes from your secret manager`],
      r.bounded && [ESLINT_CONFIG, `scope:${r.scope} in the module-boundary matrix: it may import scope:${r.scope} and scope:shared only`],
    ]),
    '',
    'Next:',
    ...rows([
      [`npx nx run-many -t lint test build -p ${r.name}`, 'its checks and build'],
      ['npm start', `the stack, this BFF included: http://localhost:${r.port}/docs`],
      [`apps/${r.name}/src/app/${r.name}.config.ts`, `its upstreams (in the cluster: UPSTREAM_* in ${K8S_DIR}/${r.name}.yaml)`],
    ]),
    `  its image: npx nx build ${r.name} && docker build -f deploy/docker/Dockerfile --build-arg APP=${r.name} --build-arg PORT=${r.port} -t multi-bff/${r.name} .`,
    '',
  ].join('\n');
}
