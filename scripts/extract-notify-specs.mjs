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
 *   Google Chat  the discovery document (https://chat.googleapis.com/$discovery/rest?version=v1)
 *   Statuspage   the OpenAPI document published at https://developer.statuspage.io
 *
 * Google Chat and Statuspage publish no versioned repository of their own, so the parts firebreak
 * uses are vendored, verbatim, into src/drill/emulators/<provider>/published-source.json with their
 * origin (a public repository that keeps a copy, its path and commit). Refresh one from a full copy:
 *
 *   node scripts/extract-notify-specs.mjs --vendor-google-chat chat-v1.json --origin <owner/repo>@<commit>:<path> [--copy-of <text>]
 *   node scripts/extract-notify-specs.mjs --vendor-statuspage swagger.json --origin <owner/repo>@<commit>:<path> [--copy-of <text>]
 *
 * and extract the subsets the emulators check against from the vendored sources:
 *
 *   node scripts/extract-notify-specs.mjs --google-chat --statuspage [--check]
 *
 * (`--check` writes nothing and fails if a committed subset differs from the extraction.)
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

// ---- Google Chat: discovery document -------------------------------------------------------
const CHAT_METHOD = ['spaces', 'messages', 'create'];
const sourceFile = (provider) => new URL(`../src/drill/emulators/${provider}/published-source.json`, import.meta.url);

function parseOrigin(text) {
  const m = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40}):(.+)$/.exec(text ?? '');
  if (!m) throw new Error('--origin must be <owner/repo>@<40-hex commit>:<path>');
  // --copy-of: what that repository's file is a copy of (e.g. the fork's upstream and release).
  return { repo: m[1], commit: m[2], path: m[3], ...(args['copy-of'] ? { copyOf: args['copy-of'] } : {}) };
}

/** Every schema name a discovery node references, transitively. */
function discoveryClosure(doc, node, seen = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => discoveryClosure(doc, n, seen));
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string' && !seen.has(node.$ref)) {
      seen.add(node.$ref);
      if (!doc.schemas[node.$ref]) throw new Error(`discovery: dangling $ref ${node.$ref}`);
      discoveryClosure(doc, doc.schemas[node.$ref], seen);
    }
    for (const v of Object.values(node)) discoveryClosure(doc, v, seen);
  }
  return seen;
}

function vendorGoogleChat(file, origin) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const method = CHAT_METHOD.reduce((o, k, i) => (i === CHAT_METHOD.length - 1 ? o?.methods?.[k] : o?.resources?.[k]), doc);
  if (!method || method.id !== 'chat.spaces.messages.create') throw new Error('discovery: no chat.spaces.messages.create');
  const names = [...discoveryClosure(doc, method)].sort();
  return {
    origin: { ...origin, published: 'https://chat.googleapis.com/$discovery/rest?version=v1', note: 'Verbatim parts of the discovery document: header, global parameters, spaces.messages.create and every schema it references.' },
    document: {
      id: doc.id, name: doc.name, version: doc.version, revision: doc.revision, rootUrl: doc.rootUrl, servicePath: doc.servicePath,
      parameters: doc.parameters,
      resources: { spaces: { resources: { messages: { methods: { create: method } } } } },
      schemas: Object.fromEntries(names.map((n) => [n, doc.schemas[n]])),
    },
  };
}

const DISCOVERY_FORMATS = { 'google-datetime': 'date-time', 'date-time': 'date-time', date: 'date' };

/**
 * A discovery schema as JSON Schema: `$ref` by name inlined (recursion ends in `{}`), formats JSON
 * Schema knows kept (google-datetime → date-time; int32/int64/byte/double dropped, int64 stays a
 * string); nesting deeper than three references (card widgets) is left open (`{}`). `closed` marks every object with properties `additionalProperties: false`: Google APIs
 * refuse a request field they do not know ("Invalid JSON payload received. Unknown name").
 */
function discoverySchema(doc, node, closed, depth = 0) {
  if (Array.isArray(node)) return node.map((n) => discoverySchema(doc, n, closed, depth));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') return depth > 3 ? {} : discoverySchema(doc, doc.schemas[node.$ref], closed, depth + 1);
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (['description', 'enumDescriptions', 'enumDeprecated', 'id', 'location', 'readOnly', 'deprecated', 'annotations', 'default'].includes(k)) continue;
    if (k === 'format') {
      if (DISCOVERY_FORMATS[v]) out.format = DISCOVERY_FORMATS[v];
    } else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, discoverySchema(doc, s, closed, depth)]));
    else out[k] = discoverySchema(doc, v, closed, depth);
  }
  if (closed && out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function googleChatSubset() {
  const { origin, document: doc } = JSON.parse(readFileSync(sourceFile('google-chat'), 'utf8'));
  const method = doc.resources.spaces.resources.messages.methods.create;
  const queryParams = { ...Object.fromEntries(Object.entries(doc.parameters).filter(([, p]) => p.location === 'query')), ...Object.fromEntries(Object.entries(method.parameters).filter(([, p]) => p.location === 'query')) };
  const query = { type: 'object', properties: Object.fromEntries(Object.entries(queryParams).map(([n, p]) => [n, discoverySchema(doc, p, false)])), required: [], additionalProperties: false };
  // What the discovery document leaves to prose, each with where it is written down:
  const additions = [
    'query.token: an incoming webhook URL carries `key` and `token` (Google Chat "Build a Google Chat app as a webhook"); the discovery document lists only `key`. Both are required for a webhook.',
    'query.messageId.pattern: from the parameter description ("Must start with `client-` and contain only lowercase letters, numbers, and hyphens up to 63 characters").',
    'query values arrive as strings: boolean parameters accept "true"/"false".',
  ];
  query.properties.token = { type: 'string' };
  query.required.push('key', 'token');
  query.properties.messageId = { ...query.properties.messageId, pattern: '^client-[a-z0-9-]{1,56}$' };
  for (const [n, s] of Object.entries(query.properties)) if (s.type === 'boolean') query.properties[n] = { type: 'string', enum: ['true', 'false'] };
  return {
    source: { ...origin, discoveryId: doc.id, revision: doc.revision, method: method.id, additions },
    operations: {
      [method.id.replace(/^chat\./, '')]: {
        method: method.httpMethod.toLowerCase(),
        path: `/${method.path.replace('{+parent}', 'spaces/{space}')}`,
        query,
        request: discoverySchema(doc, method.request, true),
        responses: { 200: discoverySchema(doc, method.response, false) },
      },
    },
  };
}

// ---- Statuspage: OpenAPI 3 document ---------------------------------------------------------
const STATUSPAGE_OPS = [
  ['/pages/{page_id}/incidents', 'post'],
  ['/pages/{page_id}/incidents/{incident_id}', 'patch'],
  // Finds the incident an earlier run opened (by its metadata) before opening another.
  ['/pages/{page_id}/incidents/unresolved', 'get'],
];

function openapiClosure(doc, node, seen = new Set()) {
  if (Array.isArray(node)) node.forEach((n) => openapiClosure(doc, n, seen));
  else if (node && typeof node === 'object') {
    if (typeof node.$ref === 'string' && !seen.has(node.$ref)) {
      seen.add(node.$ref);
      openapiClosure(doc, node.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o?.[k], doc), seen);
    }
    for (const v of Object.values(node)) openapiClosure(doc, v, seen);
  }
  return seen;
}

function vendorStatuspage(file, origin) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  const paths = {};
  for (const [path, method] of STATUSPAGE_OPS) {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`statuspage: no ${method} ${path}`);
    paths[path] = { ...paths[path], [method]: op };
  }
  const schemas = {};
  for (const ref of [...openapiClosure(doc, paths)].sort()) {
    const name = ref.replace('#/components/schemas/', '');
    if (name === ref) throw new Error(`statuspage: unexpected $ref ${ref}`);
    schemas[name] = doc.components.schemas[name];
  }
  return {
    origin: { ...origin, published: 'https://developer.statuspage.io (the OpenAPI document behind the reference)', note: 'Verbatim parts of the OpenAPI document: info, servers, the incident create/update/list-unresolved operations and every schema they reference.' },
    document: { openapi: doc.openapi, info: { title: doc.info.title, version: doc.info.version }, servers: doc.servers, paths, components: { schemas } },
  };
}

/**
 * The published document's own quirks, normalised (each listed in the subset): a map written as an
 * object with one example key, and `"type": "Object"`.
 */
function normaliseStatuspage(node, notes, where = '') {
  if (Array.isArray(node)) return node.map((n, i) => normaliseStatuspage(n, notes, `${where}/${i}`));
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = normaliseStatuspage(v, notes, `${where}/${k}`);
  if (out.type === 'Object') {
    out.type = 'object';
    notes.add(`${where}: "type": "Object" read as "object"`);
  }
  if (/\/components$/.test(where) && out.type === 'object' && out.properties && Object.keys(out.properties).length === 1 && /^[a-z0-9]{12}$/.test(Object.keys(out.properties)[0])) {
    out.additionalProperties = Object.values(out.properties)[0];
    delete out.properties;
    notes.add(`${where}: a map of component id → status (the document writes one example id as a property)`);
  }
  return out;
}

function statuspageSubset() {
  const { origin, document: doc } = JSON.parse(readFileSync(sourceFile('statuspage'), 'utf8'));
  const notes = new Set();
  const operations = {};
  for (const [path, method] of STATUSPAGE_OPS) {
    const op = openapiOp(doc, path, method, 'statuspage');
    const id = doc.paths[path][method].operationId;
    operations[id] = normaliseStatuspage({ ...op, path: `/v1${path}` }, notes, `/${id}`);
  }
  return { source: { ...origin, title: doc.info.title, version: doc.info.version, normalised: [...notes].sort() }, operations };
}

let stale = 0;
const write = (provider, subset) => {
  const out = new URL(`../src/drill/emulators/${provider}/spec-subset.json`, import.meta.url);
  const text = `${JSON.stringify(subset, null, 1)}\n`;
  // --check: the committed subset must be exactly what the vendored source extracts to.
  if ('check' in args) {
    const same = readFileSync(out, 'utf8') === text;
    if (!same) stale++;
    console.log(`${same ? 'up to date' : 'STALE'}: ${out.pathname}`);
    return;
  }
  writeFileSync(out, text);
  console.log(`wrote ${out.pathname} (${Object.keys(subset.operations).length} operations)`);
};

const vendor = (provider, source) => {
  writeFileSync(sourceFile(provider), `${JSON.stringify(source, null, 1)}\n`);
  console.log(`vendored ${sourceFile(provider).pathname}`);
};

if (args['vendor-google-chat']) vendor('google-chat', vendorGoogleChat(args['vendor-google-chat'], parseOrigin(args.origin)));
if (args['vendor-statuspage']) vendor('statuspage', vendorStatuspage(args['vendor-statuspage'], parseOrigin(args.origin)));
if (args.slack) write('slack', slackSubset(args.slack));
if (args['pagerduty-events'] && args['pagerduty-rest']) write('pagerduty', pagerdutySubset(args['pagerduty-events'], args['pagerduty-rest']));
if ('google-chat' in args) write('google-chat', googleChatSubset());
if ('statuspage' in args) write('statuspage', statuspageSubset());
if (!Object.keys(args).some((a) => ['slack', 'pagerduty-events', 'google-chat', 'statuspage', 'vendor-google-chat', 'vendor-statuspage'].includes(a))) {
  console.error('usage: extract-notify-specs.mjs [--slack <file>] [--pagerduty-events <file> --pagerduty-rest <file>] [--google-chat] [--statuspage] [--vendor-google-chat|--vendor-statuspage <file> --origin <repo>@<commit>:<path>]');
  process.exit(2);
}
if (stale) process.exit(1);
