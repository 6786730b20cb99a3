/**
 * The subset of Cloudflare's v4 API the emulator serves, as JSON Schemas per operation.
 *
 * Source: Cloudflare's published OpenAPI (github.com/cloudflare/api-schemas, `openapi.json`, schemas
 * `lists_*`, `rulesets_*`, `workers_*`) as read through its generated references, cross-checked with the
 * type declarations the official `cloudflare` npm SDK v7.3 generates from the same document
 * (`resources/rules/lists/*.d.ts`, `resources/rulesets/*.d.ts`, `resources/workers/scripts/*.d.ts`).
 * Written by hand, deliberately narrower than the real document: only the fields firebreak sends or
 * reads, so a client that starts relying on anything else fails here first.
 *
 * Request bodies are closed (`additionalProperties: false`) where the real schema is, so typos are
 * caught; responses are checked so the emulator cannot drift from what the SDK parses.
 */

export type JsonSchema = Record<string, unknown>;

export interface Operation {
  /** Stable name used in violations and the request log. */
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below `/client/v4`, `{param}` matching one segment. */
  path: string;
  /** Allowed values per path parameter (anything else is "no such endpoint"). */
  params?: Record<string, readonly string[]>;
  query?: JsonSchema;
  body?: JsonSchema;
  /** Schema of `result` in a successful envelope. */
  result: JsonSchema;
  /** Schema of `result_info` when the operation pages. */
  resultInfo?: JsonSchema;
}

const str: JsonSchema = { type: 'string' };
const id32: JsonSchema = { type: 'string', pattern: '^[0-9a-f]{32}$' };
const timestamp: JsonSchema = { type: 'string', format: 'date-time' };

export const messageSchema: JsonSchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'integer', minimum: 1000 }, message: { type: 'string' }, documentation_url: str },
};

/** `lists_api-response-common` / `lists_api-response-common-failure`. */
export const envelopeSchema = (result: JsonSchema, resultInfo?: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['success', 'errors', 'messages', 'result'],
  additionalProperties: false,
  properties: {
    success: { const: true },
    errors: { type: 'array', maxItems: 0 },
    messages: { type: 'array', items: messageSchema },
    result,
    ...(resultInfo ? { result_info: resultInfo } : {}),
  },
});

export const failureEnvelopeSchema: JsonSchema = {
  type: 'object',
  required: ['success', 'errors', 'messages', 'result'],
  additionalProperties: false,
  properties: {
    success: { const: false },
    errors: { type: 'array', minItems: 1, items: messageSchema },
    messages: { type: 'array', items: messageSchema },
    result: { type: 'null' },
  },
};

// ---- Lists (`lists_list`, `lists_list_item_ip_full`, `lists_bulk_operation_*`) ----

const listSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'created_on', 'kind', 'modified_on', 'name', 'num_items', 'num_referencing_filters'],
  additionalProperties: false,
  properties: {
    id: id32,
    created_on: timestamp,
    modified_on: timestamp,
    kind: { enum: ['ip', 'redirect', 'hostname', 'asn'] },
    name: str,
    description: str,
    num_items: { type: 'integer', minimum: 0 },
    num_referencing_filters: { type: 'integer', minimum: 0 },
  },
};

const itemSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'ip', 'created_on', 'modified_on'],
  additionalProperties: false,
  properties: { id: id32, ip: str, comment: str, created_on: timestamp, modified_on: timestamp },
};

/** `lists_items-update-request-collection`, narrowed to IP items (the only kind firebreak writes). */
const itemsWriteBody: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['ip'],
    additionalProperties: false,
    properties: { ip: { type: 'string', minLength: 1, maxLength: 64 }, comment: { type: 'string', maxLength: 500 } },
  },
};

const asyncResult: JsonSchema = {
  type: 'object',
  required: ['operation_id'],
  additionalProperties: false,
  properties: { operation_id: id32 },
};

const bulkOperationSchema: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['id', 'status'],
      additionalProperties: false,
      properties: { id: id32, status: { enum: ['pending', 'running'] } },
    },
    {
      type: 'object',
      required: ['id', 'status', 'completed'],
      additionalProperties: false,
      properties: { id: id32, status: { const: 'completed' }, completed: timestamp },
    },
    {
      type: 'object',
      required: ['id', 'status', 'completed', 'error'],
      additionalProperties: false,
      properties: { id: id32, status: { const: 'failed' }, completed: timestamp, error: str },
    },
  ],
};

// ---- Rulesets (`rulesets_Ruleset`, `rulesets_BlockRule`, ...) ----

/** Phases the emulator implements; others answer "no such endpoint". */
export const SUPPORTED_PHASES = ['http_request_firewall_custom', 'http_ratelimit'] as const;
export type SupportedPhase = (typeof SUPPORTED_PHASES)[number];

export const RULE_ACTIONS = ['block', 'challenge', 'js_challenge', 'managed_challenge', 'log', 'skip'] as const;

const actionParameters: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // `rulesets_BlockRule.action_parameters.response`: the real API refuses anything outside 400–499.
    response: {
      type: 'object',
      required: ['content', 'content_type'],
      additionalProperties: false,
      properties: {
        status_code: { type: 'integer', minimum: 400, maximum: 499 },
        content: { type: 'string', minLength: 1, maxLength: 10240 },
        content_type: { enum: ['application/json', 'text/html', 'text/xml', 'text/plain'] },
      },
    },
    ruleset: { const: 'current' },
    phases: { type: 'array', items: str },
    products: { type: 'array', items: str },
  },
};

const ratelimitSchema: JsonSchema = {
  type: 'object',
  required: ['characteristics', 'period'],
  additionalProperties: false,
  properties: {
    characteristics: { type: 'array', minItems: 1, items: str },
    period: { enum: [10, 60, 120, 300, 600, 3600] },
    requests_per_period: { type: 'integer', minimum: 1 },
    mitigation_timeout: { type: 'integer', minimum: 0 },
    counting_expression: str,
    requests_to_origin: { type: 'boolean' },
    score_per_period: { type: 'integer' },
    score_response_header_name: str,
  },
};

const positionSchema: JsonSchema = {
  oneOf: [
    { type: 'object', required: ['before'], additionalProperties: false, properties: { before: str } },
    { type: 'object', required: ['after'], additionalProperties: false, properties: { after: str } },
    { type: 'object', required: ['index'], additionalProperties: false, properties: { index: { type: 'integer', minimum: 1 } } },
  ],
};

const ruleCommon = {
  id: { type: 'string', pattern: '^[0-9a-f]{32}$' },
  ref: { type: 'string', minLength: 1 },
  action: { enum: RULE_ACTIONS },
  action_parameters: actionParameters,
  description: str,
  enabled: { type: 'boolean' },
  expression: { type: 'string', minLength: 1, maxLength: 4096 },
  logging: { type: 'object', required: ['enabled'], additionalProperties: false, properties: { enabled: { type: 'boolean' } } },
  ratelimit: ratelimitSchema,
};

/** A rule as sent. `version`, `last_updated` and `categories` (read-only) are tolerated and ignored so
 *  a read-modify-write client can send rules back as it read them. */
const ruleInput: JsonSchema = {
  type: 'object',
  required: ['expression', 'action'],
  additionalProperties: false,
  properties: { ...ruleCommon, version: str, last_updated: str, categories: { type: 'array', items: str } },
};

const ruleOutput: JsonSchema = {
  type: 'object',
  required: ['id', 'version', 'last_updated', 'ref', 'action', 'expression', 'enabled'],
  additionalProperties: false,
  properties: { ...ruleCommon, version: str, last_updated: timestamp },
};

const rulesetSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'kind', 'phase', 'version', 'last_updated', 'rules'],
  additionalProperties: false,
  properties: {
    id: id32,
    name: str,
    description: str,
    kind: { const: 'zone' },
    phase: { enum: SUPPORTED_PHASES },
    version: str,
    last_updated: timestamp,
    rules: { type: 'array', items: ruleOutput },
  },
};

const rulesetWriteBody: JsonSchema = {
  type: 'object',
  required: ['rules'],
  additionalProperties: false,
  properties: {
    name: str,
    description: str,
    kind: { const: 'zone' },
    phase: { enum: SUPPORTED_PHASES },
    rules: { type: 'array', items: ruleInput },
  },
};

const ruleWriteBody: JsonSchema = {
  ...ruleInput,
  properties: { ...(ruleInput['properties'] as Record<string, unknown>), position: positionSchema },
};

// ---- Workers (`workers_deployments-*`, `workers_version-*`) ----

const deploymentSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'created_on', 'source', 'strategy', 'versions'],
  additionalProperties: false,
  properties: {
    id: str,
    created_on: timestamp,
    source: str,
    strategy: { const: 'percentage' },
    author_email: str,
    annotations: { type: 'object', additionalProperties: str },
    versions: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['percentage', 'version_id'],
        additionalProperties: false,
        properties: { percentage: { type: 'number', minimum: 0, maximum: 100 }, version_id: str },
      },
    },
  },
};

const versionSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'number', 'metadata'],
  additionalProperties: false,
  properties: {
    id: str,
    number: { type: 'integer', minimum: 1 },
    metadata: {
      type: 'object',
      additionalProperties: false,
      properties: { created_on: timestamp, modified_on: timestamp, source: str, author_email: str },
    },
  },
};

const pageQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { page: { type: 'string', pattern: '^[1-9][0-9]*$' }, per_page: { type: 'string', pattern: '^[1-9][0-9]*$' } },
};

const pageInfo: JsonSchema = {
  type: 'object',
  required: ['page', 'per_page', 'count', 'total_count'],
  properties: { page: { type: 'integer' }, per_page: { type: 'integer' }, count: { type: 'integer' }, total_count: { type: 'integer' } },
};

const lists = '/accounts/{account_id}/rules/lists';
const ruleset = '/zones/{zone_id}/rulesets';
const script = '/accounts/{account_id}/workers/scripts/{script_name}';

export const OPERATIONS: readonly Operation[] = [
  {
    id: 'lists.create',
    method: 'POST',
    path: lists,
    body: {
      type: 'object',
      required: ['name', 'kind'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1 }, kind: { enum: ['ip', 'redirect', 'hostname', 'asn'] }, description: { type: 'string', maxLength: 500 } },
    },
    result: listSchema,
  },
  { id: 'lists.list', method: 'GET', path: lists, result: { type: 'array', items: listSchema } },
  { id: 'lists.get', method: 'GET', path: `${lists}/{list_id}`, result: listSchema },
  {
    id: 'lists.update',
    method: 'PUT',
    path: `${lists}/{list_id}`,
    body: { type: 'object', additionalProperties: false, properties: { description: { type: 'string', maxLength: 500 } } },
    result: listSchema,
  },
  {
    id: 'lists.delete',
    method: 'DELETE',
    path: `${lists}/{list_id}`,
    result: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: id32 } },
  },
  {
    id: 'lists.items.list',
    method: 'GET',
    path: `${lists}/{list_id}/items`,
    query: {
      type: 'object',
      additionalProperties: false,
      properties: { cursor: str, per_page: { type: 'string', pattern: '^[1-9][0-9]*$' }, search: str },
    },
    result: { type: 'array', items: itemSchema },
    resultInfo: {
      type: 'object',
      required: ['cursors'],
      properties: { cursors: { type: 'object', additionalProperties: false, properties: { after: str, before: str } } },
    },
  },
  { id: 'lists.items.create', method: 'POST', path: `${lists}/{list_id}/items`, body: itemsWriteBody, result: asyncResult },
  { id: 'lists.items.update', method: 'PUT', path: `${lists}/{list_id}/items`, body: itemsWriteBody, result: asyncResult },
  {
    id: 'lists.items.delete',
    method: 'DELETE',
    path: `${lists}/{list_id}/items`,
    body: {
      type: 'object',
      required: ['items'],
      additionalProperties: false,
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          items: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1 } } },
        },
      },
    },
    result: asyncResult,
  },
  { id: 'lists.items.get', method: 'GET', path: `${lists}/{list_id}/items/{item_id}`, result: itemSchema },
  { id: 'lists.bulkOperations.get', method: 'GET', path: `${lists}/bulk_operations/{operation_id}`, result: bulkOperationSchema },
  {
    id: 'rulesets.phases.get',
    method: 'GET',
    path: `${ruleset}/phases/{phase}/entrypoint`,
    params: { phase: SUPPORTED_PHASES },
    result: rulesetSchema,
  },
  {
    id: 'rulesets.phases.update',
    method: 'PUT',
    path: `${ruleset}/phases/{phase}/entrypoint`,
    params: { phase: SUPPORTED_PHASES },
    body: rulesetWriteBody,
    result: rulesetSchema,
  },
  { id: 'rulesets.get', method: 'GET', path: `${ruleset}/{ruleset_id}`, result: rulesetSchema },
  { id: 'rulesets.update', method: 'PUT', path: `${ruleset}/{ruleset_id}`, body: rulesetWriteBody, result: rulesetSchema },
  { id: 'rulesets.rules.create', method: 'POST', path: `${ruleset}/{ruleset_id}/rules`, body: ruleWriteBody, result: rulesetSchema },
  { id: 'rulesets.rules.edit', method: 'PATCH', path: `${ruleset}/{ruleset_id}/rules/{rule_id}`, body: ruleWriteBody, result: rulesetSchema },
  { id: 'rulesets.rules.delete', method: 'DELETE', path: `${ruleset}/{ruleset_id}/rules/{rule_id}`, result: rulesetSchema },
  {
    id: 'workers.versions.list',
    method: 'GET',
    path: `${script}/versions`,
    query: pageQuery,
    result: { type: 'object', required: ['items'], additionalProperties: false, properties: { items: { type: 'array', items: versionSchema } } },
    resultInfo: pageInfo,
  },
  {
    id: 'workers.deployments.list',
    method: 'GET',
    path: `${script}/deployments`,
    query: pageQuery,
    result: {
      type: 'object',
      required: ['deployments'],
      additionalProperties: false,
      properties: { deployments: { type: 'array', items: deploymentSchema } },
    },
  },
  {
    id: 'workers.deployments.create',
    method: 'POST',
    path: `${script}/deployments`,
    query: { type: 'object', additionalProperties: false, properties: { force: { enum: ['true', 'false'] } } },
    body: {
      type: 'object',
      required: ['strategy', 'versions'],
      additionalProperties: false,
      properties: {
        strategy: { const: 'percentage' },
        versions: (deploymentSchema['properties'] as Record<string, JsonSchema>)['versions'],
        annotations: { type: 'object', additionalProperties: false, properties: { 'workers/message': { type: 'string', maxLength: 100 } } },
      },
    },
    result: deploymentSchema,
  },
  {
    id: 'workers.secrets.update',
    method: 'PUT',
    path: `${script}/secrets`,
    body: {
      type: 'object',
      required: ['name', 'text', 'type'],
      additionalProperties: false,
      properties: { name: { type: 'string', minLength: 1 }, text: str, type: { const: 'secret_text' } },
    },
    result: { type: 'object', required: ['name', 'type'], additionalProperties: false, properties: { name: str, type: { const: 'secret_text' } } },
  },
];
