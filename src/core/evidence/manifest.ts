import { canonicalJson } from '../canonical-json.js';
import { InputError } from '../errors.js';
import { sha256 } from '../triage/report.js';

/**
 * Chain of custody for preserved evidence. Every object preserve-evidence stores gets a manifest
 * entry; each run writes the entries it added as one immutable manifest part (Object Lock), and
 * the incident's manifest is the union of its parts. The SHA-256 of the part and of the whole
 * manifest (canonical JSON, entries sorted by key) go into the run's audit record, so an auditor
 * can tie the stored bytes to the record that says who collected them, when, and from where.
 */

export interface EvidenceWindow {
  /** ISO 8601, UTC. */
  from: string;
  to: string;
}

export interface ManifestEntry {
  /** Key in the evidence bucket. */
  key: string;
  size: number;
  sha256: string;
  /** Where it came from: `logs:/app/api`, `s3:bucket/prefix`, `rds:db-1`, `file:logs/app.log`. */
  source: string;
  window: EvidenceWindow;
  collectedAt: string;
  /** Who collected it: the AWS principal ARN and the responder (`arn … (by alice)`). */
  collector: string;
}

export interface ManifestPart {
  v: 1;
  incident: string;
  window: EvidenceWindow;
  entries: ManifestEntry[];
}

export const MANIFEST_VERSION = 1;

export function manifestPart(incident: string, window: EvidenceWindow, entries: readonly ManifestEntry[]): ManifestPart {
  return { v: MANIFEST_VERSION, incident, window, entries: [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

export function manifestText(part: ManifestPart): string {
  return `${canonicalJson(part)}\n`;
}

/** The hash of the incident's whole manifest: every entry of every part, sorted by key. */
export function manifestHash(entries: readonly ManifestEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return sha256(canonicalJson(sorted));
}

export function parseManifestPart(text: string, where: string): ManifestPart {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(`${where} is not a manifest part (not JSON)`, { field: 'manifest', code: 'MANIFEST_INVALID' });
  }
  const p = data as Partial<ManifestPart>;
  if (p?.v !== MANIFEST_VERSION || !Array.isArray(p.entries) || typeof p.incident !== 'string') {
    throw new InputError(`${where} is not a manifest part (version ${String(p?.v)})`, { field: 'manifest', code: 'MANIFEST_INVALID' });
  }
  for (const e of p.entries) {
    if (typeof e?.key !== 'string' || typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256) || typeof e.size !== 'number') {
      throw new InputError(`${where}: an entry has no key, size or SHA-256`, { field: 'manifest', code: 'MANIFEST_INVALID' });
    }
  }
  return p as ManifestPart;
}

/** Entries by key; a key recorded twice with different hashes is a finding, never silently merged. */
export function indexEntries(parts: readonly ManifestPart[]): { byKey: Map<string, ManifestEntry>; conflicts: string[] } {
  const byKey = new Map<string, ManifestEntry>();
  const conflicts: string[] = [];
  for (const part of parts) {
    for (const e of part.entries) {
      const had = byKey.get(e.key);
      if (had && (had.sha256 !== e.sha256 || had.size !== e.size)) conflicts.push(e.key);
      if (!had) byKey.set(e.key, e);
    }
  }
  return { byKey, conflicts };
}

export interface StoredState {
  key: string;
  size: number;
  sha256: string;
}

export interface VerifyFinding {
  key: string;
  problem: 'missing' | 'differs' | 'conflict';
  detail: string;
}

/** Compares what the manifest says with what re-hashing the store found (undefined = not found). */
export function compareWithManifest(entries: readonly ManifestEntry[], stored: ReadonlyMap<string, StoredState | undefined>): VerifyFinding[] {
  const out: VerifyFinding[] = [];
  for (const e of entries) {
    const s = stored.get(e.key);
    if (!s) out.push({ key: e.key, problem: 'missing', detail: `not in the store (manifest: ${e.size} bytes, sha256 ${e.sha256})` });
    else if (s.sha256 !== e.sha256 || s.size !== e.size) {
      out.push({ key: e.key, problem: 'differs', detail: `stored ${s.size} bytes sha256 ${s.sha256}; manifest ${e.size} bytes sha256 ${e.sha256}` });
    }
  }
  return out;
}

const OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
export const MAX_WINDOW_DAYS = 400;

export function parseWindow(from: string, to: string, now: Date): EvidenceWindow {
  const read = (text: string, field: string) => {
    const t = text.trim();
    if (!OFFSET.test(t) || Number.isNaN(Date.parse(t))) {
      throw new InputError(`${field} must be an ISO 8601 time with a zone offset, e.g. 2026-11-22T09:30:00Z (got "${t}")`, { field, code: 'INPUT_INVALID' });
    }
    return new Date(Date.parse(t));
  };
  const f = read(from, 'from');
  const t = to.trim() === '' ? now : read(to, 'to');
  if (f >= t) throw new InputError(`the window is empty: from ${f.toISOString()} is not before to ${t.toISOString()}`, { field: 'from', code: 'INPUT_INVALID' });
  if (t.getTime() - f.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
    throw new InputError(`the window is longer than ${MAX_WINDOW_DAYS} days; preserve it in several runs`, { field: 'from', code: 'INPUT_INVALID' });
  }
  return { from: f.toISOString(), to: t.toISOString() };
}

/** Slices [from, to) into pieces of `minutes` (the last one shorter): one log object each. */
export function sliceWindow(w: EvidenceWindow, minutes: number): EvidenceWindow[] {
  const step = minutes * 60_000;
  const end = Date.parse(w.to);
  const out: EvidenceWindow[] = [];
  for (let t = Date.parse(w.from); t < end; t += step) out.push({ from: new Date(t).toISOString(), to: new Date(Math.min(t + step, end)).toISOString() });
  return out;
}
