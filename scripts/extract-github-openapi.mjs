#!/usr/bin/env node
// Refreshes src/drill/emulators/github/openapi-subset.json from GitHub's published OpenAPI
// description (the @octokit/openapi package). The package is ~385 MB unpacked, so it is never a
// project dependency: we `npm pack` it into a temp dir, extract only api.github.com.json, and keep
// just the operations firebreak calls plus the components they reference (transitively), without
// descriptions and examples.
//
//   node scripts/extract-github-openapi.mjs [--version 23.0.2] [--from path/to/api.github.com.json]
//
// Add an operation: append its operationId to OPERATIONS, run this script, implement the handler
// in src/drill/emulators/github/handlers.ts. The emulator refuses any call outside the subset.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPERATIONS = [
  'repos/get',
  // Issues: the incident ledger.
  'issues/create',
  'issues/get',
  'issues/update',
  'issues/list-for-repo',
  'issues/create-comment',
  'issues/list-comments',
  'issues/get-comment',
  'issues/update-comment',
  'issues/create-label',
  'issues/get-label',
  'issues/list-labels-for-repo',
  'issues/list-labels-on-issue',
  'issues/add-labels',
  'issues/remove-label',
  'issues/set-labels',
  // Postmortem branch, file and pull request.
  'git/get-ref',
  'git/create-ref',
  // Rollback: restore a known-good tree on top of a branch (API only, no checkout).
  'git/get-commit',
  'git/create-commit',
  'git/update-ref',
  'repos/get-content',
  'repos/create-or-update-file-contents',
  'pulls/create',
  'pulls/get',
  'pulls/list',
  // Secrets, variables, environments, workflows.
  'actions/get-repo-public-key',
  'actions/create-or-update-repo-secret',
  'actions/get-repo-secret',
  'actions/list-repo-secrets',
  'actions/delete-repo-secret',
  'actions/get-environment-public-key',
  'actions/create-or-update-environment-secret',
  'actions/get-environment-secret',
  'actions/list-environment-secrets',
  'actions/delete-environment-secret',
  'actions/create-repo-variable',
  'actions/update-repo-variable',
  'actions/get-repo-variable',
  'actions/list-repo-variables',
  'actions/delete-repo-variable',
  'actions/create-environment-variable',
  'actions/update-environment-variable',
  'actions/get-environment-variable',
  'actions/list-environment-variables',
  'actions/delete-environment-variable',
  'actions/list-repo-workflows',
  'actions/get-workflow',
  'actions/disable-workflow',
  'actions/enable-workflow',
  'actions/create-workflow-dispatch',
  'repos/get-environment',
  'repos/create-or-update-environment',
  // Deployments (rollback records).
  'repos/create-deployment',
  'repos/list-deployments',
  'repos/create-deployment-status',
  'repos/list-deployment-statuses',
  // Access revocation (revoke-access / restore-access): org and team membership, invitations.
  'users/get-authenticated',
  'orgs/get-membership-for-user',
  'orgs/set-membership-for-user',
  'orgs/remove-membership-for-user',
  'orgs/list-members',
  'orgs/convert-member-to-outside-collaborator',
  'orgs/list-outside-collaborators',
  'orgs/list-pending-invitations',
  'orgs/cancel-invitation',
  'teams/list',
  'teams/get-membership-for-user-in-org',
  'teams/add-or-update-membership-for-user-in-org',
  'teams/remove-membership-for-user-in-org',
  // Incident ticks from the kit's EventBridge Scheduler (repository_dispatch firebreak-tick).
  'repos/create-dispatch-event',
  // Alerts and IssueOps: dispatch, permission lookups, reactions on comments.
  'repos/get-collaborator-permission-level',
  'reactions/create-for-issue-comment',
  'reactions/list-for-issue-comment',
  // Scanning alerts by poll (firebreak alert poll-scanning): the events cannot start a workflow.
  'code-scanning/list-alerts-for-repo',
  'secret-scanning/list-alerts-for-repo',
];

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
// Annotation keys dropped to keep the subset small; never dropped inside a `properties` map, where
// keys are field names (GitHub labels have a `description` field).
const ANNOTATIONS = new Set(['description', 'summary', 'example', 'examples', 'externalDocs', 'tags', 'title']);

function parseArgs(argv) {
  const args = { version: 'latest', from: undefined, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version') args.version = argv[++i];
    else if (a === '--from') args.from = argv[++i];
    else if (a === '--out') args.out = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  return args;
}

/** Downloads the package tarball with npm (no install, no scripts) and reads the one file we need. */
function loadUpstream(version) {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-openapi-'));
  try {
    const out = execFileSync('npm', ['pack', `@octokit/openapi@${version}`, '--pack-destination', dir, '--json', '--ignore-scripts'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [packed] = JSON.parse(out);
    execFileSync('tar', ['-xzf', join(dir, packed.filename), '-C', dir, 'package/generated/api.github.com.json']);
    const spec = JSON.parse(readFileSync(join(dir, 'package/generated/api.github.com.json'), 'utf8'));
    return { spec, packageVersion: packed.version };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function clean(node, inPropertiesMap = false) {
  if (Array.isArray(node)) return node.map((n) => clean(n));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!inPropertiesMap && (ANNOTATIONS.has(key) || key.startsWith('x-'))) continue;
    out[key] = clean(value, !inPropertiesMap && (key === 'properties' || key === 'patternProperties'));
  }
  return out;
}

function collectRefs(node, into) {
  if (Array.isArray(node)) {
    for (const n of node) collectRefs(n, into);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') into.add(value);
      else collectRefs(value, into);
    }
  }
}

function resolvePointer(spec, ref) {
  if (!ref.startsWith('#/')) throw new Error(`external $ref not supported: ${ref}`);
  const parts = ref.slice(2).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = spec;
  for (const p of parts) {
    node = node?.[p];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return { parts, node };
}

export function extractSubset(spec, operations, meta) {
  const wanted = new Set(operations);
  const paths = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method) || !wanted.has(op.operationId)) continue;
      wanted.delete(op.operationId);
      const kept = clean({ parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])], requestBody: op.requestBody, responses: op.responses });
      if (kept.parameters.length === 0) delete kept.parameters;
      if (kept.requestBody === undefined) delete kept.requestBody;
      paths[path] ??= {};
      paths[path][method] = { operationId: op.operationId, ...kept };
    }
  }
  if (wanted.size > 0) throw new Error(`operations not in the spec: ${[...wanted].join(', ')}`);

  // Pull in every referenced component, transitively.
  const components = {};
  const seen = new Set();
  const queue = new Set();
  collectRefs(paths, queue);
  while (queue.size > 0) {
    const [ref] = queue;
    queue.delete(ref);
    if (seen.has(ref)) continue;
    seen.add(ref);
    const { parts, node } = resolvePointer(spec, ref);
    if (parts[0] !== 'components' || parts.length !== 3) throw new Error(`unexpected $ref shape ${ref}`);
    const cleaned = clean(node);
    components[parts[1]] ??= {};
    components[parts[1]][parts[2]] = cleaned;
    const more = new Set();
    collectRefs(cleaned, more);
    for (const r of more) if (!seen.has(r)) queue.add(r);
  }
  for (const group of Object.values(components)) {
    for (const key of Object.keys(group).sort()) {
      const v = group[key];
      delete group[key];
      group[key] = v;
    }
  }
  return {
    openapi: spec.openapi,
    info: { title: 'firebreak subset of the GitHub REST API', version: spec.info.version, source: meta.source },
    paths,
    components,
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  let spec;
  let source;
  if (args.from) {
    spec = JSON.parse(readFileSync(args.from, 'utf8'));
    source = `file:${args.from}`;
  } else {
    const loaded = loadUpstream(args.version);
    spec = loaded.spec;
    source = `@octokit/openapi@${loaded.packageVersion} generated/api.github.com.json`;
  }
  const subset = extractSubset(spec, OPERATIONS, { source });
  const here = dirname(fileURLToPath(import.meta.url));
  const out = args.out ?? join(here, '..', 'src', 'drill', 'emulators', 'github', 'openapi-subset.json');
  const text = `${JSON.stringify(subset)}\n`;
  writeFileSync(`${out}.tmp`, text);
  execFileSync('mv', [`${out}.tmp`, out]);
  const ops = Object.values(subset.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  const schemas = Object.keys(subset.components.schemas ?? {}).length;
  console.log(`wrote ${out}: ${ops} operations, ${schemas} schemas, ${(text.length / 1024).toFixed(0)} KiB (${source})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
