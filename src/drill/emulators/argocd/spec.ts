import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The committed subset of Argo CD's Swagger 2.0 description (scripts/extract-argocd-swagger.mjs),
 * compiled into a router and ajv validators. Swagger 2.0 definitions are JSON Schema draft-04
 * with `#/definitions/…` refs, made absolute (`argocd.json#/definitions/…`) here.
 *
 * Request bodies are checked closed (no unknown fields): Argo CD's gRPC gateway decodes them with
 * protobuf JSON, which refuses unknown fields. Responses are checked as the description gives them.
 * Query parameters are strings, or repeated strings for `collectionFormat: multi`.
 */

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

type Schema = Record<string, unknown>;

export interface ArgoOperation {
  operationId: string;
  method: string;
  path: string;
  pathParams: string[];
  query: Map<string, Schema>;
  body: Schema | undefined;
  ok: Schema;
}

interface Raw {
  info: { source: string };
  paths: Record<string, Record<string, { operationId: string; parameters: Array<Schema & { name: string; in: string; schema?: Schema }>; responses: Record<string, { schema?: Schema }> }>>;
  definitions: Record<string, Schema>;
}

const SPEC_ID = 'argocd.json';

function absolute(node: unknown, closeObjects = false): unknown {
  if (Array.isArray(node)) return node.map((n) => absolute(n, closeObjects));
  if (node === null || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : absolute(v, closeObjects);
  }
  return out;
}

export class ArgoSpec {
  readonly source: string;
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly ops: ArgoOperation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly raw: Raw;

  constructor(raw: Raw) {
    this.raw = raw;
    this.source = raw.info.source;
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: SPEC_ID, definitions: absolute(raw.definitions) as Schema });
    for (const [path, item] of Object.entries(raw.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const query = new Map<string, Schema>();
        let body: Schema | undefined;
        const pathParams: string[] = [];
        for (const p of op.parameters) {
          if (p.in === 'path') pathParams.push(p.name);
          else if (p.in === 'query') query.set(p.name, p);
          else if (p.in === 'body') body = p.schema;
        }
        this.ops.push({ operationId: op.operationId, method: method.toUpperCase(), path, pathParams, query, body, ok: op.responses['200']?.schema ?? {} });
      }
    }
  }

  static load(): ArgoSpec {
    return new ArgoSpec(JSON.parse(readFileSync(new URL('./swagger-subset.json', import.meta.url), 'utf8')) as Raw);
  }

  match(method: string, pathname: string): { op: ArgoOperation; params: Record<string, string> } | undefined {
    for (const op of this.ops) {
      if (op.method !== method) continue;
      const names: string[] = [];
      const re = new RegExp(`^${op.path.replace(/\{([^}]+)\}/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
      const m = re.exec(pathname);
      if (!m) continue;
      return { op, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
    }
    return undefined;
  }

  private validator(key: string, schema: Schema, closed: boolean): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(closed ? closeTopLevel(this.raw.definitions, schema) : (absolute(schema) as Schema));
      this.validators.set(key, v);
    }
    return v;
  }

  checkRequest(op: ArgoOperation, query: URLSearchParams, body: unknown): string[] {
    const errors: string[] = [];
    for (const name of new Set(query.keys())) {
      const p = op.query.get(name);
      if (!p) errors.push(`query parameter ${name} is not in the description`);
      else if (p['type'] !== 'array' && query.getAll(name).length > 1) errors.push(`query parameter ${name} given more than once`);
    }
    if (op.body) {
      const v = this.validator(`${op.operationId}:body`, op.body, true);
      if (!v(body)) errors.push(...(v.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`));
    } else if (body !== undefined) errors.push('this operation takes no body');
    return errors;
  }

  checkResponse(op: ArgoOperation, body: unknown): string[] {
    const v = this.validator(`${op.operationId}:200`, op.ok, false);
    return v(body) ? [] : (v.errors ?? []).map((e) => `response${e.instancePath} ${e.message}`);
  }
}

/** A body schema with its top-level object closed (protobuf JSON refuses unknown fields). */
function closeTopLevel(definitions: Record<string, Schema>, schema: Schema): Schema {
  const ref = schema['$ref'];
  const resolved = typeof ref === 'string' ? definitions[ref.replace('#/definitions/', '')]! : schema;
  return absolute({ ...resolved, additionalProperties: false }) as Schema;
}
