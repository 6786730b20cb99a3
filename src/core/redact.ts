/**
 * Keeps secret values out of audit records, summaries, logs and errors. Two layers: fields a step
 * declares secret are replaced by name, and every string is scrubbed of every registered secret
 * value (so a secret echoed inside an error message from a provider is caught too).
 */
export const REDACTED = '[REDACTED]';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a value to scrub everywhere. Values shorter than 4 chars would redact noise. */
  register(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < 4) return;
    this.secrets.add(value);
    // Secrets often travel base64- or URL-encoded; those forms are secrets too.
    this.secrets.add(Buffer.from(value, 'utf8').toString('base64'));
    this.secrets.add(encodeURIComponent(value));
  }

  get size(): number {
    return this.secrets.size;
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
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
          out[k] = fields.has(k.toLowerCase()) && inner !== undefined && inner !== null ? REDACTED : walk(inner);
        }
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }
}
