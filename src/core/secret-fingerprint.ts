import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Fingerprints of secret values for records: which value a version holds, without the value.
 *
 * A plain SHA-256 of a short secret is an offline dictionary: anyone with the audit log can try
 * every candidate. An HMAC keyed by something public (the secret's ARN, the version id) is the same
 * dictionary with a salt. So the key is a kit secret, the FINGERPRINT KEY, held where the kit keeps
 * its other secrets and never written to a record:
 *
 *   key_v   = HKDF-SHA-256(ikm = fingerprint key, salt = secret id (ARN), info = "firebreak-fp-v1" ‖ version id)
 *   fp      = "hmac-sha256:" ‖ keyId ‖ ":" ‖ hex(HMAC-SHA-256(key_v, value))
 *   keyId   = first 8 hex of SHA-256 over HKDF(ikm, info = "firebreak-fp-key-id"): names which key made it
 *
 * Who can verify: someone holding the value AND the fingerprint key (an auditor given the key, or a
 * kit maintainer) recomputes `fp` for that secret and version and compares. Who cannot: anyone with
 * only the records, however short the value. Per-secret and per-version derivation means the same
 * value in two secrets or two versions has unrelated fingerprints, so records do not reveal reuse.
 * Without a fingerprint key, records carry version ids only (no fingerprint) and the run still checks
 * the stored value against the one it wrote, in memory.
 */

const PREFIX = 'hmac-sha256';

function versionKey(key: Uint8Array, secretId: string, versionId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.from(secretId, 'utf8'), Buffer.from(`firebreak-fp-v1\u0000${versionId}`, 'utf8'), 32));
}

export function fingerprintKeyId(key: Uint8Array): string {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), Buffer.from('firebreak-fp-key-id', 'utf8'), 4)).toString('hex');
}

export function fingerprint(value: string, key: Uint8Array, secretId: string, versionId: string): string {
  if (key.length < 16) throw new RangeError('a fingerprint key must be at least 16 bytes');
  const mac = createHmac('sha256', versionKey(key, secretId, versionId)).update(value, 'utf8').digest('hex');
  return `${PREFIX}:${fingerprintKeyId(key)}:${mac}`;
}

/** Constant-time check of a value against a recorded fingerprint. */
export function verifyFingerprint(value: string, recorded: string, key: Uint8Array, secretId: string, versionId: string): boolean {
  const a = Buffer.from(fingerprint(value, key, secretId, versionId));
  const b = Buffer.from(recorded);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Equality of two secret values without a data-dependent early exit. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHmac('sha256', 'compare').update(a, 'utf8').digest();
  const y = createHmac('sha256', 'compare').update(b, 'utf8').digest();
  return timingSafeEqual(x, y);
}

/** Parses a fingerprint key given as 64 hex characters or base64 of at least 16 bytes. */
export function parseFingerprintKey(text: string): Uint8Array {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{32,}$/.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length < 16) throw new RangeError('the fingerprint key must be at least 16 bytes (32 hex characters or base64)');
  return new Uint8Array(bytes);
}
