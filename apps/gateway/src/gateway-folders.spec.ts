import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

// The gateway's feature folders depend on each other in one direction only: a cycle between two
// folders (auth <-> limits, jobs <-> tracker, ...) means neither can be understood, tested or moved
// alone. This reads every import of the gateway's sources (tests aside: a test may reach across) and
// fails naming the cycle, so a new one cannot land.

const SRC = __dirname;
/** Folders whose sub-folders are features of their own. */
const NESTED = new Set(['limits', 'uploads']);

/** The feature folder of a source file: `jobs`, `limits/quota`, `uploads/form`; `.` for the composition root (gateway.module.ts, main.ts). */
export function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep).slice(0, -1);
  if (parts.length === 0) return '.';
  if (NESTED.has(parts[0]) && parts.length > 1 && parts[1] !== 'migrations') return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Where a relative import lands (a file or a folder's index); null for packages and other roots. */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => files.has(candidate)) ?? null;
}

/** folder → the folders it imports from (itself and the composition root excluded). */
export function folderGraph(): Map<string, Set<string>> {
  const files = sourceFiles(SRC);
  const known = new Set(files);
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const { fileName } of preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      const target = resolveImport(file, fileName, known);
      if (!target) continue;
      const to = folderOf(target);
      if (to !== from && from !== '.') graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders (strongly connected components of more than one folder, Tarjan), each as a closed path a → b → … → a. */
export function cyclesOf(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) components.push(component);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return components.map((component) => closedPath(graph, new Set(component)));
}

/** One concrete cycle inside a strongly connected component, for the failure message. */
function closedPath(graph: ReadonlyMap<string, ReadonlySet<string>>, component: ReadonlySet<string>): string {
  const start = [...component].sort()[0];
  const path = [start];
  const seen = new Set([start]);
  for (;;) {
    const here = path[path.length - 1];
    const onward = [...(graph.get(here) ?? [])].filter((w) => component.has(w)).sort();
    if (onward.includes(start) && path.length > 1) return [...path, start].join(' → ');
    const step = onward.find((w) => !seen.has(w)) ?? onward[0];
    if (seen.has(step)) return [...path.slice(path.indexOf(step)), step].join(' → ');
    path.push(step);
    seen.add(step);
  }
}

describe('gateway folders', () => {
  it('import each other without a cycle', () => {
    const graph = folderGraph();
    // The reader sees the real graph (not an empty one): the features and their known dependencies.
    expect(graph.get('uploads/form')).toEqual(expect.any(Set));
    expect([...graph.get('tracker')!]).toEqual(expect.arrayContaining(['jobs', 'live']));
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('names a cycle when there is one', () => {
    const graph = new Map([
      ['access', new Set(['limits/rate', 'http'])],
      ['limits/rate', new Set(['access'])],
      ['jobs', new Set(['tracker', 'http'])],
      ['tracker', new Set(['live'])],
      ['live', new Set(['jobs'])],
      ['http', new Set<string>()],
    ]);
    expect(cyclesOf(graph).sort()).toEqual(['access → limits/rate → access', 'jobs → tracker → live → jobs']);
  });

  it('puts each source file in its feature folder', () => {
    expect(folderOf(join(SRC, 'limits/quota/quota.service.ts'))).toBe('limits/quota');
    expect(folderOf(join(SRC, 'limits/limits.config.ts'))).toBe('limits');
    expect(folderOf(join(SRC, 'uploads/direct/migrations/1764482000000-create-direct-uploads.ts'))).toBe(
      'uploads/direct',
    );
    expect(folderOf(join(SRC, 'access/migrations/1764470000001-create-api-keys.ts'))).toBe('access');
    expect(folderOf(join(SRC, 'gateway.module.ts'))).toBe('.');
  });
});
