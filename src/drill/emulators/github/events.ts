import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Webhook event payloads as GitHub delivers them to a workflow (the file at GITHUB_EVENT_PATH),
 * built from a partial payload and checked against GitHub's published webhook descriptions
 * (`@octokit/webhooks-schemas`): required fields the drill does not care about are filled with
 * values valid for their schema, and a payload that does not match `<event>$<action>` is an error,
 * so the drill never feeds the runtime a shape GitHub would not send.
 */

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;
type Obj = Record<string, unknown>;

const require = createRequire(import.meta.url);
let loaded: { definitions: Record<string, Obj>; ajv: Ajv; validators: Map<string, ValidateFunction> } | undefined;

function schemas(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const doc = require('@octokit/webhooks-schemas') as { definitions: Record<string, Obj> };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'webhooks.json' } as Obj);
  loaded = { definitions: doc.definitions, ajv, validators: new Map() };
  return loaded;
}

/** `<event>$<action>` (e.g. `issue_comment$created`; `repository_dispatch$event`). */
export function webhookPayload(definition: string, partial: Obj): Obj {
  const s = schemas();
  const root = s.definitions[definition];
  if (!root) throw new Error(`@octokit/webhooks-schemas has no definition ${definition}`);
  const payload = fill(root, partial, 0) as Obj;
  let validate = s.validators.get(definition);
  if (!validate) {
    validate = s.ajv.getSchema(`webhooks.json#/definitions/${definition}`)!;
    s.validators.set(definition, validate);
  }
  if (!validate(payload)) {
    const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new Error(`the ${definition} payload does not match GitHub's webhook description: ${errors.join('; ')}`);
  }
  return payload;
}

function deref(schema: Obj): Obj {
  let s = schema;
  for (let i = 0; i < 10 && typeof s.$ref === 'string'; i++) s = schemas().definitions[s.$ref.replace('#/definitions/', '')] ?? {};
  return s;
}

function fill(schema: Obj, value: unknown, depth: number): unknown {
  const s = deref(schema);
  if (depth > 14) return value;
  if (Array.isArray(s.allOf)) {
    let v: unknown = value ?? {};
    for (const part of s.allOf as Obj[]) v = fill(part, v, depth + 1);
    return v;
  }
  const alternatives = (s.oneOf ?? s.anyOf) as Obj[] | undefined;
  if (value === undefined) return placeholder(s, depth);
  if (alternatives && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const objectAlt = alternatives.map(deref).find((a) => a.type === 'object' || a.properties || a.allOf);
    return objectAlt ? fill(objectAlt, value, depth + 1) : value;
  }
  if (Array.isArray(value) && s.items) return value.map((v) => fill(s.items as Obj, v, depth + 1));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const props = (s.properties ?? {}) as Record<string, Obj>;
  const out: Obj = { ...(value as Obj) };
  for (const key of (s.required as string[] | undefined) ?? []) if (!(key in out)) out[key] = placeholder(props[key] ?? {}, depth + 1);
  for (const [key, v] of Object.entries(out)) if (props[key] && v !== null && typeof v === 'object') out[key] = fill(props[key], v, depth + 1);
  return out;
}

function placeholder(schema: Obj, depth: number): unknown {
  const s = deref(schema);
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  if (types.includes('null')) return null;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum.includes(null) ? null : s.enum[0];
  if (Array.isArray(s.allOf)) return fill(s, {}, depth + 1);
  const alternatives = (s.oneOf ?? s.anyOf) as Obj[] | undefined;
  if (alternatives?.length) {
    const nullable = alternatives.map(deref).find((a) => a.type === 'null');
    return nullable ? null : placeholder(alternatives[0]!, depth + 1);
  }
  switch (types[0]) {
    case 'string':
      if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (s.format === 'uri' || s.format === 'uri-template') return 'https://github.example/placeholder';
      if (s.format === 'email') return 'placeholder@example.com';
      return typeof s.pattern === 'string' && /\^\[0-9a-f\]\{40\}\$/.test(s.pattern) ? '0'.repeat(40) : '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return depth > 14 ? {} : fill(s, {}, depth + 1);
  }
}
