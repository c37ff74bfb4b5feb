import { readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
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

describe('bff generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('eslint.config.mjs', ESLINT);
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
    expect(config).toContain('http: { port: 3004 }');
    expect(config).toContain("mode: 'jwt'");
    await bffGenerator(tree, { name: 'kiosk-bff', port: 3100, auth: 'api-key', skipFormat: true });
    const kiosk = tree.read('apps/kiosk-bff/src/app/kiosk-bff.config.ts', 'utf8')!;
    expect(kiosk).toContain('http: { port: 3100 }');
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

  it('refuses a name already taken', async () => {
    await expect(bffGenerator(tree, { name: 'web-bff', skipFormat: true })).rejects.toThrow(/already exists/);
  });
});
