import { GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { checkLine, EMPTY_HEAD, sealRecord, type AuditMirror, type AuditRecord, type ChainHead, type SealedEntry } from '../../core/audit.js';
import { AUDIT_KEY_PREFIX, assessListing, incidentOf, staysLocal, type BucketFinding, type StoredObject } from '../../core/audit-sync.js';
import { ConflictError, InputError, ProviderError } from '../../core/errors.js';
import { withRetry } from '../../core/retry.js';
import { s3ProviderError } from './s3-error.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * The audit trail in the kit's evidence bucket (Object Lock, COMPLIANCE by default):
 *
 *     audit/<incident>/<seq, 12 digits>.json      one object per record, body = the chain line
 *
 * Each incident's objects form a chain of their own (seq 1 = the first record about the incident),
 * sealed here on the bucket's head: a runner's chain file starts afresh every job, so its seq
 * cannot name a bucket object. Every put carries `If-None-Match: *`, so the key of a seq is taken
 * exactly once; a racing writer gets 412 and re-seals on the new head. The hash is in the body and
 * the object metadata, not in the key: with the hash in the key two racers would both win the same
 * seq and fork the chain. Retention comes from the bucket default; the writer never sets it.
 *
 * Records without an incident go to `audit/unattached/`.
 */
export const AUDIT_PREFIX = AUDIT_KEY_PREFIX;
export const UNATTACHED = 'unattached';
const SEQ_DIGITS = 12;
const CHAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface EvidenceAuditStoreOptions {
  client: S3Client;
  bucket: string;
  sleep: Sleep;
  /** Attempts per S3 call for transient failures (default 4). */
  callAttempts?: number;
  /** Re-seals when racing writers keep taking the next seq (default 8). */
  appendAttempts?: number;
}

/** A chain as the bucket holds it: the first version of each record, in seq order. */
export interface BucketChain {
  chain: string;
  /** One chain line per object found (original versions), in seq order. */
  lines: string[];
  objects: StoredObject[];
  /** Gaps, overwrites, delete markers and stray keys. */
  findings: BucketFinding[];
  /** The latest object (highest seq) and the hash its first version states. */
  anchor: ChainHead | undefined;
  /** `s3://bucket/key` of the anchor object. */
  anchorUri: string | undefined;
}

export function auditChainPrefix(chain: string): string {
  return `${AUDIT_PREFIX}${chain}/`;
}

export function auditKey(chain: string, seq: number): string {
  return `${auditChainPrefix(chain)}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

export function chainFor(record: AuditRecord): string {
  return incidentOf(record) ?? UNATTACHED;
}

export function validateChainName(chain: string): string {
  if (!CHAIN_NAME.test(chain)) {
    throw new InputError(`incident id "${chain}" cannot name an audit chain: letters, digits, ".", "_" and "-" only (up to 128)`, { field: 'incident' });
  }
  return chain;
}

export class EvidenceAuditStore {
  constructor(private readonly opts: EvidenceAuditStoreOptions) {}

  get bucket(): string {
    return this.opts.bucket;
  }

  uri(key: string): string {
    return `s3://${this.opts.bucket}/${key}`;
  }

  /** Seals `record` on the incident's bucket chain with a conditional put; never overwrites. */
  async append(record: AuditRecord): Promise<{ entry: SealedEntry; key: string }> {
    const chain = validateChainName(chainFor(record));
    const attempts = this.opts.appendAttempts ?? 8;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const { head } = await this.headOf(chain);
      const { entry, line } = sealRecord(head, record);
      const key = auditKey(chain, entry.seq);
      const won = await this.putIfAbsent(key, line, entry);
      if (won) return { entry, key };
      await this.opts.sleep(50 * attempt);
    }
    throw new ConflictError(`could not append to the audit chain ${this.uri(auditChainPrefix(chain))}: concurrent writers kept taking the next record`, {
      code: 'AUDIT_APPEND_CONFLICT',
      hint: 'Nothing was overwritten. Run `firebreak audit push` again once the other writers are done.',
    });
  }

  /** The chain of one incident as stored: original versions, findings, and the anchor. */
  async read(chain: string): Promise<BucketChain> {
    validateChainName(chain);
    const { objects, strays } = await this.list(chain);
    const lines: string[] = [];
    for (const o of objects) lines.push(await this.readVersion(o.key, o.versions[0]!));
    const findings = assessListing(objects, strays);
    const last = objects.at(-1);
    let anchor: ChainHead | undefined;
    if (last) {
      const hash = claimedHash(lines.at(-1)!);
      if (hash) anchor = { seq: last.seq, hash };
      else findings.push({ kind: 'overwritten', seq: last.seq, key: last.key, versions: last.versions.length, reason: `record ${last.seq} (${last.key}) is not an audit entry: the anchor cannot be read` });
    }
    return { chain, lines, objects, findings, anchor, anchorUri: last ? this.uri(last.key) : undefined };
  }

  /** Records of the chain with where each lives, for deduplicating a push. */
  async records(chain: string): Promise<Array<{ record: AuditRecord; where: string }>> {
    const stored = await this.read(chain);
    return stored.lines.flatMap((line, i) => {
      try {
        const parsed = JSON.parse(line) as { record?: AuditRecord };
        return parsed.record ? [{ record: parsed.record, where: this.uri(stored.objects[i]!.key) }] : [];
      } catch {
        return [];
      }
    });
  }

  private async headOf(chain: string): Promise<{ head: ChainHead }> {
    const { objects } = await this.list(chain);
    const last = objects.at(-1);
    if (!last) return { head: EMPTY_HEAD };
    const line = await this.readVersion(last.key, last.versions[0]!);
    const checked = checkLine(line);
    if (typeof checked === 'string' || checked.seq !== last.seq) {
      throw new ProviderError(`the audit chain's latest object ${this.uri(last.key)} is not a valid record (${typeof checked === 'string' ? checked : `it claims seq ${checked.seq}`}); nothing appended`, {
        provider: 'aws',
        operation: 's3:GetObject',
        retryable: false,
        code: 'AUDIT_CHAIN_BROKEN',
      });
    }
    return { head: { seq: checked.seq, hash: checked.hash } };
  }

  /** Every record key of a chain with its versions (oldest first), and keys that are not records. */
  private async list(chain: string): Promise<{ objects: StoredObject[]; strays: string[] }> {
    const prefix = auditChainPrefix(chain);
    const byKey = new Map<string, { versions: Array<{ id: string; at: number; order: number }>; deleted: boolean }>();
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    let order = 0;
    do {
      const page = await this.call('ListObjectVersions', () =>
        this.opts.client.send(
          new ListObjectVersionsCommand({ Bucket: this.opts.bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(versionMarker ? { VersionIdMarker: versionMarker } : {}) }),
        ),
      );
      for (const v of page.Versions ?? []) {
        if (!v.Key || !v.VersionId) continue;
        const slot = byKey.get(v.Key) ?? { versions: [], deleted: false };
        slot.versions.push({ id: v.VersionId, at: v.LastModified?.getTime() ?? 0, order: order++ });
        byKey.set(v.Key, slot);
      }
      for (const m of page.DeleteMarkers ?? []) {
        if (!m.Key) continue;
        const slot = byKey.get(m.Key) ?? { versions: [], deleted: false };
        if (m.IsLatest) slot.deleted = true;
        byKey.set(m.Key, slot);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    const objects: StoredObject[] = [];
    const strays: string[] = [];
    const recordKey = new RegExp(`^${escapeRegExp(prefix)}(\\d{${SEQ_DIGITS}})\\.json$`);
    for (const [key, slot] of byKey) {
      const m = recordKey.exec(key);
      if (!m || Number(m[1]) < 1) {
        strays.push(key);
        continue;
      }
      // S3 lists a key's versions newest first; equal timestamps keep that order reversed.
      const versions = [...slot.versions].sort((a, b) => a.at - b.at || b.order - a.order).map((v) => v.id);
      if (versions.length === 0) continue; // only delete markers: nothing left to read
      objects.push({ seq: Number(m[1]), key, versions, deleted: slot.deleted });
    }
    objects.sort((a, b) => a.seq - b.seq);
    return { objects, strays };
  }

  private async readVersion(key: string, versionId: string): Promise<string> {
    const out = await this.call('GetObject', () => this.opts.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key, VersionId: versionId })));
    return ((await out.Body?.transformToString('utf8')) ?? '').replace(/\r?\n$/, '');
  }

  /** Conditional put; false when the key already exists (another writer took this seq). */
  private async putIfAbsent(key: string, line: string, entry: SealedEntry): Promise<boolean> {
    try {
      await this.call('PutObject', () =>
        this.opts.client.send(
          new PutObjectCommand({
            Bucket: this.opts.bucket,
            Key: key,
            Body: Buffer.from(`${line}\n`, 'utf8'),
            ContentType: 'application/json',
            IfNoneMatch: '*',
            Metadata: { 'firebreak-seq': String(entry.seq), 'firebreak-hash': entry.hash, 'firebreak-prev': entry.prev },
          }),
        ),
      );
      return true;
    } catch (error) {
      // 412: the key exists. 409: a concurrent conditional put on the same key is in flight.
      if (error instanceof ProviderError && (error.status === 412 || error.status === 409)) return false;
      throw error;
    }
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw s3ProviderError('evidence bucket', operation, this.opts.bucket, error);
        }
      },
      { attempts: this.opts.callAttempts ?? 4, baseMs: 200, maxMs: 2_000, sleep: this.opts.sleep, retryOn: (e) => e instanceof ProviderError && e.retryable },
    );
  }
}

/**
 * The audit mirror for the evidence bucket. The record is already sealed in the chain file (and
 * uploaded as the run's artifact), so a bucket that cannot be reached must not fail a containment
 * run that worked: with `warn`, the failure is logged with the way out (`firebreak audit push`,
 * which sends it later without duplicates). Without `warn`, the error is thrown with the same hint.
 */
export class EvidenceBucketAuditMirror implements AuditMirror {
  readonly name = 'evidence-bucket';
  constructor(
    private readonly store: EvidenceAuditStore,
    private readonly warn?: (message: string) => void,
  ) {}

  async mirror(entry: SealedEntry): Promise<void> {
    if (staysLocal(entry.record)) return;
    try {
      await this.store.append(entry.record);
    } catch (error) {
      const e = error as Partial<ProviderError> & { message?: string };
      const failure = new ProviderError(`${e.message ?? String(error)} (record ${entry.seq} is in the chain file; copy it with \`firebreak audit push\` once the bucket is reachable)`, {
        provider: 'aws',
        operation: e.operation ?? 's3:PutObject',
        ...(e.status === undefined ? {} : { status: e.status }),
        retryable: e.retryable ?? false,
        code: 'AUDIT_MIRROR_FAILED',
        cause: error,
      });
      if (!this.warn) throw failure;
      this.warn(`audit record ${entry.seq} was not copied to the evidence bucket: ${failure.message}`);
    }
  }
}

function claimedHash(line: string): string | undefined {
  try {
    const h = (JSON.parse(line) as { hash?: unknown }).hash;
    return typeof h === 'string' && /^[0-9a-f]{64}$/.test(h) ? h : undefined;
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
