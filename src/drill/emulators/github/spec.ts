import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The committed subset of GitHub's OpenAPI description (scripts/extract-github-openapi.mjs) compiled
 * into a router and ajv validators. GitHub publishes OpenAPI 3.0, which ajv (JSON Schema draft-07 /
 * 2019+) does not read as-is; `toJsonSchema` bridges the differences:
 *
 * - `nullable: true` → `type: [T, "null"]` (and `null` added to an `enum`); without a `type`
 *   (`$ref`/`anyOf` siblings) the schema becomes `anyOf: [schema, {type: "null"}]`.
 * - `oneOf` → `anyOf`: GitHub's alternatives overlap (no discriminator, open objects), so a valid
 *   payload often matches two branches and strict `oneOf` would reject real GitHub responses.
 * - `$ref: "#/…"` is made absolute (`github.json#/…`) so inline operation schemas resolve against the
 *   registered components document.
 * - Formats come from ajv-formats plus GitHub's own (`repo.nwo`, `timestamp`); unknown keywords
 *   (`readOnly`, `deprecated`, `discriminator`) are ignored (`strict: false`).
 * - `format: uri` also accepts "": GitHub answers "" for unset URLs that the description marks as
 *   required URIs (a deployment status without `target_url`), and the emulator mirrors GitHub.
 *
 * Query and path parameters arrive as strings and are coerced to their schema type before checking.
 */

// ajv-formats ships CommonJS with `exports.default`; under NodeNext its default import is the module.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const SPEC_ID = 'github.json';
type Json = unknown;
type Schema = Record<string, unknown>;

export interface SpecParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Schema;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: SpecParameter[];
  requestBody: { required: boolean; schema: Schema } | undefined;
  /** Declared response codes → JSON schema, or `null` for a response without a body. */
  responses: Map<string, Schema | null>;
}

interface Route {
  op: SpecOperation;
  regex: RegExp;
  names: string[];
  literalSegments: number;
}

export interface RouteMatch {
  op: SpecOperation;
  params: Record<string, string>;
}

export interface ResponseCheck {
  declared: boolean;
  errors: string[];
}

export class GitHubSpec {
  readonly raw: { info: { version: string; source?: string }; paths: Record<string, Record<string, Json>>; components: Record<string, Record<string, Json>> };
  private readonly ajv: Ajv;
  private readonly routes: Route[] = [];
  private readonly byId = new Map<string, SpecOperation>();
  private readonly validators = new Map<string, ValidateFunction>();

  /**
   * `greedy` names the path parameters that may contain `/` (GitHub's file paths and git refs; the
   * Vault emulator's KV paths and lease prefixes reuse this class with its own subset).
   */
  constructor(raw: GitHubSpec['raw'], opts: { greedy?: readonly string[] } = {}) {
    this.raw = raw;
    const greedy = new Set(opts.greedy ?? ['path', 'ref']);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, coerceTypes: false });
    addFormats(this.ajv);
    this.ajv.addFormat('uri', (value: string) => value === '' || (/^[a-z][a-z0-9+.-]*:\S*$/i.test(value) && URL.canParse(value)));
    this.ajv.addFormat('repo.nwo', /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);
    this.ajv.addFormat('timestamp', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    this.ajv.addSchema({ $id: SPEC_ID, components: toJsonSchema(raw.components) as Schema });
    for (const [path, item] of Object.entries(raw.paths)) {
      for (const [method, opRaw] of Object.entries(item)) {
        const op = this.buildOperation(path, method, opRaw as Schema);
        this.byId.set(op.operationId, op);
        const names: string[] = [];
        const segments = path.split('/');
        const pattern = segments
          .map((seg) => {
            const m = /^\{(.+)\}$/.exec(seg);
            if (!m?.[1]) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(m[1]);
            // File paths and git refs contain slashes; octokit may or may not percent-encode them.
            return greedy.has(m[1]) ? '(.+)' : '([^/]+)';
          })
          .join('/');
        this.routes.push({ op, regex: new RegExp(`^${pattern}/?$`), names, literalSegments: segments.filter((s) => !s.startsWith('{')).length });
      }
    }
    // Literal segments win over parameters: `secrets/public-key` before `secrets/{secret_name}`.
    this.routes.sort((a, b) => b.literalSegments - a.literalSegments);
  }

  static load(): GitHubSpec {
    const text = readFileSync(new URL('./openapi-subset.json', import.meta.url), 'utf8');
    return new GitHubSpec(JSON.parse(text) as GitHubSpec['raw']);
  }

  operation(operationId: string): SpecOperation {
    const op = this.byId.get(operationId);
    if (!op) throw new Error(`operation ${operationId} is not in the spec subset`);
    return op;
  }

  operationIds(): string[] {
    return [...this.byId.keys()];
  }

  /** Finds the operation for a request, or undefined when the subset has no such method + path. */
  match(method: string, pathname: string): RouteMatch | undefined {
    const lower = method.toLowerCase();
    for (const route of this.routes) {
      if (route.op.method !== lower) continue;
      const m = route.regex.exec(pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1] ?? '');
      });
      return { op: route.op, params };
    }
    return undefined;
  }

  /**
   * Coerces and validates path + query parameters and the JSON body. Returns the coerced values and
   * a list of problems (empty when the request matches the spec).
   */
  checkRequest(
    op: SpecOperation,
    rawParams: Record<string, string>,
    rawQuery: URLSearchParams,
    body: unknown,
  ): { params: Record<string, unknown>; query: Record<string, unknown>; errors: string[] } {
    const errors: string[] = [];
    const params: Record<string, unknown> = {};
    const query: Record<string, unknown> = {};
    for (const p of op.parameters) {
      if (p.in !== 'path' && p.in !== 'query') continue;
      const raw = p.in === 'path' ? rawParams[p.name] : rawQuery.get(p.name) ?? undefined;
      const target = p.in === 'path' ? params : query;
      if (raw === undefined) {
        if (p.required) errors.push(`${p.in} parameter "${p.name}" is required`);
        else if (p.schema.default !== undefined) target[p.name] = p.schema.default;
        continue;
      }
      const value = coerce(raw, p.schema);
      const validate = this.compile(`param:${op.operationId}:${p.name}`, p.schema);
      if (!validate(value)) errors.push(...formatErrors(validate.errors, `${p.in} parameter "${p.name}"`));
      target[p.name] = value;
    }
    if (op.requestBody) {
      if (body === undefined) {
        if (op.requestBody.required) errors.push('request body is required');
      } else {
        const validate = this.compile(`body:${op.operationId}`, op.requestBody.schema);
        if (!validate(body)) errors.push(...formatErrors(validate.errors, 'body'));
      }
    }
    return { params, query, errors };
  }

  /**
   * Checks a response against the operation's declared responses. Error statuses GitHub returns but
   * does not declare on every operation (401, 404, 422, 429, 5xx) are checked against `basic-error`.
   */
  checkResponse(op: SpecOperation, status: number, body: unknown): ResponseCheck {
    const key = String(status);
    const declared = op.responses.has(key) || op.responses.has('default');
    if (!declared) {
      if (status < 400) return { declared: false, errors: [`status ${status} is not declared for ${op.operationId}`] };
      return { declared: false, errors: this.checkSchema('basic-error', body) };
    }
    const schema = op.responses.get(key) ?? op.responses.get('default') ?? null;
    if (schema === null) {
      return { declared: true, errors: body === undefined ? [] : [`status ${status} of ${op.operationId} must have no body`] };
    }
    const validate = this.compile(`response:${op.operationId}:${key}`, schema);
    return { declared: true, errors: validate(body) ? [] : formatErrors(validate.errors, 'response') };
  }

  /** Validates a value against a named component schema (`issue`, `label`, …). */
  checkSchema(name: string, value: unknown): string[] {
    const validate = this.compile(`schema:${name}`, { $ref: `${SPEC_ID}#/components/schemas/${name}` });
    return validate(value) ? [] : formatErrors(validate.errors, name);
  }

  /** The raw (OpenAPI 3.0) component schema, for `completeRequired`. */
  componentSchema(name: string): Schema {
    const schema = this.raw.components.schemas?.[name];
    if (!schema) throw new Error(`schema ${name} is not in the spec subset`);
    return schema as Schema;
  }

  /** Resolves a local `$ref` in the raw subset. */
  resolve(ref: string): Schema {
    const parts = ref.replace(/^#\//, '').split('/');
    let node: unknown = this.raw;
    for (const p of parts) node = (node as Record<string, unknown> | undefined)?.[p];
    if (!node || typeof node !== 'object') throw new Error(`dangling $ref ${ref}`);
    return node as Schema;
  }

  private compile(key: string, schema: Schema): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private buildOperation(path: string, method: string, raw: Schema): SpecOperation {
    const parameters = ((raw.parameters as Schema[] | undefined) ?? []).map((p) => {
      const resolved = typeof p.$ref === 'string' ? this.resolve(p.$ref) : p;
      return {
        name: String(resolved.name),
        in: resolved.in as SpecParameter['in'],
        required: resolved.required === true,
        schema: (resolved.schema as Schema | undefined) ?? {},
      };
    });
    const rb = raw.requestBody as Schema | undefined;
    const rbSchema = (rb?.content as Record<string, { schema?: Schema }> | undefined)?.['application/json']?.schema;
    const responses = new Map<string, Schema | null>();
    for (const [code, resp] of Object.entries((raw.responses as Record<string, Schema> | undefined) ?? {})) {
      const resolved = typeof resp.$ref === 'string' ? this.resolve(resp.$ref) : resp;
      const schema = (resolved.content as Record<string, { schema?: Schema }> | undefined)?.['application/json']?.schema;
      responses.set(code, schema ?? null);
    }
    return {
      operationId: String(raw.operationId),
      method,
      path,
      parameters,
      requestBody: rbSchema ? { required: rb?.required === true, schema: rbSchema } : undefined,
      responses,
    };
  }
}

/** OpenAPI 3.0 schema → JSON Schema ajv understands (see the module comment). */
export function toJsonSchema(node: unknown, inPropertiesMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (inPropertiesMap) {
      out[key] = toJsonSchema(value);
    } else if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) {
      out[key] = `${SPEC_ID}${value}`;
    } else if (key === 'oneOf') {
      out.anyOf = toJsonSchema(value);
    } else if (key === 'nullable') {
      // handled below
    } else {
      out[key] = toJsonSchema(value, key === 'properties' || key === 'patternProperties');
    }
  }
  if (inPropertiesMap || (node as Record<string, unknown>).nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function coerce(raw: string, schema: Schema): unknown {
  const type = schema.type;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (type === 'array') return raw === '' ? [] : raw.split(',');
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (alternatives?.some((a) => a.type === 'integer') && /^\d+$/.test(raw)) return Number(raw);
  return raw;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function formatErrors(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((e) => {
    const at = e.instancePath ? `${where}${e.instancePath}` : where;
    const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : '';
    return `${at} ${e.message ?? e.keyword}${extra}`;
  });
}
