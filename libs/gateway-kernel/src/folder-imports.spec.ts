import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The kernel's folders depend on each other without cycles: each folder
 * (or file at the top of src/) is a node, each relative import from a
 * non-spec file into another top-level folder an edge. Type-only imports
 * count too: they tie the folders together just the same.
 */
const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `upstream` for src/upstream/transports/http.transport.ts, `gateway-kernel.module` for a file at the top. */
function nodeOf(path: string): string {
  return relative(SRC, path).split(sep)[0].replace(/\.ts$/, '');
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const [, specifier] of code.matchAll(IMPORT)) {
      const to = nodeOf(resolve(dirname(file), specifier));
      if (to === from || to.startsWith('..')) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** One cycle per node that reaches itself, as `a -> b -> a`, each cycle listed once. */
function cyclesOf(graph: Map<string, Set<string>>): string[] {
  const found = new Map<string, string>();
  for (const start of [...graph.keys()].sort()) {
    const path = shortestPath(graph, start, start);
    if (!path) continue;
    const key = [...new Set(path)].sort().join(' ');
    if (!found.has(key)) found.set(key, path.join(' -> '));
  }
  return [...found.values()];
}

function shortestPath(graph: Map<string, Set<string>>, from: string, to: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [...(graph.get(from) ?? [])].sort();
  for (const next of queue) previous.set(next, from);
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === to) {
      const path = [to];
      for (let at = previous.get(to)!; at !== from; at = previous.get(at)!) path.unshift(at);
      return [from, ...path];
    }
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined;
}

function reaches(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  return shortestPath(graph, from, to) !== undefined;
}

describe('kernel folder imports', () => {
  const graph = folderGraph();

  it('sees the folders and their imports', () => {
    expect(graph.get('upstream')).toEqual(expect.any(Set));
    expect([...graph.get('upstream')!]).toEqual(expect.arrayContaining(['pipeline', 'resilience', 'caching']));
  });

  it('has no cycle between folders', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('keeps the pipeline core, resilience, caching and health free of upstream/', () => {
    for (const folder of ['pipeline', 'resilience', 'caching', 'health']) {
      expect([folder, reaches(graph, folder, 'upstream')]).toEqual([folder, false]);
    }
  });

  it('leaves policy/ free to import auth/ and throttling/: neither reaches it', () => {
    for (const folder of ['auth', 'throttling']) expect([folder, reaches(graph, folder, 'policy')]).toEqual([folder, false]);
  });

  it('names a cycle when there is one', () => {
    const cyclic = new Map([
      ['upstream', new Set(['caching', 'config'])],
      ['caching', new Set(['upstream'])],
      ['health', new Set(['upstream'])],
      ['config', new Set<string>()],
    ]);
    expect(cyclesOf(cyclic)).toEqual(['caching -> upstream -> caching']);
  });
});
