#!/usr/bin/env node
/**
 * Extracts the subset of each notification provider's published API description that the drill's
 * emulators check requests and responses against, with every `$ref` inlined, into
 * src/drill/emulators/<provider>/spec-subset.json. Run it with the source documents downloaded:
 *
 *   node scripts/extract-notify-specs.mjs --slack slack_web_openapi_v2.json \
 *     --pagerduty-events events-v2.json --pagerduty-rest rest.json
 *
 * Sources (pinned; the commit is recorded in each subset):
 *   Slack      slackapi/slack-api-specs   web-api/slack_web_openapi_v2.json   (Swagger 2.0)
 *   PagerDuty  PagerDuty/api-schema       reference/events-v2/openapiv3.json, reference/REST/openapiv3.json
 * Google Chat (discovery document) and Statuspage (OpenAPI) could not be brought into this
 * repository's build machine; their subsets are written by hand from the published documents and
 * marked `"source": {"hand": true}` until this script extracts them too.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));

const SLACK = { repo: 'slackapi/slack-api-specs', commit: 'bc08db49625630e3585bf2f1322128ea04f2a7f3', path: 'web-api/slack_web_openapi_v2.json' };
const PD = { repo: 'PagerDuty/api-schema', commit: '91a06fb3c64b0ab2b2bd6c485d12b327dfb55c18' };
const SLACK_OPS = [
  ['post', '/chat.postMessage'],
  ['post', '/conversations.create'],
  ['post', '/conversations.invite'],
  ['post', '/conversations.setTopic'],
  ['post', '/conversations.archive'],
  ['get', '/conversations.list'],
  ['post', '/pins.add'],
];

/** Inlines every local `$ref` (depth-limited: recursive schemas end in `{}`). */
function inline(doc, node, depth = 0) {
  if (Array.isArray(node)) return node.map((n) => inline(doc, n, depth));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (depth > 12) return {};
    const target = node.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
    if (target === undefined) throw new Error(`dangling ${node.$ref}`);
    return inline(doc, target, depth + 1);
  }
  const out = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'example' && k !== 'examples' && k !== 'description' && k !== 'x-examples') out[k] = inline(doc, v, depth);
  return out;
}

function slackSubset(file) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const operations = {};
  for (const [method, path] of SLACK_OPS) {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`slack spec has no ${method} ${path}`);
    const properties = {};
    const required = [];
    for (const p of op.parameters ?? []) {
      if (p.in !== 'formData' && p.in !== 'query') continue;
      properties[p.name] = { type: p.type === 'integer' ? 'integer' : p.type === 'boolean' ? 'boolean' : 'string' };
      if (p.required) required.push(p.name);
    }
    const responses = {};
    for (const [code, r] of Object.entries(op.responses ?? {})) responses[code] = r.schema ? inline(doc, r.schema) : null;
    operations[path.slice(1)] = { method, path, request: { type: 'object', properties, required, additionalProperties: false }, responses };
  }
  return { source: { ...SLACK, version: doc.info.version }, operations };
}

function openapiOp(doc, path, method, name) {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${name}: no ${method} ${path}`);
  const query = { type: 'object', properties: {}, required: [] };
  for (const raw of op.parameters ?? []) {
    const p = inline(doc, raw);
    if (p.in !== 'query') continue;
    query.properties[p.name] = p.schema ?? {};
    if (p.required) query.required.push(p.name);
  }
  const body = op.requestBody ? inline(doc, op.requestBody).content?.['application/json']?.schema : undefined;
  const responses = {};
  for (const [code, r] of Object.entries(op.responses ?? {})) {
    const resolved = r.$ref ? inline(doc, r) : r;
    responses[code] = resolved.content?.['application/json']?.schema ? inline(doc, resolved.content['application/json'].schema) : null;
  }
  return { method, path, query, ...(body ? { request: body } : {}), responses };
}

function pagerdutySubset(eventsFile, restFile) {
  const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
  const rest = JSON.parse(readFileSync(restFile, 'utf8'));
  return {
    source: { ...PD, paths: ['reference/events-v2/openapiv3.json', 'reference/REST/openapiv3.json'], eventsVersion: events.info.version, restVersion: rest.info.version },
    operations: {
      // Events v2 is served under /v2 (its `servers` entry); the path here is the document's.
      enqueue: { ...openapiOp(events, '/enqueue', 'post', 'events-v2'), prefix: '/v2' },
      listOnCalls: openapiOp(rest, '/oncalls', 'get', 'rest'),
    },
  };
}

const write = (provider, subset) => {
  const out = new URL(`../src/drill/emulators/${provider}/spec-subset.json`, import.meta.url);
  writeFileSync(out, `${JSON.stringify(subset, null, 1)}\n`);
  console.log(`wrote ${out.pathname} (${Object.keys(subset.operations).length} operations)`);
};

if (args.slack) write('slack', slackSubset(args.slack));
if (args['pagerduty-events'] && args['pagerduty-rest']) write('pagerduty', pagerdutySubset(args['pagerduty-events'], args['pagerduty-rest']));
if (!args.slack && !args['pagerduty-events']) {
  console.error('usage: extract-notify-specs.mjs --slack <file> --pagerduty-events <file> --pagerduty-rest <file>');
  process.exit(2);
}
