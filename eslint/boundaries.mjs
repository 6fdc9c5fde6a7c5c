// The monorepo's boundaries, checked on every import (relative or @tf/*):
//   - no app imports another app (apps talk through Kafka, the HTTP API and @tf/client);
//   - no lib imports an app;
//   - a gateway feature folder (access, jobs, limits/quota, uploads/form, ...) reaches another only
//     through that folder's public surface: its index.ts, a file its index.ts re-exports, its
//     *.module.ts or its dto/.
// Tests (*.spec.ts) may reach into a feature they test; the composition root (apps/gateway/src/*.ts)
// wires the features together. Cycles between gateway folders: apps/gateway/src/gateway-folders.spec.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GATEWAY_SRC = path.join(ROOT, 'apps', 'gateway', 'src');
/** Gateway folders whose sub-folders are features of their own. */
const NESTED = new Set(['limits', 'uploads']);

/** apps/<name>, libs/<name>, or null (test/, scripts/, packages). */
function ownerOf(file) {
  const [top, name] = path.relative(ROOT, file).split(path.sep);
  return (top === 'apps' || top === 'libs') && name ? { kind: top === 'apps' ? 'app' : 'lib', name } : null;
}

/** The gateway feature folder of a file (relative to src: `jobs`, `limits/quota`), '.' for the root, null outside the gateway. */
export function gatewayFolderOf(file) {
  const rel = path.relative(GATEWAY_SRC, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  const parts = rel.split(path.sep).slice(0, -1);
  if (parts.length === 0) return '.';
  if (NESTED.has(parts[0]) && parts.length > 1 && parts[1] !== 'migrations') return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

/** Where an import lands, as a path without extension (or null for a package). */
function targetOf(file, specifier) {
  if (specifier.startsWith('.')) return path.resolve(path.dirname(file), specifier);
  const lib = /^@tf\/([^/]+)/.exec(specifier);
  return lib ? path.join(ROOT, 'libs', lib[1], 'src') : null;
}

const publicFilesCache = new Map();
/** The files a feature's index.ts re-exports (paths without extension), plus the index itself. */
function publicSurface(folder) {
  if (publicFilesCache.has(folder)) return publicFilesCache.get(folder);
  const dir = path.join(GATEWAY_SRC, folder);
  const index = path.join(dir, 'index.ts');
  const surface = new Set([dir, path.join(dir, 'index')]);
  if (existsSync(index)) {
    for (const m of readFileSync(index, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)) surface.add(path.resolve(dir, m[1]).replace(/\.ts$/, ''));
  }
  publicFilesCache.set(folder, surface);
  return surface;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'no app imports another app, no lib imports an app, gateway features meet through their index.ts' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const owner = ownerOf(file);
    const isSpec = file.endsWith('.spec.ts');
    const fromFolder = gatewayFolderOf(file);
    const check = (node, specifier) => {
      if (typeof specifier !== 'string') return;
      const target = targetOf(file, specifier);
      if (!target) return;
      const to = ownerOf(target);
      if (owner && to?.kind === 'app' && !(owner.kind === 'app' && owner.name === to.name)) {
        const what = owner.kind === 'app' ? 'an app imports another app' : 'a lib imports an app';
        context.report({ node, message: `${owner.kind}s/${owner.name} imports apps/${to.name} ('${specifier}'): ${what}; share code through a lib, talk through Kafka or the HTTP API (@tf/client).` });
        return;
      }
      if (isSpec || fromFolder === null || fromFolder === '.') return;
      const targetFile = existsSync(target) && statSync(target).isDirectory() ? path.join(target, 'index.ts') : target.endsWith('.ts') ? target : `${target}.ts`;
      const toFolder = gatewayFolderOf(targetFile);
      if (toFolder === null || toFolder === '.' || toFolder === fromFolder) return;
      const rel = path.relative(path.join(GATEWAY_SRC, toFolder), targetFile);
      // A feature's module (to import it) and its DTO classes (the API's shapes) are public by definition.
      const alwaysPublic = rel.endsWith('.module.ts') || rel.startsWith(`dto${path.sep}`);
      if (!alwaysPublic && !publicSurface(toFolder).has(target.replace(/\.ts$/, ''))) {
        context.report({ node, message: `gateway/${fromFolder} imports '${specifier}', which gateway/${toFolder}/index.ts does not make public: import what ${toFolder} exports (its module's providers, types), or add the file to its index.ts if it is meant for other features.` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { boundaries: rule } };
