import { DeleteObjectCommand, GetObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealRecord, verifyChain, type AuditRecord, type SealedEntry } from '../../core/audit.js';
import { ProviderError } from '../../core/errors.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { auditKey, EvidenceAuditStore, EvidenceBucketAuditMirror, UNATTACHED } from './evidence-audit-store.js';
import { sampleRecord } from '../../../test/helpers/audit-records.js';

let moto: MotoServer;
let s3: S3Client;
let bucket: string;
let store: EvidenceAuditStore;
const noSleep = async () => {};

const record = (i: number, over: Partial<AuditRecord> = {}): AuditRecord => sampleRecord(i, { incidentId: 'INC-7', ...over });

async function body(key: string, versionId?: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return (await out.Body!.transformToString('utf8')).trim();
}

beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({ ...awsClientConfig(moto.env()), forcePathStyle: true });
});
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  bucket = await provisionEvidenceBucket(moto);
  store = new EvidenceAuditStore({ client: s3, bucket, sleep: noSleep });
});

describe('EvidenceAuditStore on an Object Lock (COMPLIANCE) bucket in moto', () => {
  it('writes one object per record, keyed by incident and zero-padded seq, chained and anchored by the latest', async () => {
    const written: SealedEntry[] = [];
    for (let i = 1; i <= 3; i++) written.push((await store.append(record(i))).entry);
    await store.append(record(9, { incidentId: null, step: 'preflight' }));

    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'audit/' }));
    expect(listed.Versions!.map((v) => v.Key).sort()).toEqual([
      'audit/INC-7/000000000001.json',
      'audit/INC-7/000000000002.json',
      'audit/INC-7/000000000003.json',
      `audit/${UNATTACHED}/000000000001.json`,
    ]);
    const chain = await store.read('INC-7');
    expect(chain.findings).toEqual([]);
    expect(chain.anchor).toEqual({ seq: 3, hash: written[2]!.hash });
    expect(chain.anchorUri).toBe(`s3://${bucket}/audit/INC-7/000000000003.json`);
    expect(verifyChain(chain.lines, chain.anchor)).toMatchObject({ ok: true, records: 3 });
    // The object is the exact chain line, so any verifier can check it on its own.
    expect(await body(auditKey('INC-7', 2))).toBe(sealRecord({ seq: 1, hash: written[0]!.hash }, record(2)).line);
  });

  it('a locked record cannot be deleted, and a later put never replaces what was sealed', async () => {
    for (let i = 1; i <= 2; i++) await store.append(record(i));
    const key = auditKey('INC-7', 1);
    const original = await body(key);
    const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }))).Versions!;
    expect(versions).toHaveLength(1);

    // The guarded put of a second writer: refused, the key is taken.
    const guarded = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'forged', IfNoneMatch: '*' })).then(() => undefined, (e: unknown) => e);
    expect((guarded as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(412);
    // Deleting the locked version itself: refused under COMPLIANCE.
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versions[0]!.VersionId })).then(() => undefined, (e: unknown) => e);
    expect((deleted as { name?: string }).name).toBe('AccessDenied');
    expect(await body(key, versions[0]!.VersionId)).toBe(original);

    // An unguarded put only adds a version, and a plain delete only adds a marker: both are reported,
    // and the chain is still read from the first (locked) version.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'forged' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: auditKey('INC-7', 2) }));
    const chain = await store.read('INC-7');
    expect(chain.lines[0]).toBe(original);
    expect(verifyChain(chain.lines, chain.anchor).ok).toBe(true);
    expect(chain.findings.map((f) => `${f.kind}:${'seq' in f ? f.seq : ''}`)).toEqual(['overwritten:1', 'deleted:2']);
  });

  it('reports a gap precisely, and the anchor exposes a truncated copy', async () => {
    const written: SealedEntry[] = [];
    for (let i = 1; i <= 3; i++) written.push((await store.append(record(i))).entry);
    // Someone writes record 5 straight away: record 4 was never there.
    const forged = sealRecord({ seq: 4, hash: '1'.repeat(64) }, record(5));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: auditKey('INC-7', 5), Body: forged.line, IfNoneMatch: '*' }));
    const chain = await store.read('INC-7');
    expect(chain.findings).toEqual([expect.objectContaining({ kind: 'missing', seq: 4 })]);
    expect(chain.anchor).toEqual({ seq: 5, hash: forged.entry.hash });
    const report = verifyChain(chain.lines, chain.anchor);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ line: 4, seq: 5 });

    // A local copy that stops at record 2 is caught by the bucket's anchor of a clean chain.
    const clean = await provisionEvidenceBucket(moto);
    const other = new EvidenceAuditStore({ client: s3, bucket: clean, sleep: noSleep });
    const lines: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const { key } = await other.append(record(i));
      const raw = await (await s3.send(new GetObjectCommand({ Bucket: clean, Key: key }))).Body!.transformToString('utf8');
      // The object is the sealed line and its terminator (objects concatenate into a chain file);
      // the line itself is everything before the terminator, byte for byte.
      expect(raw.endsWith('}\n')).toBe(true);
      lines.push(raw.slice(0, -1));
    }
    const anchor = (await other.read('INC-7')).anchor;
    expect(verifyChain(lines.slice(0, 2), anchor).problem?.reason).toMatch(/records 3\.\.3 missing: truncated/);
  });

  it('two writers racing for the same seq both land, in order, without a fork', async () => {
    await store.append(record(1));
    // Writer B reads the head, then writer A takes the next seq before B puts.
    const racing = new S3Client({ ...awsClientConfig(moto.env()), forcePathStyle: true });
    let raced = false;
    const original = racing.send.bind(racing);
    (racing as { send: unknown }).send = async (command: unknown) => {
      if (!raced && command instanceof PutObjectCommand) {
        raced = true;
        await store.append(record(2, { actor: 'writer-a' }));
      }
      return original(command as never);
    };
    const b = new EvidenceAuditStore({ client: racing, bucket, sleep: noSleep });
    const { entry } = await b.append(record(3, { actor: 'writer-b' }));
    racing.destroy();
    expect(raced).toBe(true);
    expect(entry.seq).toBe(3);
    const chain = await store.read('INC-7');
    expect(chain.findings).toEqual([]);
    expect(chain.lines.map((l) => (JSON.parse(l) as SealedEntry).record.actor)).toEqual(['alice', 'writer-a', 'writer-b']);
    expect(verifyChain(chain.lines, chain.anchor).ok).toBe(true);
  });

  it('the mirror skips idle ticks; a failure names the way out (thrown, or warned as the entry points do)', async () => {
    const mirror = new EvidenceBucketAuditMirror(store);
    const tick = sealRecord({ seq: 0, hash: '0'.repeat(64) }, record(1, { step: 'incident-tick', status: 'noop' })).entry;
    await mirror.mirror(tick);
    expect((await store.read('INC-7')).lines).toEqual([]);

    const missing = new EvidenceBucketAuditMirror(new EvidenceAuditStore({ client: s3, bucket: 'fb-no-such-bucket', sleep: noSleep, callAttempts: 1 }));
    const failed = await missing.mirror(sealRecord({ seq: 0, hash: '0'.repeat(64) }, record(2)).entry).then(() => undefined, (e: unknown) => e);
    expect(failed).toBeInstanceOf(ProviderError);
    expect((failed as ProviderError).message).toMatch(/firebreak audit push/);

    // As the entry points build it: the failure warns and the run goes on.
    const warnings: string[] = [];
    const warning = new EvidenceBucketAuditMirror(new EvidenceAuditStore({ client: s3, bucket: 'fb-no-such-bucket', sleep: noSleep, callAttempts: 1 }), (m) => warnings.push(m));
    await warning.mirror(sealRecord({ seq: 6, hash: '0'.repeat(64) }, record(3)).entry);
    expect(warnings).toEqual([expect.stringMatching(/audit record 7 was not copied to the evidence bucket: .*NoSuchBucket.*firebreak audit push/)]);
  });

  it('refuses an incident id that cannot name a chain, before any call', async () => {
    const before = moto.requests.length;
    await expect(store.append(record(1, { incidentId: '../INC-7' }))).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(moto.requests.length).toBe(before);
  });
});
