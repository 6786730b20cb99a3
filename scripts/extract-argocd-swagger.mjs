#!/usr/bin/env node
// Refreshes src/drill/emulators/argocd/swagger-subset.json from Argo CD's published API description
// (argoproj/argo-cd, `assets/swagger.json`, Swagger 2.0 generated from the gRPC gateway): only the
// operations firebreak calls plus the definitions they reference (transitively), without
// descriptions and titles. The emulator refuses any call outside the subset.
//
//   node scripts/extract-argocd-swagger.mjs [--commit <sha>] [--from path/to/swagger.json]
//
// Without --from the file is downloaded from raw.githubusercontent.com at the pinned commit.
// Add an operation: append its operationId to OPERATIONS, run this script, add the handler in
// src/drill/emulators/argocd/server.ts.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPERATIONS = ['ApplicationService_Get', 'ApplicationService_Patch', 'ApplicationService_Rollback'];
/** The argo-cd commit the committed subset was taken from (master, 2026-08-22). */
export const PINNED_COMMIT = '37ee0097cf851bc2dd7665fc081bbce61a7e836e';

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
const ANNOTATIONS = new Set(['description', 'summary', 'title', 'tags', 'example', 'externalDocs']);

function clean(node, inProperties = false) {
  if (Array.isArray(node)) return node.map((n) => clean(n));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!inProperties && (ANNOTATIONS.has(key) || key.startsWith('x-'))) continue;
    out[key] = clean(value, !inProperties && key === 'properties');
  }
  return out;
}

function refs(node, into) {
  if (Array.isArray(node)) for (const n of node) refs(n, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') into.add(v);
      else refs(v, into);
    }
  }
}

export function extractSubset(spec, operations, source) {
  const wanted = new Set(operations);
  const paths = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !wanted.has(op.operationId)) continue;
      wanted.delete(op.operationId);
      paths[path] ??= {};
      paths[path][method] = { operationId: op.operationId, ...clean({ parameters: op.parameters ?? [], responses: op.responses }) };
    }
  }
  if (wanted.size > 0) throw new Error(`operations not in the description: ${[...wanted].join(', ')}`);
  const definitions = {};
  const queue = new Set();
  refs(paths, queue);
  const seen = new Set();
  while (queue.size > 0) {
    const [ref] = queue;
    queue.delete(ref);
    if (seen.has(ref)) continue;
    seen.add(ref);
    const m = /^#\/definitions\/(.+)$/.exec(ref);
    if (!m) throw new Error(`unexpected $ref ${ref}`);
    const def = spec.definitions[m[1]];
    if (!def) throw new Error(`dangling $ref ${ref}`);
    definitions[m[1]] = clean(def);
    const more = new Set();
    refs(definitions[m[1]], more);
    for (const r of more) if (!seen.has(r)) queue.add(r);
  }
  const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
  return { swagger: spec.swagger, info: { title: 'firebreak subset of the Argo CD API', source }, consumes: spec.consumes, produces: spec.produces, paths, definitions: sorted };
}

function main() {
  const argv = process.argv.slice(2);
  let from;
  let commit = PINNED_COMMIT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') from = argv[++i];
    else if (argv[i] === '--commit') commit = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const text = from
    ? readFileSync(from, 'utf8')
    : execFileSync('curl', ['-fsSL', `https://raw.githubusercontent.com/argoproj/argo-cd/${commit}/assets/swagger.json`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const subset = extractSubset(JSON.parse(text), OPERATIONS, `argoproj/argo-cd@${commit} assets/swagger.json`);
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'drill', 'emulators', 'argocd', 'swagger-subset.json');
  const json = `${JSON.stringify(subset)}\n`;
  writeFileSync(out, json);
  console.log(`wrote ${out}: ${OPERATIONS.length} operations, ${Object.keys(subset.definitions).length} definitions, ${(json.length / 1024).toFixed(0)} KiB`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
