/**
 * Canary credentials and the forms they must never appear in. The encodings are written out here,
 * independently of the redactor's own list, so a form the redactor forgets fails the canary suite.
 * Each canary carries a marker that also catches a partial leak (the tail of a split match).
 */
export interface Canary {
  name: string;
  value: string;
  /** A substring unique to this canary; no channel may show any part that contains it. */
  marker: string;
}

export function canary(name: string, marker: string, filler: string): Canary {
  return { name, marker, value: `${filler.slice(0, 6)}${marker}${filler.slice(6)}` };
}

export function forbiddenForms(c: Canary): Array<[string, string]> {
  const v = c.value;
  return [
    ['raw', v],
    ['marker', c.marker],
    ['base64', Buffer.from(v).toString('base64')],
    ['base64 (unpadded)', Buffer.from(v).toString('base64').replace(/=+$/, '')],
    ['base64url', Buffer.from(v).toString('base64url')],
    ['URL-encoded', encodeURIComponent(v)],
    ['form-encoded', new URLSearchParams({ v }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(v).slice(1, -1)],
    ['hex', Buffer.from(v).toString('hex')],
    // Inside a longer base64 text at another byte alignment (a Basic auth `user:secret` echoed):
    // the middle of the encoding depends on the secret's bytes only.
    ...(['u:', 'us:', 'user:'].map((p) => [`base64 after "${p}"`, Buffer.from(`${p}${v}`).toString('base64').slice(8, -4)]) as Array<[string, string]>),
  ];
}

/** Every (channel, canary, form) that occurs: the canary suite expects this list to be empty. */
export function leaks(channels: Record<string, string>, canaries: readonly Canary[]): string[] {
  const found: string[] = [];
  for (const [channel, text] of Object.entries(channels)) {
    for (const c of canaries) for (const [form, s] of forbiddenForms(c)) if (text.includes(s)) found.push(`${channel}: ${c.name} (${form})`);
  }
  return found;
}
