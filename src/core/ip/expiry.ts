import { InputError } from '../errors.js';
import { GUARD_DEFAULTS } from './limits.js';

/**
 * Time to live for a block, and where its expiry is stored.
 *
 * WAFv2 IP sets keep no per-entry metadata (tags are per set, 50 at most; the description is 256
 * chars), so the expiry cannot live on the WAF side. It lives in the block ledger (see ledger.ts): one
 * object per run in the kit's S3 bucket, written in the same apply as the blocks. It survives the
 * runner (it is not on the runner), `pulumi up` (the kit ignores the objects' contents) and a lost
 * Cloudflare list. Cloudflare items also carry `fb inc=…;exp=…;reason=…` in their comment, so the
 * dashboard shows why an address is blocked and until when.
 */

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseTtl(text: unknown, maxHours: number = GUARD_DEFAULTS.maxTtlHours, field = 'ttl'): number {
  if (typeof text !== 'string' || !/^\s*\d{1,6}\s*[mhdw]\s*$/i.test(text)) {
    throw new InputError(`${field} must look like 30m, 24h, 7d or 2w`, { field, code: 'TTL_INVALID' });
  }
  const t = text.trim().toLowerCase();
  const ms = Number(t.slice(0, -1).trim()) * UNITS[t.slice(-1)]!;
  if (ms <= 0) throw new InputError(`${field} must be positive`, { field, code: 'TTL_INVALID' });
  if (ms > maxHours * 3_600_000) {
    throw new InputError(`${field} ${t} is longer than the allowed ${maxHours}h (blocking.max_ttl_hours)`, { field, code: 'TTL_TOO_LONG' });
  }
  return ms;
}

/** Keeps free text safe for a comment (no separators of ours, no control characters, bounded). */
export function sanitiseText(text: string, max = 200): string {
  return text.replace(/[\u0000-\u001f\u007f;=]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

export function formatBlockComment(meta: { incidentId: string; expiresAt: Date; reason: string }, max = 500): string {
  return `fb inc=${sanitiseText(meta.incidentId, 64)};exp=${meta.expiresAt.toISOString()};reason=${sanitiseText(meta.reason)}`.slice(0, max);
}

export function parseBlockComment(comment: string | undefined): { incidentId: string; expiresAt: Date; reason: string } | undefined {
  const m = comment?.match(/^fb inc=([^;]*);exp=([^;]*);reason=(.*)$/);
  if (!m) return undefined;
  const expiresAt = new Date(m[2]!);
  if (Number.isNaN(expiresAt.getTime())) return undefined;
  return { incidentId: m[1]!, expiresAt, reason: m[3]! };
}
