import { InputError } from './errors.js';

/**
 * A capability's input schema: the one place an input is declared. Every shell is derived from it:
 * the action's `action.yml` inputs, the workflow's `workflow_dispatch` inputs, the CLI's arguments
 * and flags, which values are secrets, and the first layer of the step's `parse` (presence, type,
 * choice membership, defaults). Domain parsing (CIDRs, durations, ids) stays in the step, on the
 * values this layer returns.
 *
 * Field keys are the step's raw input keys (camelCase or snake_case); the public name (action
 * input, workflow input, CLI flag) is the kebab-case form unless `name` says otherwise, so
 * `rootCause` and `root_cause` are `root-cause` everywhere a person types it.
 */

export type WorkflowInputType = 'string' | 'choice' | 'boolean' | 'environment';

interface FieldBase {
  description: string;
  /** Public name when it is not the kebab-case form of the key. */
  name?: string;
  /** An empty value is refused with an error naming the field. */
  required?: boolean;
  /** Masked by the action, redacted in records, never printed; never offered as a workflow input. */
  secret?: boolean;
  /** How the CLI takes it: a positional argument (variadic joins items with newlines) or a flag. */
  cli?:
    | {
        positional?: boolean;
        /** Positional only: several arguments, joined with newlines. */
        variadic?: boolean;
        /** Flag only: may be given several times, joined with newlines. */
        repeatable?: boolean;
        /** Flag only: the value is a path; the CLI reads the file and passes its text. */
        file?: boolean;
        placeholder?: string;
      }
    | false;
  /** How a workflow offers it; `false` keeps it out of the workflow (e.g. secrets, CLI-only inputs). */
  workflow?: { type?: WorkflowInputType; options?: readonly string[]; default?: string | boolean; description?: string } | false;
}

export interface TextField extends FieldBase {
  kind: 'text';
  default?: string;
  /** Longest accepted value in characters; longer input is refused, never truncated. */
  maxLength?: number;
}

export interface ChoiceField extends FieldBase {
  kind: 'choice';
  options: readonly string[];
  default?: string;
}

/** A yes/no input. Actions and workflows pass `true`/`false`; anything else is refused. */
export interface FlagField extends FieldBase {
  kind: 'flag';
  default?: boolean;
}

export type Field = TextField | ChoiceField | FlagField;
export type InputSchema = Readonly<Record<string, Field>>;

type ValueOf<F extends Field> = F extends FlagField
  ? boolean
  : F extends { required: true }
    ? string
    : F extends { default: string }
      ? string
      : string | undefined;

/** What `readInputs` returns for a schema: each field's checked value. */
export type InputValues<S extends InputSchema> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** Declares a schema with its literal types kept (so `InputValues` knows which fields are required). */
export function defineInputs<const S extends InputSchema>(schema: S): S {
  for (const [key, field] of Object.entries(schema)) {
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(key)) throw new TypeError(`input key ${key} must be camelCase or snake_case`);
    if (field.kind === 'choice' && field.default !== undefined && !field.options.includes(field.default)) {
      throw new TypeError(`input ${key}: default ${field.default} is not one of ${field.options.join(', ')}`);
    }
    if (field.secret && field.workflow) throw new TypeError(`input ${key} is secret: a workflow must not offer it as an input`);
    if (field.secret && field.cli && field.cli.positional) throw new TypeError(`input ${key} is secret: never a positional argument (shell history)`);
    if (field.cli && field.cli.variadic && !field.cli.positional) throw new TypeError(`input ${key}: variadic is for positional arguments; use repeatable for flags`);
  }
  return schema;
}

export function publicName(key: string, field: Field): string {
  return field.name ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/_/g, '-');
}

export function secretKeys(schema: InputSchema): string[] {
  return Object.entries(schema)
    .filter(([, f]) => f.secret)
    .map(([k]) => k);
}

const FLAG_TRUE = new Set(['true']);
const FLAG_FALSE = new Set(['false', '']);

/**
 * Checks raw values against the schema: the first layer of every step's `parse`. Raw values come
 * as strings (action inputs, workflow inputs), booleans (CLI flags) or string arrays (variadic CLI
 * arguments). Unknown keys are ignored here; the step reads only what its schema declares.
 */
export function readInputs<S extends InputSchema>(schema: S, raw: Readonly<Record<string, unknown>>): InputValues<S> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema)) {
    const name = publicName(key, field);
    const value = raw[key];
    if (field.kind === 'flag') {
      out[key] = readFlag(value, field, name);
      continue;
    }
    let text: string | undefined;
    if (Array.isArray(value)) {
      if (!value.every((v) => typeof v === 'string')) throw new InputError(`${name} must be text`, { field: name });
      text = value.map((v: string) => v.trim()).filter((v: string) => v !== '').join('\n');
    } else if (typeof value === 'string') text = value;
    else if (value === undefined || value === null) text = undefined;
    else throw new InputError(`${name} must be text, got ${typeof value}`, { field: name });
    text = text?.trim();
    if (text === '' || text === undefined) text = field.default === undefined || field.default === '' ? undefined : field.default;
    if (text === undefined) {
      if (field.required) throw new InputError(`${name} is required: ${field.description}`, { field: name, code: 'INPUT_MISSING' });
      out[key] = undefined;
      continue;
    }
    if (field.kind === 'choice' && !field.options.includes(text)) {
      throw new InputError(`${name} must be one of ${field.options.join(', ')}; got ${JSON.stringify(text.slice(0, 40))}`, { field: name, code: 'INPUT_CHOICE' });
    }
    if (field.kind === 'text' && field.maxLength !== undefined && text.length > field.maxLength) {
      throw new InputError(`${name} is ${text.length} characters; at most ${field.maxLength}`, { field: name, code: 'INPUT_TOO_LONG' });
    }
    out[key] = text;
  }
  return out as InputValues<S>;
}

function readFlag(value: unknown, field: FlagField, name: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) return field.default ?? false;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (FLAG_TRUE.has(v)) return true;
    if (v === '') return field.default ?? false;
    if (FLAG_FALSE.has(v)) return false;
  }
  // "yes", "1", "on": refused, not guessed. A mistyped flag must not silently mean either.
  throw new InputError(`${name} must be true or false; got ${JSON.stringify(String(value).slice(0, 20))}`, { field: name, code: 'INPUT_FLAG' });
}
