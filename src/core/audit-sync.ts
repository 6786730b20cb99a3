import { createHash } from 'node:crypto';
import type { AuditRecord, ChainHead, SealedEntry } from './audit.js';
import { canonicalJson } from './canonical-json.js';

/**
 * Copies of the audit trail kept away from the runner (the incident issue, the evidence bucket)
 * and how a local chain is reconciled with them. Pure: the stores live in src/providers.
 *
 * Each remote copy is a chain of its own per incident, re-sealed on the remote head, because a
 * runner's chain file starts afresh every job: the runner's seq 1 of today and of yesterday are
 * different records. A record is therefore matched across copies by its identity (who ran which
 * step when, from which run), never by its local seq.
 */

/**
 * Key prefix of the audit trail in the kit's evidence bucket. The kit's IAM (infra/components)
 * grants appends under it and denies deletes and overwrites there; the store writes nowhere else.
 */
export const AUDIT_KEY_PREFIX = 'audit/';

/** Records that never leave the chain file: a tick with nothing due every 15 minutes. */
export function staysLocal(record: AuditRecord): boolean {
  return record.step === 'incident-tick' && (record.status === 'noop' || record.status === 'planned');
}

/**
 * The incident a record belongs to. A `declare` run from a workflow does not know its id before it
 * runs, so its record carries the id in `plan.meta.incident.id`.
 */
export function incidentOf(record: AuditRecord): string | undefined {
  if (record.incidentId) return record.incidentId;
  if (record.step !== 'declare') return undefined;
  const id = (record.plan as { meta?: { incident?: { id?: unknown } } } | null)?.meta?.incident?.id;
  return typeof id === 'string' ? id : undefined;
}

/** One run's record, whatever chain it sits in: the same run never has two records. */
export function recordIdentity(record: AuditRecord): string {
  return canonicalJson({ actor: record.actor, dryRun: record.dryRun, incidentId: incidentOf(record) ?? null, runUrl: record.runUrl, step: record.step, time: record.time });
}

function sha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value ?? null)).digest('hex');
}

function isDigest(v: unknown): v is { omitted: string; sha256: string } {
  return typeof v === 'object' && v !== null && typeof (v as { sha256?: unknown }).sha256 === 'string' && typeof (v as { omitted?: unknown }).omitted === 'string';
}

/**
 * Whether a stored copy says the same as the local record. The issue replaces a plan, result or
 * input too large for a comment by `{omitted, sha256}`; such a field matches when the digest does.
 */
export function sameContent(local: AuditRecord, stored: AuditRecord): boolean {
  if (canonicalJson(local) === canonicalJson(stored)) return true;
  const fields = ['plan', 'result', 'input'] as const;
  const digested = fields.filter((f) => isDigest(stored[f]) && !isDigest(local[f]));
  if (digested.length === 0) return false;
  for (const f of digested) if ((stored[f] as { sha256: string }).sha256 !== sha256(local[f])) return false;
  const strip = (r: AuditRecord) => canonicalJson({ ...r, ...Object.fromEntries(digested.map((f) => [f, null])) });
  return strip(local) === strip(stored);
}

export interface PushConflict {
  /** Local chain seq of the record. */
  seq: number;
  identity: string;
  /** Where the differing copy is, e.g. `issue #12 record 3` or `s3://…/000000000003.json`. */
  where: string;
}

export interface PushPlan {
  /** Local entries to append, in local chain order. */
  send: SealedEntry[];
  /** Local entries the destination already holds with the same content. */
  already: SealedEntry[];
  conflicts: PushConflict[];
}

/**
 * What a push must send to one destination: each local entry not there yet, once. An entry whose
 * identity is present with other content is a conflict: the push refuses rather than add a
 * second, different account of the same run.
 */
export function planPush(local: readonly SealedEntry[], remote: ReadonlyArray<{ record: AuditRecord; where: string }>): PushPlan {
  const byIdentity = new Map<string, { record: AuditRecord; where: string }>();
  for (const r of remote) if (!byIdentity.has(recordIdentity(r.record))) byIdentity.set(recordIdentity(r.record), r);
  const plan: PushPlan = { send: [], already: [], conflicts: [] };
  const planned = new Set<string>();
  for (const entry of local) {
    const identity = recordIdentity(entry.record);
    const there = byIdentity.get(identity);
    if (there) {
      if (sameContent(entry.record, there.record)) plan.already.push(entry);
      else plan.conflicts.push({ seq: entry.seq, identity, where: there.where });
    } else if (!planned.has(identity)) {
      planned.add(identity);
      plan.send.push(entry);
    } else {
      plan.already.push(entry);
    }
  }
  return plan;
}

/** One object of a bucket chain as the listing shows it (every version of one key). */
export interface StoredObject {
  seq: number;
  key: string;
  /** Versions oldest first. The first one is the record as written; more mean a later overwrite. */
  versions: string[];
  /** The current version is a delete marker: the key looks gone, the locked versions remain. */
  deleted: boolean;
}

export type BucketFinding =
  | { kind: 'missing'; seq: number; reason: string }
  | { kind: 'overwritten'; seq: number; key: string; versions: number; reason: string }
  | { kind: 'deleted'; seq: number; key: string; reason: string }
  | { kind: 'stray'; key: string; reason: string };

/**
 * What a bucket listing says about the chain before any hash is read: gaps in the seq numbering,
 * keys with more than one version (a put without the If-None-Match guard), keys hidden by a delete
 * marker, and keys that are not audit records at all.
 */
export function assessListing(objects: readonly StoredObject[], strays: readonly string[] = []): BucketFinding[] {
  const findings: BucketFinding[] = [];
  const sorted = [...objects].sort((a, b) => a.seq - b.seq);
  let expected = 1;
  for (const o of sorted) {
    for (let s = expected; s < o.seq; s++) findings.push({ kind: 'missing', seq: s, reason: `record ${s} has no object (never written, or every version removed): gap before record ${o.seq}` });
    expected = Math.max(expected, o.seq + 1);
    if (o.versions.length > 1) {
      findings.push({ kind: 'overwritten', seq: o.seq, key: o.key, versions: o.versions.length, reason: `record ${o.seq} (${o.key}) has ${o.versions.length} versions: written again after it was sealed; the first version is the original` });
    }
    if (o.deleted) findings.push({ kind: 'deleted', seq: o.seq, key: o.key, reason: `record ${o.seq} (${o.key}) is hidden by a delete marker; its locked versions are still in the bucket` });
  }
  for (const key of strays) findings.push({ kind: 'stray', key, reason: `${key} is under the audit prefix but is not an audit record key` });
  return findings;
}

/** The anchor a bucket chain gives: the highest seq and the hash of that record's first version. */
export function describeAnchor(head: ChainHead | undefined): string {
  return head ? `${head.seq}:${head.hash}` : 'none (no records)';
}
