/**
 * The block ledger: one record per block-ips run, saying which entries went to which target, why,
 * for which incident and until when. `sweep-expired` removes an entry once every record naming it on
 * that target has expired, so re-blocking an address extends its block instead of racing the sweep.
 *
 * One immutable object per run (never read-modify-write): concurrent runs cannot lose each other's
 * records, and a record costs one request whatever the number of addresses.
 */
export interface LedgerEntry {
  /** Target id, e.g. `waf:REGIONAL:IPV4` or `cloudflare:list`. */
  target: string;
  /** Canonical CIDR as written to the target. */
  subject: string;
}

export interface LedgerRecord {
  /** Unique per run; also the object's key suffix. */
  id: string;
  createdAt: string;
  expiresAt: string;
  incidentId: string;
  reason: string;
  actor: string;
  runUrl: string | null;
  entries: LedgerEntry[];
}

export interface BlockLedger {
  /** Stores a run's record (one request). */
  put(record: LedgerRecord): Promise<void>;
  /** Every record (paged by the adapter). */
  list(): Promise<LedgerRecord[]>;
  /** Deletes records whose entries are all gone or re-covered. */
  remove(ids: readonly string[]): Promise<void>;
}

/** Splits records into what has expired at `now` and which entries are still held by a live record. */
export function findExpired(records: readonly LedgerRecord[], now: Date): { expired: LedgerRecord[]; removable: LedgerEntry[]; kept: LedgerEntry[] } {
  const live = new Set<string>();
  const expired: LedgerRecord[] = [];
  for (const r of records) {
    if (new Date(r.expiresAt).getTime() > now.getTime()) for (const e of r.entries) live.add(`${e.target} ${e.subject}`);
    else expired.push(r);
  }
  const removable = new Map<string, LedgerEntry>();
  const kept = new Map<string, LedgerEntry>();
  for (const r of expired) {
    for (const e of r.entries) {
      const key = `${e.target} ${e.subject}`;
      (live.has(key) ? kept : removable).set(key, e);
    }
  }
  return { expired, removable: [...removable.values()], kept: [...kept.values()] };
}
