import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartialFailureError } from '../../core/errors.js';
import { parseManifestPart, type ManifestEntry } from '../../core/evidence/manifest.js';
import type { Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { atlasBackups } from '../../drill/emulators/atlas/handlers-snapshots.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../drill/emulators/atlas/server.js';
import type { SeedEvent } from '../../drill/emulators/cloudtrail/events.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import { recentWindow } from '../../drill/fixtures/evidence-sources.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { buildPreserveEvidencePorts } from './build-ports.js';
import { preserveEvidenceStep } from './step.js';

/**
 * preserve-evidence's Atlas (the project's Atlas Admin API emulator) and CloudTrail (LookupEvents in
 * the moto harness) sources: what is kept, that a re-run adds only what is missing, and refusals.
 */

let moto: MotoServer;
let atlas: AtlasEmulator;
let s3: S3Client;
let bucket: string;
let dir: string;
const window = recentWindow();
const GROUP = '65a1b2c3d4e5f60718293a4b';
const at = (minutes: number) => new Date(Date.parse(window.from) + minutes * 60_000).toISOString();

const env = () => ({ ...moto.env(), ...atlas.env(), FIREBREAK_EVIDENCE_BUCKET: bucket, FIREBREAK_EVIDENCE_PREFIX: 'incidents/' });
const ports = (over: Record<string, string> = {}) => buildPreserveEvidencePorts({ ...env(), ...over }, { sleep: async () => {}, root: dir, callAttempts: 1, atlasPollMs: 0 });
const ctx = (incidentId: string) => makeContext({ audit: new MemoryAuditSink(), clock: manualClock('2030-01-02T08:00:00Z'), sleep: async () => {}, logger: memoryLogger(), dryRun: false, incidentId, actor: 'alice' });

async function entries(incident: string): Promise<ManifestEntry[]> {
  const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `incidents/${incident}/manifest/` }));
  const out: ManifestEntry[] = [];
  for (const o of list.Contents ?? []) out.push(...parseManifestPart(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString(), o.Key!).entries);
  return out;
}
const read = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

function seedCloudTrail(): void {
  const events: SeedEvent[] = [
    // 120 of alice's in the window (three pages of 50), one just before and one at the window's end (exclusive).
    ...Array.from({ length: 120 }, (_, i) => ({ eventId: `ev-alice-${String(i).padStart(3, '0')}`, eventName: i % 2 ? 'GetObject' : 'CreateAccessKey', eventTime: at(i), username: 'alice', detail: { sourceIPAddress: '203.0.113.7' } })),
    { eventId: 'ev-alice-before', eventName: 'ListUsers', eventTime: at(-1), username: 'alice' },
    { eventId: 'ev-alice-end', eventName: 'ListUsers', eventTime: window.to, username: 'alice' },
    { eventId: 'ev-bob-1', eventName: 'ListUsers', eventTime: at(5), username: 'bob' },
    { eventId: 'ev-res-1', eventName: 'PutBucketPolicy', eventTime: at(7), username: 'bob', eventSource: 's3.amazonaws.com', resources: [{ type: 'AWS::S3::Bucket', name: 'askflorence-exports' }] },
  ];
  moto.cloudTrail.add(events);
}

beforeAll(async () => {
  [moto, atlas] = await Promise.all([startMoto(), startAtlasEmulator()]);
  s3 = new S3Client({ ...awsClientConfig(moto.env()), forcePathStyle: true });
  dir = mkdtempSync(join(tmpdir(), 'fb-evsrc-'));
  bucket = await provisionEvidenceBucket(moto);
  seedCloudTrail();
  atlasBackups(atlas.state).addCluster({ groupId: GROUP, projectName: 'askflorence', clusterName: 'askflorence-prod-01' });
});
afterAll(async () => {
  s3?.destroy();
  await Promise.all([moto?.stop(), atlas?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the CloudTrail LookupEvents emulator in the moto harness', () => {
  it('answers by the model: one lookup attribute, known keys, MaxResults 1-50, start before end', async () => {
    const ct = new CloudTrailClient(awsClientConfig(moto.env()));
    const err = (p: Promise<unknown>) => p.then(() => expect.unreachable('accepted'), (e: { name?: string }) => e.name);
    expect(await err(ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'a' }, { AttributeKey: 'EventName', AttributeValue: 'b' }] })))).toBe('InvalidLookupAttributesException');
    expect(await err(ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'UserName' as 'Username', AttributeValue: 'a' }] })))).toBe('InvalidLookupAttributesException');
    expect(await err(ct.send(new LookupEventsCommand({ MaxResults: 51 })))).toBe('InvalidMaxResultsException');
    expect(await err(ct.send(new LookupEventsCommand({ StartTime: new Date(window.to), EndTime: new Date(window.from) })))).toBe('InvalidTimeRangeException');
    const page = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'askflorence-exports' }] }));
    expect(page.Events?.map((e) => [e.EventId, e.EventTime?.toISOString(), e.Resources?.[0]?.ResourceName])).toEqual([['ev-res-1', at(7), 'askflorence-exports']]);
    expect(JSON.parse(page.Events![0]!.CloudTrailEvent!)).toMatchObject({ eventID: 'ev-res-1', eventSource: 's3.amazonaws.com', userIdentity: { userName: 'bob' } });
    ct.destroy();
  });
});

describe('preserve-evidence: CloudTrail and Atlas sources', () => {
  it('keeps a principal’s and a resource’s CloudTrail events for the window as NDJSON, paging through LookupEvents', async () => {
    const incident = 'INC-ct';
    const before = moto.cloudTrail.lookups;
    const run = await runStep(preserveEvidenceStep, { targets: 'cloudtrail:user:alice\ncloudtrail:resource:askflorence-exports', ...window }, ports(), ctx(incident));
    expect(run.result?.status).toBe('ok');
    const kept = await entries(incident);
    expect(kept.map((e) => e.key.replace(`incidents/${incident}/evidence/`, '')).sort()).toEqual([`cloudtrail/resource/askflorence-exports/${window.from}_${window.to}.ndjson`, `cloudtrail/user/alice/${window.from}_${window.to}.ndjson`]);
    const alice = (await read(kept.find((e) => e.key.includes('/user/alice/'))!.key)).trim().split('\n').map((l) => JSON.parse(l) as { eventId: string; username: string; cloudTrailEvent: { sourceIPAddress?: string } });
    // All 120 in the window, none outside it, none of bob's; three pages plus the resource's one.
    expect(alice.map((e) => e.eventId).sort()).toEqual(Array.from({ length: 120 }, (_, i) => `ev-alice-${String(i).padStart(3, '0')}`));
    expect(alice.every((e) => e.username === 'alice' && e.cloudTrailEvent.sourceIPAddress === '203.0.113.7')).toBe(true);
    expect(moto.cloudTrail.lookups - before).toBe(4);
    expect(kept.every((e) => e.source.startsWith('cloudtrail:') && /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);
    const again = await runStep(preserveEvidenceStep, { targets: 'cloudtrail:user:alice\ncloudtrail:resource:askflorence-exports', ...window }, ports(), ctx(incident));
    expect(again.result?.status).toBe('noop');
    expect(moto.cloudTrail.lookups - before).toBe(4);
  });

  it('takes one on-demand Atlas snapshot described incident-<id>, keeps its description once completed, and a re-run takes none', async () => {
    const incident = 'INC-atlas';
    const backups = atlasBackups(atlas.state);
    const taken = backups.taken;
    const run = await runStep(preserveEvidenceStep, { targets: 'atlas:askflorence/askflorence-prod-01', ...window }, ports(), ctx(incident));
    expect(run.result?.status).toBe('ok');
    expect(backups.taken - taken).toBe(1);
    const [entry] = await entries(incident);
    expect(entry!.key).toBe(`incidents/${incident}/evidence/snapshots/atlas/${GROUP}/askflorence-prod-01.json`);
    const kept = JSON.parse(await read(entry!.key)) as { groupId: string; snapshot: { id: string; description: string; status: string; frequencyType: string } };
    expect(kept).toMatchObject({ groupId: GROUP, snapshot: { description: `incident-${incident}`, status: 'completed', frequencyType: 'ondemand' } });
    expect(backups.snapshots(GROUP, 'askflorence-prod-01').map((s) => s.id)).toContain(kept.snapshot.id);
    // By project id too, and again: the same key, already preserved; no second snapshot.
    const again = await runStep(preserveEvidenceStep, { targets: `atlas:${GROUP}/askflorence-prod-01`, ...window }, ports(), ctx(incident));
    expect(again.result?.status).toBe('noop');
    expect(backups.taken - taken).toBe(1);
  });

  it('refuses an unknown cluster or project in the plan, taking nothing', async () => {
    const backups = atlasBackups(atlas.state);
    const taken = backups.taken;
    for (const target of ['atlas:askflorence/no-such-cluster', 'atlas:no-such-project/askflorence-prod-01']) {
      const run = await runStep(preserveEvidenceStep, { targets: target, ...window }, ports(), ctx('INC-refuse')).catch((e: unknown) => e);
      expect(run).toBeInstanceOf(PartialFailureError);
      const failed = ((run as PartialFailureError).result as Result).outcomes;
      expect(failed.map((o) => [o.subject, o.status])).toEqual([[target, 'failed']]);
      expect(failed[0]!.reason).toMatch(/there is no (cluster no-such-cluster in Atlas project askflorence|Atlas project no-such-project)/);
    }
    expect(backups.taken - taken).toBe(0);
    expect(await entries('INC-refuse')).toEqual([]);
  });

  it('without Atlas credentials the target is refused by name and the CloudTrail events are still kept', async () => {
    const run = await runStep(preserveEvidenceStep, { targets: 'atlas:askflorence/askflorence-prod-01\ncloudtrail:user:bob', ...window }, ports({ FIREBREAK_ATLAS_CLIENT_ID: '' }), ctx('INC-nocreds')).catch((e: unknown) => e);
    expect(run).toBeInstanceOf(PartialFailureError);
    const outcomes = ((run as PartialFailureError).result as Result).outcomes;
    expect(outcomes.filter((o) => o.status === 'failed').map((o) => o.subject)).toEqual(['atlas:askflorence/askflorence-prod-01']);
    expect(outcomes.find((o) => o.status === 'failed')!.reason).toContain('FIREBREAK_ATLAS_CLIENT_ID');
    expect((await entries('INC-nocreds')).map((e) => e.source)).toEqual(['cloudtrail:user:bob']);
  });

  it('a failed snapshot and a CloudTrail outage make a partial run that names both; the re-run collects only those', async () => {
    const incident = 'INC-partial-src';
    const targets = 'atlas:askflorence/askflorence-prod-01\ncloudtrail:user:alice\ncloudtrail:user:bob';
    const backups = atlasBackups(atlas.state);
    backups.failNext = true;
    moto.faults.add({ target: 'CloudTrail_20131101.LookupEvents', times: 1, status: 500, body: { __type: 'InternalFailure', message: 'drill: cloudtrail down' } });
    const first = await runStep(preserveEvidenceStep, { targets, ...window }, ports(), ctx(incident)).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PartialFailureError);
    const failed = ((first as PartialFailureError).result as Result).outcomes.filter((o) => o.status === 'failed');
    expect(failed.map((o) => o.target).sort()).toEqual(['atlas:askflorence/askflorence-prod-01', 'cloudtrail:user:alice'].sort());
    expect(failed.find((o) => o.target.startsWith('atlas'))!.reason).toMatch(/failed; re-run to take another/);
    expect((await entries(incident)).map((e) => e.source)).toEqual(['cloudtrail:user:bob']);

    const taken = backups.taken;
    const second = await runStep(preserveEvidenceStep, { targets, ...window }, ports(), ctx(incident));
    expect(second.plan!.changes.map((c) => c.target).sort()).toEqual(['atlas:askflorence/askflorence-prod-01', 'cloudtrail:user:alice'].sort());
    expect(second.result?.status).toBe('ok');
    // The failed snapshot is not reused: a new one is taken and kept.
    expect(backups.taken - taken).toBe(1);
    const atlasEntry = (await entries(incident)).find((e) => e.source.startsWith('atlas:'))!;
    expect((JSON.parse(await read(atlasEntry.key)) as { snapshot: { status: string } }).snapshot.status).toBe('completed');
    expect((await entries(incident)).map((e) => e.source).sort()).toEqual(['atlas:askflorence/askflorence-prod-01', 'cloudtrail:user:alice', 'cloudtrail:user:bob']);
  });
});
