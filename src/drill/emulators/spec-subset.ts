import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { toJsonSchema } from './github/spec.js';

/**
 * A provider's committed spec subset (scripts/extract-notify-specs.mjs): per operation the request
 * schema (JSON body, or form fields for Slack), the query schema and the declared responses, with
 * every `$ref` already inlined. The notify emulators check each request before acting on it and
 * each response before sending it, so an emulator cannot drift from the published description.
 */
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
type Schema = Record<string, unknown>;

export interface SubsetOperation {
  method: string;
  path: string;
  prefix?: string;
  query?: Schema;
  request?: Schema;
  responses: Record<string, Schema | null>;
}

export class SpecSubset {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  private readonly cache = new Map<string, ValidateFunction>();
  readonly operations: Record<string, SubsetOperation>;
  readonly source: Record<string, unknown>;

  constructor(raw: { source: Record<string, unknown>; operations: Record<string, SubsetOperation> }) {
    addFormats(this.ajv);
    // ajv-formats' `url` regex wants a dotted host name; the drill's issue URLs are on 127.0.0.1.
    this.ajv.addFormat('url', (v: string) => /^https?:\/\//.test(v) && URL.canParse(v));
    // PagerDuty's REST description types users' time zones as `tzinfo` (an IANA zone name).
    this.ajv.addFormat('tzinfo', (v: string) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: v });
        return true;
      } catch {
        return false;
      }
    });
    this.operations = raw.operations;
    this.source = raw.source;
  }

  static load(url: URL): SpecSubset {
    return new SpecSubset(JSON.parse(readFileSync(url, 'utf8')) as ConstructorParameters<typeof SpecSubset>[0]);
  }

  operation(id: string): SubsetOperation {
    const op = this.operations[id];
    if (!op) throw new Error(`operation ${id} is not in the spec subset`);
    return op;
  }

  checkRequest(id: string, body: unknown, query?: Record<string, unknown>): string[] {
    const op = this.operation(id);
    const errors: string[] = [];
    if (op.request) errors.push(...this.check(`req:${id}`, op.request, body, 'request'));
    if (op.query && query) errors.push(...this.check(`query:${id}`, op.query, query, 'query'));
    return errors;
  }

  /** Undeclared 2xx statuses are errors; an undeclared error status is allowed without a body check. */
  checkResponse(id: string, status: number, body: unknown): string[] {
    const op = this.operation(id);
    const key = String(status);
    const schema = key in op.responses ? op.responses[key] : op.responses.default ?? op.responses[`${key[0]}XX`];
    if (schema === undefined) return status < 400 ? [`status ${status} is not declared for ${id}`] : [];
    if (schema === null) return [];
    return this.check(`res:${id}:${key}`, schema, body, 'response');
  }

  private check(key: string, schema: Schema, value: unknown, where: string): string[] {
    let validate = this.cache.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Schema);
      this.cache.set(key, validate);
    }
    return validate(value) ? [] : format(validate.errors, where);
  }
}

function format(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((e) => `${where}${e.instancePath} ${e.message ?? e.keyword}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}`);
}

/** Reads a request body: JSON, or a form (Slack's client sends form fields, nested ones as JSON text). */
export async function readBody(req: import('node:http').IncomingMessage): Promise<{ text: string; json: unknown; form: URLSearchParams | undefined }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) return { text, json: undefined, form: new URLSearchParams(text) };
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { text, json, form: undefined };
}
