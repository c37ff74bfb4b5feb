import { logger, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse, parseAllDocuments } from 'yaml';
import { bffGenerator } from './bff.generator';

const ESLINT = `export default [
  {
    rules: {
      '@nx/enforce-module-boundaries': ['error', { depConstraints: [
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      ] }],
    },
  },
];
`;

const KUSTOMIZATION = `# kubectl apply -k deploy/k8s
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - secrets.yaml
  - web-bff.yaml
`;

describe('bff generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('eslint.config.mjs', ESLINT);
    tree.write('deploy/k8s/kustomization.yaml', KUSTOMIZATION);
    tree.write('deploy/k8s/secrets.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: gateway-secrets\n');
    tree.write('apps/web-bff/project.json', JSON.stringify({ name: 'web-bff', root: 'apps/web-bff', sourceRoot: 'apps/web-bff/src', projectType: 'application', tags: ['scope:web', 'type:app'] }));
    tree.write('apps/web-bff/src/app/web-bff.config.ts', "export const D = { app: 'web-bff', http: { port: 3003 } };");
  });

  it('writes an app wired to the kernel, with its scope and type tags', async () => {
    await bffGenerator(tree, { name: 'tv-bff', skipFormat: true });
    const project = readProjectConfiguration(tree, 'tv-bff');
    expect(project.tags).toEqual(['scope:tv', 'type:app']);
    expect(project.targets?.test?.options.jestConfig).toBe('apps/tv-bff/jest.config.js');
    for (const file of [
      'webpack.config.js',
      'jest.config.js',
      'eslint.config.mjs',
      'tsconfig.app.json',
      'src/main.ts',
      'src/tracing.ts',
      'src/app/app.module.ts',
      'src/app/tv-bff.config.ts',
      'src/app/products/products.controller.ts',
      'src/app/products/products.controller.spec.ts',
      'src/app/app.e2e.spec.ts',
    ]) {
      expect(tree.exists(`apps/tv-bff/${file}`)).toBe(true);
    }
    expect(tree.read('apps/tv-bff/src/main.ts', 'utf8')).toMatch(/^import '\.\/tracing';/);
    expect(tree.read('apps/tv-bff/src/main.ts', 'utf8')).toContain('runBff(AppModule, { defaults: TV_BFF_DEFAULTS })');
    expect(tree.read('apps/tv-bff/src/tracing.ts', 'utf8')).toContain("startTracing({ serviceName: 'tv-bff' })");
  });

  it('takes the next free port and the JWT scheme by default, or what it is told', async () => {
    await bffGenerator(tree, { name: 'tv-bff', skipFormat: true });
    const config = tree.read('apps/tv-bff/src/app/tv-bff.config.ts', 'utf8')!;
    expect(config).toContain('http: { port: 3004, managementPort: 9104 }');
    expect(config).toContain("mode: 'jwt'");
    await bffGenerator(tree, { name: 'kiosk-bff', port: 3100, auth: 'api-key', skipFormat: true });
    const kiosk = tree.read('apps/kiosk-bff/src/app/kiosk-bff.config.ts', 'utf8')!;
    expect(kiosk).toContain('http: { port: 3100, managementPort: 9200 }');
    expect(kiosk).toMatch(/mode: 'api-key',[\s\S]*sha256: '[0-9a-f]{64}'/);
  });

  it('adds the scope to the module-boundary matrix, once, before the shared scope', async () => {
    await bffGenerator(tree, { name: 'tv-bff', skipFormat: true });
    const eslint = tree.read('eslint.config.mjs', 'utf8')!;
    expect(eslint).toContain("{ sourceTag: 'scope:tv', onlyDependOnLibsWithTags: ['scope:tv', 'scope:shared'] },");
    expect(eslint.indexOf("'scope:tv'")).toBeLessThan(eslint.indexOf("sourceTag: 'scope:shared'"));
    await bffGenerator(tree, { name: 'tv2-bff', scope: 'tv', skipFormat: true });
    expect(tree.read('eslint.config.mjs', 'utf8')!.match(/sourceTag: 'scope:tv'/g)).toHaveLength(1);
  });

  it('writes its Kubernetes manifests on its port and lists them in the kustomization, keeping its comments', async () => {
    await bffGenerator(tree, { name: 'tv-bff', port: 3010, skipFormat: true });
    const docs = parseAllDocuments(tree.read('deploy/k8s/tv-bff.yaml', 'utf8')!).map((d) => d.toJS());
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'ConfigMap/tv-bff-config',
      'Deployment/tv-bff',
      'Service/tv-bff',
      'HorizontalPodAutoscaler/tv-bff',
      'PodDisruptionBudget/tv-bff',
    ]);
    expect(docs[0].data).toEqual(expect.objectContaining({ PORT: '3010', MANAGEMENT_PORT: '9110', JWKS_URL: expect.any(String) }));
    const container = docs[1].spec.template.spec.containers[0];
    expect(container.ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([3010, 9110]);
    expect(docs[1].spec.template.metadata.annotations['prometheus.io/port']).toBe('9110');
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'tv-bff-config' } }, { secretRef: { name: 'gateway-secrets' } }]);
    const kustomization = tree.read('deploy/k8s/kustomization.yaml', 'utf8')!;
    expect(parse(kustomization).resources).toEqual(['secrets.yaml', 'web-bff.yaml', 'tv-bff.yaml']);
    expect(kustomization).toMatch(/^# kubectl apply -k deploy\/k8s\n/);
  });

  it('gives an api-key app its API_KEYS Secret, and no JWT settings', async () => {
    await bffGenerator(tree, { name: 'kiosk-bff', auth: 'api-key', skipFormat: true });
    const [config, deployment] = parseAllDocuments(tree.read('deploy/k8s/kiosk-bff.yaml', 'utf8')!).map((d) => d.toJS());
    expect(config.data.JWKS_URL).toBeUndefined();
    expect(deployment.spec.template.spec.containers[0].envFrom).toContainEqual({ secretRef: { name: 'kiosk-bff-secrets' } });
    const secrets = parseAllDocuments(tree.read('deploy/k8s/secrets.yaml', 'utf8')!).map((d) => d.toJS());
    expect(secrets.map((s) => s.metadata.name)).toEqual(['gateway-secrets', 'kiosk-bff-secrets']);
    expect(JSON.parse(secrets[1].stringData.API_KEYS)[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prints what it wrote and what to do next, once the files are written', async () => {
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      const done = await bffGenerator(tree, { name: 'tv-bff', skipFormat: true });
      expect(info).not.toHaveBeenCalled();
      done();
      const printed = info.mock.calls.map((c) => String(c[0])).join('\n');
      expect(printed).toContain('tv-bff: a new BFF on the gateway kernel, port 3004, user JWTs');
      for (const done of ['apps/tv-bff/', 'type:app', 'deploy/k8s/tv-bff.yaml', 'deploy/k8s/kustomization.yaml', 'scope:tv in the module-boundary matrix'])
        expect(printed).toContain(done);
      expect(printed).toMatch(/Next:[\s\S]*nx run-many -t lint test build -p tv-bff[\s\S]*npm start[\s\S]*--build-arg APP=tv-bff --build-arg PORT=3004/);
    } finally {
      info.mockRestore();
    }
  });

  it('refuses a name already taken', async () => {
    await expect(bffGenerator(tree, { name: 'web-bff', skipFormat: true })).rejects.toThrow(/already exists/);
  });
});
