import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { manifestHash, parseManifestPart, type ManifestEntry } from '../../core/evidence/manifest.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import { copyEvidenceBucket, seedEvidenceSources, type EvidenceFixture } from '../../drill/fixtures/evidence-sources.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { buildPreserveEvidencePorts } from './build-ports.js';
import { preserveEvidenceStep } from './step.js';
import { buildVerifyEvidencePorts } from '../verify-evidence/runtime.js';
import { verifyEvidenceStep } from '../verify-evidence/step.js';

let moto: MotoServer;
let s3: S3Client;
let bucket: string;
let fx: EvidenceFixture;
let dir: string;
const INCIDENT = 'INC-2026-11-01-leak';

const env = () => ({ ...moto.env(), FIREBREAK_EVIDENCE_BUCKET: bucket, FIREBREAK_EVIDENCE_PREFIX: 'incidents/' });
const ports = (over: Record<string, string> = {}) => buildPreserveEvidencePorts({ ...env(), ...over }, { sleep: async () => {}, root: dir, callAttempts: 1, exportPollMs: 0 });
const ctx = (audit = new MemoryAuditSink()) => makeContext({ audit, clock: manualClock('2030-01-02T08:00:00Z'), sleep: async () => {}, logger: memoryLogger(), dryRun: false, incidentId: INCIDENT, actor: 'alice' });
const targets = () =>
  [`logs:${fx.logGroup}`, `rds:${fx.rdsInstance}`, `rds-cluster:${fx.rdsCluster}`, `ebs:${fx.volumeId}`, `s3:${fx.bucket}/${fx.prefix}`, `guardduty:${fx.detectorId}`, `file:logs`].join('\n');

async function manifestEntries(): Promise<ManifestEntry[]> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `incidents/${INCIDENT}/manifest/` }));
  const out: ManifestEntry[] = [];
  for (const o of list.Contents ?? []) {
    const text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString();
    out.push(...parseManifestPart(text, o.Key!).entries);
  }
  return out;
}

beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({ ...awsClientConfig(moto.env()), forcePathStyle: true });
  dir = mkdtempSync(join(tmpdir(), 'fb-preserve-'));
  bucket = await provisionEvidenceBucket(moto);
  fx = await seedEvidenceSources(moto, dir);
});
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('preserve-evidence against moto', () => {
  it('refuses a bad window, an unknown source and a run without an incident, changing nothing', async () => {
    const bad = [
      { targets: targets(), from: fx.window.from.replace('.000Z', ''), to: fx.window.to },
      { targets: targets(), from: fx.window.to, to: fx.window.from },
      { targets: 'ftp:server', from: fx.window.from, to: fx.window.to },
    ];
    for (const raw of bad) await expect(runStep(preserveEvidenceStep, raw, ports(), ctx())).rejects.toMatchObject({ code: expect.stringMatching(/INPUT_INVALID|TARGET_INVALID/) });
    await expect(runStep(preserveEvidenceStep, { targets: targets(), ...fx.window }, ports(), { ...ctx(), incidentId: null })).rejects.toMatchObject({ code: 'INPUT_MISSING' });
    expect(await manifestEntries()).toEqual([]);
  });

  it('preserves every source with a manifest entry per object, the manifest hash in the record, and a re-run adds nothing', async () => {
    const audit = new MemoryAuditSink();
    const run = await runStep(preserveEvidenceStep, { targets: targets(), ...fx.window, sliceMinutes: '60' }, ports(), ctx(audit));
    expect(run.result?.status).toBe('ok');
    const entries = await manifestEntries();
    const keys = entries.map((e) => e.key.replace(`incidents/${INCIDENT}/evidence/`, '').replace(/(objects\/.*)@[0-9a-f-]+$/, '$1@V')).sort();
    const group = fx.logGroup.slice(1);
    const [h0, h1, h2, h3] = [0, 1, 2, 3].map((h) => new Date(Date.parse(fx.window.from) + h * 3_600_000).toISOString());
    expect(keys).toEqual(
      [
        'files/logs/app.log',
        'files/logs/web/access.log',
        `logs/${group}/${h0}_${h1}.ndjson`,
        `logs/${group}/${h1}_${h2}.ndjson`,
        `logs/${group}/${h2}_${h3}.ndjson`,
        `guardduty/${fx.detectorId}/${h0}_${h3}.ndjson`,
        `s3/${fx.bucket}/inventory/exports/@${h0}_${h3}.json`,
        `s3/${fx.bucket}/objects/exports/dump.sql@V`,
        `s3/${fx.bucket}/objects/exports/patients.csv@V`,
        `s3/${fx.bucket}/objects/exports/patients.csv@V`,
        `snapshots/ebs/${fx.volumeId}.json`,
        `snapshots/rds-cluster/${fx.rdsCluster}.json`,
        `snapshots/rds/${fx.rdsInstance}.json`,
      ].sort(),
    );
    // Every entry names its source, the window, when and by whom; the bytes hash to what it says.
    for (const e of entries) {
      expect(e).toMatchObject({ window: { from: fx.window.from, to: fx.window.to }, collectedAt: '2030-01-02T08:00:00.000Z', collector: expect.stringContaining('(by alice') });
      const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: e.key }))).Body!.transformToByteArray());
      const { createHash } = await import('node:crypto');
      expect({ size: body.length, sha: createHash('sha256').update(body).digest('hex') }).toEqual({ size: e.size, sha: e.sha256 });
    }
    // Only the window's events: 30 in, none before or after.
    const logLines = (await Promise.all(entries.filter((e) => e.key.includes('/evidence/logs/')).map(async (e) => (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: e.key }))).Body!.transformToString()).split('\n').filter(Boolean)))).flat();
    expect(logLines).toHaveLength(fx.eventsInWindow);
    expect(logLines.join()).not.toMatch(/before_window|after_window/);
    // GuardDuty: the two findings updated in the window, as GetFindings returned them.
    const gdKey = entries.find((e) => e.key.includes('/evidence/guardduty/'))!.key;
    const findings = (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: gdKey }))).Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l) as { Id: string; Severity: number });
    expect(findings.map((f) => f.Id.split('-')[1]).sort()).toEqual(['creds', 'exfil']);
    expect(findings.every((f) => f.Severity === 8)).toBe(true);
    // The record carries the manifest's hash.
    const manifestOutcome = run.result!.outcomes.find((o) => o.action === 'manifest')!;
    expect(manifestOutcome.reason).toContain(`incident manifest sha256 ${manifestHash(entries)}`);
    expect(JSON.stringify(audit.entries.at(-1)!.record.result)).toContain(manifestHash(entries));

    const again = await runStep(preserveEvidenceStep, { targets: targets(), ...fx.window, sliceMinutes: '60' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(await manifestEntries()).toHaveLength(entries.length);
  });

  it('an evidence key is written once, and its locked version cannot be deleted', async () => {
    const { EvidenceObjects } = await import('../../providers/aws/evidence-bucket-objects.js');
    const store = new EvidenceObjects({ client: s3, bucket, sleep: async () => {}, callAttempts: 1 });
    const key = 'incidents/INC-lock/evidence/files/x.log';
    const { createHash } = await import('node:crypto');
    const body = Buffer.from('kept\n');
    const sha = createHash('sha256').update(body).digest('hex');
    expect(await store.putIfAbsent(key, body, sha)).toBe('stored');
    expect(await store.putIfAbsent(key, Buffer.from('other\n'), createHash('sha256').update('other\n').digest('hex'))).toBe('exists');
    expect(await store.hash(key)).toEqual({ size: body.length, sha256: sha });
    const { ListObjectVersionsCommand } = await import('@aws-sdk/client-s3');
    const [version] = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }))).Versions!;
    await expect(s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version!.VersionId }))).rejects.toThrow();
  });

  it('a partial capture names exactly what is missing, and the re-run collects only that', async () => {
    const incident = 'INC-partial';
    const c = () => ({ ...ctx(), incidentId: incident });
    const raw = { targets: `${targets()}\natlas:0123456789abcdef01234567/prod\nlogs:/does/not/exist`, ...fx.window };
    moto.faults.add({ target: 'Logs_20140328.FilterLogEvents', times: 1, status: 500, body: { __type: 'ServiceUnavailableException', message: 'drill: logs down' } });
    const first = await runStep(preserveEvidenceStep, raw, ports(), c()).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PartialFailureError);
    const failed = ((first as PartialFailureError).result as Result).outcomes.filter((o) => o.status === 'failed');
    expect(failed.map((o) => o.subject).sort()).toEqual(
      ['atlas:0123456789abcdef01234567/prod', 'logs:/does/not/exist', `${fx.logGroup} ${fx.window.from} to ${new Date(Date.parse(fx.window.from) + 3_600_000).toISOString()}`].sort(),
    );
    // No Atlas service account in this environment: refused by name, with the variables to set.
    expect(failed.find((o) => o.subject.startsWith('atlas'))!.reason).toMatch(/Atlas is not configured: set FIREBREAK_ATLAS_CLIENT_ID/);
    const second = await runStep(preserveEvidenceStep, { ...raw, targets: targets() }, ports(), c());
    expect(second.plan!.changes.map((ch) => ch.subject)).toEqual([`${fx.logGroup} ${fx.window.from} to ${new Date(Date.parse(fx.window.from) + 3_600_000).toISOString()}`]);
    expect(second.result?.status).toBe('ok');
  });

  it('verify-evidence passes on the kit bucket and names the tampered and the missing object in a copy', async () => {
    const vports = () => buildVerifyEvidencePorts(env(), { sleep: async () => {}, callAttempts: 1 });
    const ok = await runStep(verifyEvidenceStep, {}, vports(), ctx());
    expect(ok.result?.status).toBe('ok');
    expect(ok.result!.outcomes[0]!.reason).toMatch(/^all 13 object\(s\) match the manifest/);

    const copy = await copyEvidenceBucket(moto, bucket, `incidents/${INCIDENT}/`);
    const intact = await runStep(verifyEvidenceStep, { bucket: copy.bucket }, vports(), ctx());
    expect(intact.result?.status).toBe('ok');
    const entries = await manifestEntries();
    const tampered = entries.find((e) => e.key.endsWith('files/logs/app.log'))!.key;
    const gone = entries.find((e) => e.key.includes('snapshots/ebs/'))!.key;
    await copy.put(tampered, 'nothing happened here\n');
    await copy.remove(gone);
    const bad = await runStep(verifyEvidenceStep, { bucket: copy.bucket }, vports(), ctx()).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(PartialFailureError);
    const reason = ((bad as PartialFailureError).result as Result).outcomes[0]!.reason!;
    expect(reason).toMatch(/^2 of 13 object\(s\) do not match/);
    expect(reason).toContain(`${tampered} differs`);
    expect(reason).toContain(`${gone} missing`);
    // The untouched objects are not named.
    expect(reason).not.toContain('access.log');
  });

  it('verify-evidence refuses an incident without a manifest and a bad bucket name', async () => {
    const vports = () => buildVerifyEvidencePorts(env(), { sleep: async () => {}, callAttempts: 1 });
    await expect(runStep(verifyEvidenceStep, {}, vports(), { ...ctx(), incidentId: 'INC-none' })).rejects.toMatchObject({ code: 'MANIFEST_NOT_FOUND' });
    await expect(runStep(verifyEvidenceStep, { bucket: 'Not_A_Bucket' }, vports(), ctx())).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('an export task writes the window into the bucket itself; the run hashes and records what it wrote', async () => {
    const incident = 'INC-export';
    const run = await runStep(preserveEvidenceStep, { targets: `logs-export:${fx.logGroup}`, ...fx.window }, ports(), { ...ctx(), incidentId: incident });
    expect(run.result?.status).toBe('ok');
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `incidents/${incident}/manifest/` }));
    const part = parseManifestPart(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: list.Contents![0]!.Key! }))).Body!.transformToString(), 'part');
    expect(part.entries.length).toBeGreaterThan(0);
    expect(part.entries.every((e) => e.key.startsWith(`incidents/${incident}/evidence/logs-export/`) && e.key.endsWith('.gz') && e.source === `logs-export:${fx.logGroup}`)).toBe(true);
    const { gunzipSync } = await import('node:zlib');
    const text = gunzipSync(Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: part.entries[0]!.key }))).Body!.transformToByteArray())).toString();
    expect(text.split('\n').filter(Boolean)).toHaveLength(fx.eventsInWindow);
    const again = await runStep(preserveEvidenceStep, { targets: `logs-export:${fx.logGroup}`, ...fx.window }, ports(), { ...ctx(), incidentId: incident });
    expect(again.result?.status).toBe('noop');
  });
});
