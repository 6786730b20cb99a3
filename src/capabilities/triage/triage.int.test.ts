import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFacts } from '../../core/incident/facts.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import { seedEvidenceSources, type EvidenceFixture } from '../../drill/fixtures/evidence-sources.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { buildPreserveEvidencePorts } from '../preserve-evidence/build-ports.js';
import { preserveEvidenceStep } from '../preserve-evidence/step.js';
import { buildTriagePorts } from './runtime.js';
import { triageStep } from './step.js';

let moto: MotoServer;
let bucket: string;
let fx: EvidenceFixture;
let dir: string;
const INCIDENT = 'INC-triage';

const env = () => ({ ...moto.env(), FIREBREAK_EVIDENCE_BUCKET: bucket, FIREBREAK_EVIDENCE_PREFIX: 'incidents/' });
const ports = () => buildTriagePorts(env(), { sleep: async () => {}, cwd: dir, workers: 2, pollMs: 0 });
const ctx = (incidentId: string | null = INCIDENT, audit = new MemoryAuditSink()) =>
  makeContext({ audit, clock: manualClock('2030-01-01T00:00:00Z'), sleep: async () => {}, logger: memoryLogger(), dryRun: false, incidentId, actor: 'alice' });

// Seed 000's logs: a honeypot, admin access, a correlation id; the affected are the decoy hits' users.
const APP = [
  '{"ts":"2026-11-01T10:00:00Z","event":"decoy_hit","user_id":"u-1","src_ip":"203.0.113.7"}',
  '{"ts":"2026-11-01T10:01:00Z","event":"decoy_hit","user_id":"u-2","src_ip":"203.0.113.8"}',
  '{"ts":"2026-11-01T10:02:00Z","event":"decoy_hit","user_id":"u-1","src_ip":"203.0.113.7"}',
  '{"ts":"2026-11-01T10:03:00Z","event":"login","user_id":"u-3","src_ip":"10.0.0.1"}',
  '{"ts":"2026-11-01T10:04:00Z","event":"decoy_hit","user_id":"ü-4","src_ip":"203.0.113.9","note":"naïve ☃"}',
  'not json at all {"event":"decoy_hit"',
  '{"ts":"2026-11-01T10:05:00Z","event":"decoy_hit","user_id":"u-5", truncated',
].join('\n');

beforeAll(async () => {
  moto = await startMoto();
  bucket = await provisionEvidenceBucket(moto);
  dir = mkdtempSync(join(tmpdir(), 'fb-triage-int-'));
  fx = await seedEvidenceSources(moto, dir);
  writeFileSync(join(dir, 'app.log'), APP);
  writeFileSync(join(dir, 'app.log.1.gz'), gzipSync('{"ts":"2026-10-31T23:00:00Z","event":"decoy_hit","user_id":"u-6"}\n'));
});
afterAll(async () => {
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('triage', () => {
  it('refuses bad indicators, a missing source, facts without a subject field, and logs without a window', async () => {
    await expect(runStep(triageStep, { indicators: 'nope', sources: 'app.log' }, ports(), ctx())).rejects.toMatchObject({ code: 'INDICATOR_INVALID' });
    await expect(runStep(triageStep, { indicators: 'event:decoy_hit', sources: 'missing.log' }, ports(), ctx())).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(runStep(triageStep, { indicators: 'event:decoy_hit', sources: 'app.log', factsField: 'eu_subjects' }, ports(), ctx())).rejects.toMatchObject({ code: 'INPUT_CONFLICT' });
    await expect(runStep(triageStep, { indicators: 'event:decoy_hit', sources: `logs:${fx.logGroup}` }, ports(), ctx())).rejects.toMatchObject({ code: 'INPUT_MISSING' });
  });

  it('files and gzip without an incident: counts, malformed lines, facts file, and no subject in the record', async () => {
    const audit = new MemoryAuditSink();
    const run = await runStep(triageStep, { indicators: 'event:decoy_hit\nip:203.0.113.7', sources: 'app.log\napp.log.1.gz', subjectField: 'user_id', factsField: 'eu_subjects' }, ports(), ctx(null, audit));
    expect(run.result?.status).toBe('ok');
    const search = run.result!.outcomes.find((o) => o.action === 'search')!;
    expect(search.reason).toMatch(/^8 record\(s\) in 2 input\(s\), 7 hit; 1 malformed, 0 oversized; affected user_id: 5 distinct \(1 hit\(s\) without it/);
    expect(search.reason).toContain('event:decoy_hit: 7 (2026-10-31T23:00:00.000Z to 2026-11-01T10:04:00.000Z');
    const kept = run.result!.outcomes.find((o) => o.action === 'keep')!.subject;
    expect(readFileSync(join(kept, 'subjects-user_id.txt'), 'utf8')).toBe('u-1\nu-2\nu-5\nu-6\nü-4\n');
    const facts = readFileSync(join(kept, 'facts.yml'), 'utf8');
    expect(facts).toBe('eu_subjects: 5\n');
    expect(parseFacts({ discovered_at: '2026-11-01T11:00:00Z', data_categories: ['phi'], eu_subjects: 5 }).eu_subjects).toBe(5);
    const record = JSON.stringify(audit.entries.at(-1)!.record);
    for (const subject of ['u-1', 'u-2', 'u-5', 'u-6', 'ü-4']) expect(record).not.toContain(`"${subject}"`);
    expect(readdirSync(join(dir, '.firebreak/triage'))).toHaveLength(1);
  });

  it('reads what preserve-evidence kept and keeps its report beside it in the evidence bucket', async () => {
    await runStep(preserveEvidenceStep, { targets: `logs:${fx.logGroup}\nfile:logs`, ...fx.window }, buildPreserveEvidencePorts(env(), { sleep: async () => {}, root: dir }), ctx());
    const run = await runStep(triageStep, { indicators: 'event:decoy_hit\nip:203.0.113.7', sources: 'evidence:logs/\nevidence:files/', subjectField: 'user_id' }, ports(), ctx());
    const search = run.result!.outcomes.find((o) => o.action === 'search')!;
    // 30 events: decoy_hit every 5th (6), 203.0.113.7 every 3rd (10), both on 0, 15 → 14 records; users u-100..u-106 among them;
    // plus the two local log files (both hit, one names u-103).
    expect(search.reason).toMatch(/^32 record\(s\) in 5 input\(s\), 16 hit; 0 malformed, 0 oversized; affected user_id: 7 distinct \(1 hit\(s\) without it/);
    const s3 = new S3Client({ ...awsClientConfig(moto.env()), forcePathStyle: true });
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `incidents/${INCIDENT}/triage/` }))).Contents!.map((o) => o.Key!.split('/').pop());
    s3.destroy();
    expect(keys.sort()).toEqual(['report.json', 'subjects-user_id.txt']);
  });

  it('query mode runs the indicators through Logs Insights and checks every row exactly', async () => {
    const run = await runStep(triageStep, { indicators: 'event:decoy_hit\ncidr:203.0.113.0/24', sources: `logs:${fx.logGroup}`, subjectField: 'user_id', ...fx.window }, ports(), ctx(null));
    const search = run.result!.outcomes.find((o) => o.action === 'search')!;
    expect(search.reason).toMatch(/^30 record\(s\) in 1 input\(s\), 14 hit; 0 malformed, 0 oversized; affected user_id: 7 distinct/);
    expect(search.reason).toContain(`cidr:203.0.113.0/24: 10 (`);
  });
});
