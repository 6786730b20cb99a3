import { InputError } from '../../core/errors.js';

/**
 * Replaces the value of ONE top-level key of a JSON object secret and keeps every other byte as it
 * was. Not parse-then-stringify: that would rewrite the other keys (a 20-digit number loses digits,
 * `1.0` becomes `1`, key order and spacing change), and a consumer comparing or hashing the other
 * keys would see them change. Seed 004's `vault kv put` dropped every other key; this keeps them
 * byte for byte.
 */

export interface KeySpan {
  /** Offsets of the value (not the key) in the text: [start, end). */
  start: number;
  end: number;
}

export interface LocatedKey {
  /** null when the key is absent. */
  span: KeySpan | null;
  /** Offset of the closing `}` of the object, where a new key is inserted. */
  close: number;
  empty: boolean;
}

/** Finds `key` at the top level of `text`, which must be a JSON object. */
export function locateKey(text: string, key: string, field = 'json-key'): LocatedKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never the parser's message: it quotes the text around the error, which is the secret.
    throw new InputError(`the secret is not JSON, so ${field} cannot pick a key in it`, {
      field,
      code: 'SECRET_NOT_JSON',
      hint: 'Leave json-key empty to replace the whole value, or point the target at the JSON secret.',
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(`the secret is JSON but not an object, so ${field} cannot pick a key in it`, { field, code: 'SECRET_NOT_JSON' });
  }
  let i = skipWs(text, 0);
  i++; // '{'
  let span: KeySpan | null = null;
  let count = 0;
  let empty = true;
  for (;;) {
    i = skipWs(text, i);
    if (text[i] === '}') return { span, close: i, empty };
    empty = false;
    const keyEnd = endOfString(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, keyEnd);
    i = skipWs(text, i + 1); // ':'
    const valueEnd = endOfValue(text, i);
    if (name === key) {
      count++;
      span = { start: i, end: valueEnd };
    }
    if (count > 1) throw new InputError(`the secret has the key ${JSON.stringify(key)} twice; fix the secret by hand first`, { field, code: 'JSON_KEY_DUPLICATE' });
    i = skipWs(text, valueEnd);
    if (text[i] === ',') i++;
  }
}

/**
 * The new secret text with `key` set to `value`. A missing key is an error unless `create` is set;
 * a key that holds something other than a string is an error (rotating must not change its type).
 */
export function patchKey(text: string, key: string, value: string, options: { create: boolean; field?: string }): string {
  const field = options.field ?? 'json-key';
  const loc = locateKey(text, key, field);
  const encoded = JSON.stringify(value);
  if (loc.span === null) {
    if (!options.create) {
      throw new InputError(`the secret has no key ${JSON.stringify(key)}`, {
        field,
        code: 'JSON_KEY_MISSING',
        hint: `Check the key's spelling (keys are case-sensitive), or set create-key: true to add it.`,
      });
    }
    const insert = `${loc.empty ? '' : ','}${JSON.stringify(key)}:${encoded}`;
    return text.slice(0, loc.close) + insert + text.slice(loc.close);
  }
  if (text[loc.span.start] !== '"') {
    throw new InputError(`the key ${JSON.stringify(key)} holds a ${describe(text[loc.span.start]!)}, not a string; rotating would change its type`, { field, code: 'JSON_KEY_NOT_STRING' });
  }
  return text.slice(0, loc.span.start) + encoded + text.slice(loc.span.end);
}

/** The text without the rotated key's value: what the size check adds the new value to. */
export function bytesBesidesKey(text: string, key: string): number {
  const loc = locateKey(text, key);
  const total = Buffer.byteLength(text, 'utf8');
  if (loc.span === null) return total + Buffer.byteLength(`,${JSON.stringify(key)}:""`, 'utf8');
  return total - Buffer.byteLength(text.slice(loc.span.start, loc.span.end), 'utf8') + 2;
}

function describe(c: string): string {
  if (c === '{') return 'object';
  if (c === '[') return 'array';
  if (c === 't' || c === 'f') return 'boolean';
  if (c === 'n') return 'null';
  return 'number';
}

function skipWs(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** `text[i]` is an opening quote; returns the offset after the closing one. */
function endOfString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j + 1;
  }
  return text.length;
}

/** The text is valid JSON (checked by the caller), so the value ends at depth 0 on `,` or `}`. */
function endOfValue(text: string, i: number): number {
  if (text[i] === '"') return endOfString(text, i);
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') j = endOfString(text, j) - 1;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return trimEnd(text, i, j);
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === ',' && depth === 0) return trimEnd(text, i, j);
  }
  return text.length;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1]!)) e--;
  return e;
}
