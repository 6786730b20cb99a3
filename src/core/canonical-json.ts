/**
 * Canonical JSON per RFC 8785 (JSON Canonicalization Scheme, JCS): object members sorted by the
 * UTF-16 code units of their names, no whitespace, numbers written as ECMAScript's
 * Number.prototype.toString writes them (`-0` as `0`; NaN and Infinity refused), strings escaped as
 * ECMAScript's JSON.stringify escapes them (`\b \t \n \f \r \" \\`, other controls as lowercase
 * `\u00xx`, everything else as itself). Hashes are taken over this form so any verifier can
 * recompute them from the parsed record.
 *
 * Two deliberate additions for JavaScript values the steps hand us: `undefined` members are dropped
 * (arrays: `null`), Dates are ISO strings, bigints are decimal strings. And one tolerance RFC 8785
 * leaves to the application: a lone surrogate (not I-JSON) is written as a lowercase `\udxxx`
 * escape, as JSON.stringify does, so a record quoting hostile input can still be sealed.
 */
export function canonicalJson(value: unknown): string {
  return write(value);
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      // JSON.stringify of a finite number is ECMAScript's Number::toString, with -0 as "0": RFC 8785 §3.2.2.3.
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : write(v))).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const obj = value as Record<string, unknown>;
      // Array.prototype.sort without a comparator compares UTF-16 code units: RFC 8785 §3.2.3.
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/**
 * Why `text` is not exactly `canonicalJson(JSON.parse(text))`, or undefined when it is.
 *
 * This is a strict reader, not JSON.parse: a duplicate member name is named as such (JSON.parse keeps
 * the last one while `grep` or another parser sees the first, so the two could tell different
 * stories), and so are whitespace, member order, and number or string forms another writer might
 * use. Offsets are UTF-16 offsets into `text`.
 */
export function canonicalProblem(text: string): string | undefined {
  try {
    const end = new StrictReader(text, true).value(0, 0);
    if (end !== text.length) return `unexpected text at offset ${end} after the JSON value`;
    return undefined;
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: StrictReader throws only NotCanonical (depth is capped, JSON.parse errors are caught), so no other error reaches here.
    if (error instanceof NotCanonical) return error.message;
    throw error;
  }
}

/**
 * Reads `text` as JSON refusing duplicate member names at any depth (other forms may vary).
 * Returns the top-level member names in order, or the reason it cannot be read.
 */
export function strictMembers(text: string): { members: string[] | undefined } | { problem: string } {
  try {
    const reader = new StrictReader(text, false);
    let i = reader.skipSpace(0);
    const top = text[i] === '{' ? (reader.topMembers = []) : undefined;
    i = reader.skipSpace(reader.value(i, 0));
    if (i !== text.length) return { problem: `unexpected text at offset ${i} after the JSON value` };
    return { members: top };
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: as in canonicalProblem, only NotCanonical is thrown.
    if (error instanceof NotCanonical) return { problem: error.message };
    throw error;
  }
}

class NotCanonical extends Error {}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const MAX_DEPTH = 1000;

class StrictReader {
  topMembers: string[] | undefined;

  constructor(
    private readonly text: string,
    /** true: every byte must be what canonicalJson writes; false: only duplicates are refused. */
    private readonly canonical: boolean,
  ) {}

  private fail(message: string): never {
    throw new NotCanonical(message);
  }

  skipSpace(i: number): number {
    const t = this.text;
    let j = i;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end t[j] is undefined and matches no space, so the bound is only a guard.
    while (j < t.length && (t[j] === ' ' || t[j] === '\t' || t[j] === '\n' || t[j] === '\r')) j++;
    if (j !== i && this.canonical) this.fail(`whitespace at offset ${i}`);
    return j;
  }

  value(start: number, depth: number): number {
    const t = this.text;
    const i = this.skipSpace(start);
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const c = t[i];
    if (c === '{') return this.object(i, depth);
    if (c === '[') return this.array(i, depth);
    if (c === '"') return this.string(i).end;
    if (t.startsWith('true', i)) return i + 4;
    if (t.startsWith('false', i)) return i + 5;
    if (t.startsWith('null', i)) return i + 4;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(t);
    // NUMBER needs at least one digit, so a match is never '' or '-'.
    if (!m) this.fail(i >= t.length ? 'unexpected end of JSON' : `unexpected character at offset ${i}`);
    const written = JSON.stringify(Number(m[0]));
    if (this.canonical && written !== m[0]) this.fail(`number ${clip(m[0])} at offset ${i} is not in canonical form (${clip(written)})`);
    return i + m[0].length;
  }

  private object(open: number, depth: number): number {
    const t = this.text;
    const seen = new Set<string>();
    const members = depth === 0 ? this.topMembers : undefined;
    let previous: string | undefined;
    let i = this.skipSpace(open + 1);
    if (t[i] === '}') return i + 1;
    for (;;) {
      if (t[i] !== '"') this.fail(i >= t.length ? 'unexpected end of JSON' : `member name expected at offset ${i}`);
      const { end, value: name } = this.string(i);
      if (seen.has(name)) this.fail(`duplicate member name ${clip(JSON.stringify(name))} at offset ${i}`);
      // Stryker disable next-line EqualityOperator: previous === name is a duplicate, already refused above.
      if (this.canonical && previous !== undefined && !(previous < name)) {
        this.fail(`member ${clip(JSON.stringify(name))} at offset ${i} is out of canonical order (after ${clip(JSON.stringify(previous))})`);
      }
      seen.add(name);
      members?.push(name);
      previous = name;
      i = this.skipSpace(end);
      if (t[i] !== ':') this.fail(`':' expected at offset ${i}`);
      i = this.skipSpace(this.value(i + 1, depth + 1));
      if (t[i] === '}') return i + 1;
      if (t[i] !== ',') this.fail(i >= t.length ? 'unexpected end of JSON' : `',' or '}' expected at offset ${i}`);
      i = this.skipSpace(i + 1);
    }
  }

  private array(open: number, depth: number): number {
    const t = this.text;
    let i = this.skipSpace(open + 1);
    if (t[i] === ']') return i + 1;
    for (;;) {
      i = this.skipSpace(this.value(i, depth + 1));
      if (t[i] === ']') return i + 1;
      if (t[i] !== ',') this.fail(i >= t.length ? 'unexpected end of JSON' : `',' or ']' expected at offset ${i}`);
      i++;
    }
  }

  /** A string token starting at the quote: its end and its value. */
  private string(open: number): { end: number; value: string } {
    const t = this.text;
    let i = open + 1;
    // Stryker disable next-line BooleanLiteral: `escaped` only chooses the fast path; JSON.parse of an escape-free token gives the same value.
    let escaped = false;
    for (;;) {
      // Stryker disable next-line EqualityOperator: at i === t.length charCodeAt is NaN, which matches nothing, so `>` fails one step later with the same message.
      if (i >= t.length) this.fail('unexpected end of JSON inside a string');
      const c = t.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail(`raw control character in a string at offset ${i}`);
      if (c === 0x5c) {
        escaped = true;
        i += 2;
      } else i++;
    }
    const token = t.slice(open, i + 1);
    let value: string;
    // Stryker disable next-line ConditionalExpression: see `escaped` above.
    if (!escaped) value = token.slice(1, -1);
    else {
      try {
        value = JSON.parse(token) as string;
      } catch {
        this.fail(`invalid escape in the string at offset ${open}`);
      }
    }
    // The string's canonical form is JSON.stringify's: one test covers escapes, raw controls and lone surrogates.
    if (this.canonical && JSON.stringify(value) !== token) this.fail(`string at offset ${open} is not in canonical form (escapes differ from RFC 8785)`);
    return { end: i + 1, value };
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
