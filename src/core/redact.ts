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
  forms.add(Buffer.from(value).toString('base64url'));
  forms.add(encodeURIComponent(value));
  forms.add(encodeURI(value));
  // application/x-www-form-urlencoded (AWS query protocol bodies) writes spaces as `+`.
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  // JSON string contents: quotes, backslashes, control characters and `/` escaped as some encoders do.
  const json = JSON.stringify(value).slice(1, -1);
  forms.add(json);
  forms.add(json.replace(/\//g, '\\/'));
  // Non-ASCII escaped as \uXXXX (Python's json.dumps default, which moto and many APIs use).
  forms.add(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  forms.add(Buffer.from(value).toString('hex'));
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
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
