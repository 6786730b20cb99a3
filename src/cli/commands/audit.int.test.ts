import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sealRecord, type AuditRecord } from '../../core/audit.js';
import { EXIT_CODES } from '../../core/errors.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import type { GitHubIncidentLedger } from '../../providers/github/incident-ledger.js';
import { auditKey, type EvidenceAuditStore } from '../../providers/aws/evidence-audit-store.js';
import { FileAuditSink } from '../../providers/local/file-audit-sink.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { buildEvidenceAuditStore } from '../../runtime/ports/evidence-audit.js';
import { buildIncidentLedger } from '../../runtime/ports/incident.js';
import { memoryIo } from '../io.js';
import { main } from '../main.js';
import { sampleRecord } from '../../../test/helpers/audit-records.js';

let moto: MotoServer;
let gh: GitHubEmulator;
let dir: string;
let env: Record<string, string>;
let store: EvidenceAuditStore;
let ledger: GitHubIncidentLedger;
let issueNumber: number;
let n = 0;
let incident: string;

const record = (i: number, over: Partial<AuditRecord> = {}): AuditRecord => sampleRecord(i, { incidentId: incident, actor: 'laptop-ic', ...over });

async function cli(...args: string[]) {
  const io = memoryIo(env, dir);
  const code = await main(args, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

async function laptopChain(name: string, records: AuditRecord[]): Promise<string> {
  const file = join(dir, name);
  const sink = new FileAuditSink(file);
  for (const r of records) await sink.append(r);
  return file;
}

beforeAll(async () => {
  [moto, gh] = await Promise.all([startMoto(), startGitHubEmulator()]);
});
afterAll(async () => {
  await Promise.all([moto?.stop(), gh?.stop()]);
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fb-audit-push-'));
  incident = `INC-PUSH-${++n}`;
  const bucket = await provisionEvidenceBucket(moto);
  env = { ...moto.env(), ...gh.env(), [KIT_VARIABLES.evidenceBucket]: bucket };
  store = buildEvidenceAuditStore({ env, sleep: async () => {} })!;
  ledger = buildIncidentLedger({ env, sleep: async () => {} });
  issueNumber = (await ledger.openIncident(incident, `[${incident}] laptop`, 'b', ['incident'])).issue.number;
});
afterEach(async () => {
  gh.assertNoViolations();
  await rm(dir, { recursive: true, force: true });
});

describe('firebreak audit push', () => {
  it('refuses a run already stored with other content and writes nothing anywhere', async () => {
    await cli('audit', 'push', await laptopChain('a.jsonl', [record(1)]));
    const edited = await laptopChain('b.jsonl', [record(1, { status: 'failed' }), record(2)]);
    const res = await cli('audit', 'push', edited);
    expect(res.code).toBe(EXIT_CODES.conflict);
    expect(res.err).toMatch(/already stored with different content; nothing was pushed: local record 1 vs/);
    expect((await store.read(incident)).lines).toHaveLength(1);
    expect((await ledger.readEntries(issueNumber)).entries).toHaveLength(1);
  });

  it('refuses an edited local chain before contacting anyone', async () => {
    const file = await laptopChain('c.jsonl', [record(1), record(2)]);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('203.0.113.2', '198.51.100.9'));
    const before = moto.requests.length;
    const res = await cli('audit', 'push', file);
    expect(res.code).toBe(EXIT_CODES.audit);
    expect(res.err).toMatch(/c\.jsonl:2: record 2 does not chain.*nothing was pushed/);
    expect(moto.requests.length).toBe(before);
  });

  it('after a failure part-way, says what went where; the re-run completes without duplicates', async () => {
    const file = await laptopChain('d.jsonl', [record(1), record(2), record(3)]);
    // The second put of the bucket fails (throttled, retries exhausted).
    moto.faults.add({ method: 'PUT', path: /\/audit\//, skip: 1, times: 8, status: 503 });
    const res = await cli('audit', 'push', file);
    moto.faults.clear();
    expect(res.code).toBe(EXIT_CODES.audit);
    expect(res.err).toMatch(/pushed 1 record\(s\) to s3:\/\/\S+\/audit\/INC-PUSH-\d+\/, then s3:\/\/.* failed at local record 2/);
    expect((await store.read(incident)).lines).toHaveLength(1);
    const again = await cli('--json', 'audit', 'push', file);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.out) as { destinations: Array<{ sent: number[]; already: number }> }).destinations.map((d) => [d.sent, d.already])).toEqual([
      [[2, 3], 1],
      [[1, 2, 3], 0],
    ]);
    const stored = await store.read(incident);
    expect(stored.findings).toEqual([]);
    expect(stored.lines.map((l) => (JSON.parse(l) as { record: AuditRecord }).record.time)).toEqual([1, 2, 3].map((i) => record(i).time));
    expect((await ledger.readEntries(issueNumber)).head).toEqual(stored.anchor);
  });
});

describe('firebreak audit pull / verify --incident', () => {
  it('reports a gap in the bucket precisely, and verify against the bucket anchor catches a truncated file', async () => {
    const file = await laptopChain('e.jsonl', [record(1), record(2), record(3)]);
    expect((await cli('audit', 'push', file, '--no-issue')).code).toBe(0);

    const truncated = join(dir, 'short.jsonl');
    await writeFile(truncated, (await readFile(file, 'utf8')).split('\n').slice(0, 2).join('\n'));
    // The local sink numbered the same 3 records 1..3 on an empty chain: same hashes as the bucket.
    const short = await cli('audit', 'verify', 'short.jsonl', '--incident', incident);
    expect(short.code).toBe(EXIT_CODES.audit);
    expect(short.err).toMatch(/records 3\.\.3 missing: truncated/);

    const head = (await store.read(incident)).anchor!;
    const s3 = new S3Client({ ...awsClientConfig(env), forcePathStyle: true });
    const forged = sealRecord({ seq: 4, hash: head.hash }, record(9));
    await s3.send(new PutObjectCommand({ Bucket: env[KIT_VARIABLES.evidenceBucket], Key: auditKey(incident, 5), Body: forged.line, IfNoneMatch: '*' }));
    s3.destroy();
    const pulled = await cli('audit', 'pull', '--incident', incident, '--out', 'p.jsonl');
    expect(pulled.code).toBe(EXIT_CODES.audit);
    expect(pulled.err).toMatch(/record 4 has no object.*gap before record 5/);
    expect((await readFile(join(dir, 'p.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(4);
    const verified = await cli('audit', 'verify', 'p.jsonl', '--incident', incident);
    expect(verified.code).toBe(EXIT_CODES.audit);
    expect(verified.err).toMatch(/p\.jsonl:4: record 5 does not chain: sequence 5 where 4 was expected.*in the bucket: record 4 has no object/);
  });

  it('pull without any record is a clear input error', async () => {
    const res = await cli('audit', 'pull', '--incident', 'INC-NONE');
    expect(res.code).toBe(EXIT_CODES.input);
    expect(res.err).toMatch(/holds no audit record for INC-NONE/);
  });
});

describe('firebreak audit pull --from issue', () => {
  it('anchors the issue chain with the bucket head, and drops a stale .head when there is no anchor', async () => {
    const file = await laptopChain('f.jsonl', [record(1), record(2)]);
    expect((await cli('audit', 'push', file, '--no-bucket-copy')).code).toBe(0);
    await writeFile(join(dir, 'i.jsonl.head'), `9:${'a'.repeat(64)}\n`);
    const pulled = await cli('audit', 'pull', '--incident', incident, '--from', 'issue', '--out', 'i.jsonl');
    expect(pulled.code).toBe(0);
    expect(pulled.out).toMatch(/no bucket anchor: the evidence bucket holds no record of INC-PUSH-\d+/);
    await expect(readFile(join(dir, 'i.jsonl.head'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await cli('audit', 'verify', 'i.jsonl')).out).toMatch(/ok i\.jsonl: 2 record\(s\)/);

    expect((await cli('audit', 'push', file)).code).toBe(0);
    expect((await cli('audit', 'pull', '--incident', incident, '--from', 'issue', '--out', 'i.jsonl')).code).toBe(0);
    const verified = await cli('audit', 'verify', 'i.jsonl');
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/anchored by i\.jsonl\.head/);
    expect((await readFile(join(dir, 'i.jsonl.head'), 'utf8')).trim()).toBe(`2:${(await store.read(incident)).anchor!.hash}`);
  });
});
