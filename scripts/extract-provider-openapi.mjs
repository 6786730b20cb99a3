#!/usr/bin/env node
// Refreshes the committed OpenAPI subsets of the Vault and Atlas emulators from the descriptions the
// providers publish, keeping only the operations firebreak calls plus the components they reference.
//
//   node scripts/extract-provider-openapi.mjs vault --from openapi.json --source "hashicorp/vault-client-go@<commit> openapi.json"
//   node scripts/extract-provider-openapi.mjs atlas --from atlas-api-transformed.yaml --source "mongodb/atlas-sdk-go@<commit> openapi/atlas-api-transformed.yaml"
//
// Vault publishes its description from a running server (`vault read sys/internal/specs/openapi`);
// hashicorp/vault-client-go commits the same generated document as openapi.json. MongoDB publishes
// the Atlas Admin API v2 description in mongodb/openapi (openapi/v2.json) and mongodb/atlas-sdk-go
// (openapi/atlas-api-transformed.yaml, the one the official Go SDK is generated from).
//
// Two normalisations, so src/drill/emulators/github/spec.ts can compile both:
// - Atlas's versioned media types (`application/vnd.atlas.2023-01-01+json`) become `application/json`;
//   the version is kept per operation as `mediaType`, and the emulator checks the Accept header.
// - Identity escapes in `pattern` (`\:`) are unescaped: same language, valid in unicode mode.
// - Formats that are names, not checks (Vault's `map`, `duration`, `kvpairs`, `lowercase-string`,
//   `commaDelimitedList`) are dropped; every other keyword is kept.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { extractSubset } from './extract-github-openapi.mjs';

export const PROVIDERS = {
  vault: {
    title: 'firebreak subset of the HashiCorp Vault HTTP API',
    out: 'src/drill/emulators/vault/openapi-subset.json',
    operations: [
      // KV v2: read, write with cas, metadata (current version, custom_metadata for the run marker).
      'kv-v2-read',
      'kv-v2-write',
      'kv-v2-read-metadata',
      'kv-v2-write-metadata',
      // Tokens: who am I (never revoke myself), look up and revoke another token by accessor.
      'token-look-up-self',
      'token-look-up-accessor',
      'token-revoke-accessor',
      // Leases: list under a prefix, revoke by prefix.
      'leases-look-up',
      'leases-revoke-lease-with-prefix',
    ],
  },
  atlas: {
    title: 'firebreak subset of the MongoDB Atlas Administration API v2',
    out: 'src/drill/emulators/atlas/openapi-subset.json',
    operations: [
      'getDatabaseUser',
      'updateDatabaseUser',
      'getAccessListEntry',
      'deleteAccessListEntry',
      'listAccessListEntries',
      // Cloud backup snapshots (issue 14, preserve-evidence): find the project by name, list a
      // cluster's snapshots (idempotence by description), take one on demand, read its status.
      // Handlers in src/drill/emulators/atlas/handlers-snapshots.ts.
      'getGroupByName',
      'listBackupSnapshots',
      'takeSnapshots',
      'getClusterBackupSnapshot',
    ],
  },
};

const NAME_ONLY_FORMATS = new Set(['map', 'duration', 'kvpairs', 'lowercase-string', 'commaDelimitedList', 'slice']);

function normalise(node, mediaTypes) {
  if (Array.isArray(node)) return node.map((n) => normalise(n, mediaTypes));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'content' && value && typeof value === 'object' && !Array.isArray(value)) {
      const content = {};
      for (const [type, media] of Object.entries(value)) {
        const versioned = /^application\/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+json$/.exec(type);
        if (versioned) mediaTypes.add(versioned[1]);
        // The newest version wins when an operation offers several.
        const name = versioned || type === 'application/json' ? 'application/json' : type;
        content[name] = normalise(media, mediaTypes);
      }
      out[key] = content;
    } else if (key === 'format' && typeof value === 'string' && NAME_ONLY_FORMATS.has(value)) {
      continue;
    } else if (key === 'pattern' && typeof value === 'string') {
      // Identity escapes of punctuation (Atlas writes `\:`) are refused by a unicode-mode RegExp,
      // which is how validators compile `pattern`; unescaped they match the same text.
      out[key] = unicodeSafePattern(value);
    } else {
      out[key] = normalise(value, mediaTypes);
    }
  }
  return out;
}

/** Drops identity escapes a unicode-mode RegExp refuses; `\-` only outside a character class. */
export function unicodeSafePattern(pattern) {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[:@#%&=,'"!<>~`]/.test(next) || (next === '-' && !inClass)) out += next;
      else out += c + next;
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    out += c;
  }
  return out;
}

function parseArgs(argv) {
  const [provider, ...rest] = argv;
  const args = { provider, from: undefined, source: undefined };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--from') args.from = rest[++i];
    else if (rest[i] === '--source') args.source = rest[++i];
    else throw new Error(`unknown argument ${rest[i]}`);
  }
  if (!PROVIDERS[provider]) throw new Error(`first argument: one of ${Object.keys(PROVIDERS).join(', ')}`);
  if (!args.from) throw new Error('--from <published description> is required');
  return args;
}

export function extractProviderSubset(provider, spec, source) {
  const def = PROVIDERS[provider];
  // Media versions per operation, read before normalising so each operation keeps its own.
  const versions = new Map();
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item)) {
      if (!op || typeof op !== 'object' || !op.operationId) continue;
      const found = new Set();
      normalise({ requestBody: op.requestBody, responses: op.responses }, found);
      if (found.size > 0) versions.set(op.operationId, [...found].sort().pop());
    }
  }
  const subset = extractSubset(normalise(spec, new Set()), def.operations, { source });
  subset.info.title = def.title;
  for (const item of Object.values(subset.paths)) {
    for (const op of Object.values(item)) {
      const v = versions.get(op.operationId);
      if (v) op.mediaType = `application/vnd.atlas.${v}+json`;
    }
  }
  return subset;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const text = readFileSync(args.from, 'utf8');
  const spec = args.from.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: -1 });
  const subset = extractProviderSubset(args.provider, spec, args.source ?? `file:${args.from}`);
  const here = dirname(fileURLToPath(import.meta.url));
  const out = join(here, '..', PROVIDERS[args.provider].out);
  const body = `${JSON.stringify(subset, null, 1)}\n`;
  writeFileSync(`${out}.tmp`, body);
  execFileSync('mv', [`${out}.tmp`, out]);
  const ops = Object.values(subset.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(`wrote ${out}: ${ops} operations, ${Object.keys(subset.components.schemas ?? {}).length} schemas, ${(body.length / 1024).toFixed(0)} KiB (${subset.info.source})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
