import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support';

/**
 * Runtime dependencies that no source file imports, each with what needs
 * it. Removing one breaks something no import shows; the spec checks the
 * reason still holds, so the list cannot outlive it.
 */
const NEEDED_WITHOUT_IMPORT: Record<string, (pkg: (name: string) => PackageJson) => boolean> = {
  // @nestjs/passport's peer: its PassportStrategy mixin requires it.
  passport: (pkg) => 'passport' in (pkg('@nestjs/passport').peerDependencies ?? {}),
  // nestjs-pino's peer: it requires pino-http at load, though the kernel writes its own access line.
  'pino-http': (pkg) => 'pino-http' in (pkg('nestjs-pino').peerDependencies ?? {}),
  // The compiled output imports its helpers from tslib (importHelpers).
  tslib: () => JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.base.json'), 'utf8')).compilerOptions?.importHelpers === true,
};

interface PackageJson {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const SOURCE_ROOTS = ['apps', 'libs', 'tools'];
const SPECIFIER = /(?:from\s+|import\s+|require\(\s*|import\(\s*)['"]((?:@[^/'"]+\/)?[^/'"]+)/g;

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|js|mjs)$/.test(path) && !path.split('/').includes('node_modules'))
    .map((path) => join(root, path));
}

describe('runtime dependencies', () => {
  const pkg = (name: string): PackageJson => JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8'));
  const declared = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson).dependencies ?? {});
  const imported = new Set<string>();
  for (const root of SOURCE_ROOTS) {
    for (const file of sourceFiles(join(REPO_ROOT, root))) {
      for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) imported.add(match[1]);
    }
  }

  it('each is imported by a source file, or is listed with what needs it', () => {
    const unexplained = declared.filter((name) => !imported.has(name) && !(name in NEEDED_WITHOUT_IMPORT));
    expect(unexplained).toEqual([]);
  });

  it.each(Object.keys(NEEDED_WITHOUT_IMPORT))('%s is still needed for the reason given, and still not imported', (name) => {
    expect(declared).toContain(name);
    expect(imported.has(name)).toBe(false);
    expect(NEEDED_WITHOUT_IMPORT[name](pkg)).toBe(true);
  });
});
