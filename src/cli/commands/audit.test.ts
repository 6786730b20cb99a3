import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FORMAT_VERSION, formatAnchor, hashEntry, type AuditRecord } from '../../core/audit.js';
import { EXIT_CODES } from '../../core/errors.js';
import { FileAuditSink } from '../../providers/local/file-audit-sink.js';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

let dir: string;
let file: string;

const record = (i: number): AuditRecord => ({
  v: AUDIT_FORMAT_VERSION,
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  incidentId: 'INC-1',
  actor: 'alice',
  runUrl: null,
  step: 'block-ips',
  status: 'applied',
  dryRun: false,
  input: { addresses: [`203.0.113.${i}`] },
  plan: { changes: [{ target: 'waf:REGIONAL:IPV4', action: 'add', subject: `203.0.113.${i}/32` }] },
  result: { status: 'ok' },
  error: null,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fb-audit-cmd-'));
  file = join(dir, 'audit.jsonl');
  const sink = new FileAuditSink(file);
  for (let i = 1; i <= 5; i++) await sink.append(record(i));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function verify(...args: string[]) {
  const io = memoryIo({}, dir);
  const code = await main(['audit', 'verify', ...args], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

describe('firebreak audit verify', () => {
  it('exits 0 on a sound chain, printing the count and head, anchored by FILE.head', async () => {
    const head = (await readFile(`${file}.head`, 'utf8')).trim();
    const r = await verify('audit.jsonl');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`ok audit.jsonl: 5 record(s), head ${head}\nanchored by audit.jsonl.head`);
  });

  it('says when there is no anchor to detect truncation', async () => {
    await rm(`${file}.head`);
    const r = await verify('audit.jsonl');
    expect(r.code).toBe(0);
    expect(r.out).toContain('no anchor');
  });

  it('names the first record that does not chain: line, seq and reason (exit 7)', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('203.0.113.3', '203.0.113.99');
    await writeFile(file, lines.join('\n'));
    const r = await verify('audit.jsonl');
    expect(r.code).toBe(EXIT_CODES.audit);
    expect(r.err).toMatch(/^error AUDIT_CHAIN_BROKEN: audit\.jsonl:3: record 3 does not chain: hash does not match its content \(record edited\)/);
    expect(r.err).toContain('Records before line 3 verify (2 record(s)');
  });

  it('detects truncation at a record boundary against FILE.head', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, `${lines.slice(0, 3).join('\n')}\n`);
    const r = await verify('audit.jsonl', '--json');
    expect(r.code).toBe(EXIT_CODES.audit);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'AUDIT_CHAIN_BROKEN', details: { line: 4, seq: 4, reason: expect.stringMatching(/truncated/), verifiedRecords: 3 } } });
  });

  it('--head beats FILE.head; an older head no longer matches a longer chain', async () => {
    const sink = new FileAuditSink(join(dir, 'short.jsonl'));
    const first = await sink.append(record(1));
    const ok = await verify('short.jsonl', '--head', formatAnchor({ seq: first.seq, hash: first.hash }));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('anchored by --head');
    const r = await verify('audit.jsonl', '--head', formatAnchor({ seq: first.seq, hash: first.hash }));
    expect(r.code).toBe(EXIT_CODES.audit);
    // Record 1 is the same in both files: the first record that differs from the anchor is record 2.
    expect(r.err).toContain("audit.jsonl:2: record 2 does not chain: record 2 comes after the anchor's head 1:");
  });

  it('a malformed --head is bad input (exit 2)', async () => {
    const r = await verify('audit.jsonl', '--head', '5:XYZ');
    expect(r.code).toBe(EXIT_CODES.input);
    expect(r.err).toMatch(/--head must be SEQ:HASH/);
  });

  it('a damaged FILE.head is itself an audit failure (exit 7)', async () => {
    await writeFile(`${file}.head`, 'garbage\n');
    const r = await verify('audit.jsonl');
    expect(r.code).toBe(EXIT_CODES.audit);
    expect(r.err).toContain('audit.jsonl.head is not SEQ:HASH');
  });

  it('a missing file is bad input (exit 2)', async () => {
    const r = await verify('nope.jsonl');
    expect(r.code).toBe(EXIT_CODES.input);
    expect(r.err).toContain('audit file nope.jsonl not found');
  });

  it('--json on success gives records, head and anchor source', async () => {
    const r = await verify('audit.jsonl', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ ok: true, records: 5, anchor: 'audit.jsonl.head', head: expect.stringMatching(/^5:[0-9a-f]{64}$/) });
  });

  it('refuses a duplicate key that JSON.parse would read "last wins", even when sealed over its bytes, at its line', async () => {
    const lines = (await readFile(file, 'utf8')).split('\n');
    const l3 = lines[2]!;
    const prev = (JSON.parse(l3) as { prev: string }).prev;
    const body = l3.slice(l3.indexOf('"record":') + 9, -1).replace('"status":"applied"', '"status":"refused","status":"applied"');
    lines[2] = `{"seq":3,"prev":"${prev}","hash":"${hashEntry(3, prev, body)}","record":${body}}`;
    await writeFile(file, lines.slice(0, 3).join('\n') + '\n');
    await rm(`${file}.head`);
    const r = await verify('audit.jsonl', '--json');
    expect(r.code).toBe(EXIT_CODES.audit);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, error: { code: 'AUDIT_CHAIN_BROKEN', details: { line: 3, seq: 3, reason: expect.stringMatching(/duplicate member name "status"/), verifiedRecords: 2 } } });
  });
});
