/**
 * Keeps secret values out of audit records, summaries, logs and errors. Two layers: fields a step
 * declares secret are replaced by name, and every string is scrubbed of every registered secret
 * value (so a secret echoed inside an error message from a provider is caught too).
 */
export const REDACTED = '[REDACTED]';

/** Shorter values would redact noise (and `abc` inside every word). */
export const MIN_SECRET_LENGTH = 4;

/**
 * The forms a secret travels in besides its own bytes: a provider echoing a header, a URL, a JSON
 * body or a Basic auth string shows it encoded. Each form is a secret too.
 */
export function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  const lines = value.split(/\r?\n/).map((l) => l.trim());
  // A multi-line secret (a PEM key, a JSON credential) is also scrubbed line by line: a log line
  // or an error message may carry only one of its lines.
  if (lines.length > 1) for (const line of lines) if (line.length >= 8) forms.add(line);
  const b64 = Buffer.from(value).toString('base64');
  forms.add(b64);
  forms.add(b64.replace(/=+$/, ''));
  forms.add(Buffer.from(value, 'utf8').toString('base64url'));
  for (const core of base64Cores(Buffer.from(value, 'utf8'))) forms.add(core);
  // Percent-encodings: JavaScript's, RFC 3986's stricter one (also `!'()*`, as AWS SigV4 and
  // Python's quote do) and application/x-www-form-urlencoded (AWS query bodies: space as `+`), each
  // with uppercase and lowercase hex digits (RFC 3986 makes them equivalent; some gateways lowercase).
  const uri = encodeURIComponent(value);
  for (const pct of [uri, encodeURI(value), uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`), new URLSearchParams({ v: value }).toString().slice(2)]) {
    forms.add(pct);
    forms.add(pct.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  }
  // JSON string contents: quotes, backslashes, control characters and `/` escaped as some encoders do.
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, '\\/'));
  // Non-ASCII escaped as \uXXXX (Python's json.dumps default, which moto and many APIs use).
  forms.add(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  // HTML-safe JSON (Go's encoding/json, many web frameworks): < > & and U+2028/9 as \u00XX escapes.
  forms.add(json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  // XML / HTML text (an echoed value in an error page or an unparsed XML body).
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
  forms.add(value.replace(/[&<>"']/g, (c) => entities[c]!));
  forms.add(value.replace(/[&<>"']/g, (c) => (c === "'" ? '&#39;' : entities[c]!)));
  const hex = Buffer.from(value, 'utf8').toString('hex');
  forms.add(hex);
  forms.add(hex.toUpperCase());
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * A secret inside a longer base64 text (a Basic auth header `user:secret` echoed back, a secret in
 * the middle of an encoded JSON body) is not encoded as the secret alone: its characters depend on
 * how many bytes come before it (0, 1 or 2 modulo 3) and the last ones on what follows. For each
 * alignment, the run of characters that only the secret's bytes decide is a form of the secret.
 * Short runs are skipped: they would match ordinary text.
 */
function base64Cores(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Characters wholly inside the secret's bits: from the first 6-bit group starting at or after
    // its first bit, to the last one ending at or before its last bit.
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    if (end - start < 8) continue;
    const core = encoded.slice(start, end);
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

/**
 * Shows where `clipText` shortened a text. A secret the cut lands in is no longer whole, so no
 * registered form matches it; the redactor scrubs any start of a secret that ends at this mark.
 */
export const CUT_MARK = '…[cut]';

/**
 * Shortens a text we did not write (a provider's error message) to `max` characters, marking the
 * cut so the redactor can still scrub a secret cut in half. Every such truncation goes through here:
 * a plain `slice` leaves the start of an echoed credential where no redactor can recognise it.
 */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}${CUT_MARK}`;
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value (and each of its encoded forms) to scrub everywhere. */
  register(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.trim().length < MIN_SECRET_LENGTH) return;
    for (const form of encodedForms(value)) {
      this.secrets.add(form);
    }
  }

  /** Every form registered so far (the log mask of an action registers the same list). */
  forms(): string[] {
    return [...this.secrets];
  }

  get size(): number {
    return this.secrets.size;
  }

  /**
   * Replaces every occurrence of every registered secret. Matches are collected first (overlapping
   * ones too) and merged into spans, so neither registration order nor overlap matters: a short
   * secret registered before a longer one containing it, or two secrets where the end of one is the
   * start of the other, leave no character of either in the text.
   */
  scrub(text: string): string {
    if (this.secrets.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    const spans: Array<[number, number]> = [];
    for (const s of this.secrets) {
      for (let at = text.indexOf(s); at !== -1; at = text.indexOf(s, at + 1)) spans.push([at, at + s.length]);
    }
    // A secret cut by clipText: the longest start of any form (at least MIN_SECRET_LENGTH) ending at a cut.
    for (let cut = text.indexOf(CUT_MARK); cut !== -1; cut = text.indexOf(CUT_MARK, cut + 1)) {
      let longest = 0;
      for (const s of this.secrets) {
        for (let k = Math.min(s.length - 1, cut); k >= MIN_SECRET_LENGTH && k > longest; k--) {
          if (text.startsWith(s.slice(0, k), cut - k)) {
            longest = k;
            break;
          }
        }
      }
      if (longest > 0) spans.push([cut - longest, cut]);
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = '';
    let cursor = 0;
    let [start, end] = spans[0]!;
    for (const [s, e] of spans.slice(1)) {
      if (s <= end) {
        end = Math.max(end, e);
        continue;
      }
      out += text.slice(cursor, start) + REDACTED;
      cursor = end;
      [start, end] = [s, e];
    }
    return out + text.slice(cursor, start) + REDACTED + text.slice(end);
  }

  /**
   * JSON text of `value` with secrets scrubbed from its values (strings and keys), never from the
   * serialised text: a credential whose value is also JSON syntax (`true`, `null`) or a key would
   * otherwise make `"ok": true` into `"ok": [REDACTED]`, which no reader can parse. The round trip
   * first applies every toJSON, as JSON.stringify would.
   */
  json(value: unknown, space?: number): string {
    const plain: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
    return JSON.stringify(this.redact(plain), null, space);
  }

  /** Deep copy with secret fields replaced and every string scrubbed. */
  redact<T>(value: T, secretFields: readonly string[] = []): T {
    const fields = new Set(secretFields.map((f) => f.toLowerCase()));
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.scrub(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object' && !(v instanceof Date)) {
        const out: Record<string, unknown> = {};
        for (const [k, inner] of Object.entries(v)) {
          out[this.scrub(k)] = fields.has(k.toLowerCase()) && inner !== undefined && inner !== null ? REDACTED : walk(inner);
        }
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }
}
