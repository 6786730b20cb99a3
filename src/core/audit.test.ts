import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_FORMAT_VERSION,
  EMPTY_HEAD,
  GENESIS_HASH,
  checkLine,
  formatAnchor,
  hashEntry,
  parseAnchor,
  sealRecord,
  verifyChain,
  verifyLine,
  type AuditRecord,
  type ChainHead,
} from './audit.js';
import { canonicalJson } from './canonical-json.js';

const rec = (i: number, extra: Record<string, unknown> = {}): AuditRecord => ({
  v: AUDIT_FORMAT_VERSION,
  time: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`,
  incidentId: null,
  actor: 'alice',
  runUrl: null,
  step: 'block-ips',
  status: 'applied',
  dryRun: false,
  input: { n: i, ...extra },
  plan: null,
  result: null,
  error: null,
});

function chain(n: number): { lines: string[]; head: ChainHead } {
  let head = EMPTY_HEAD;
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    const { entry, line } = sealRecord(head, rec(i));
    head = { seq: entry.seq, hash: entry.hash };
    lines.push(line);
  }
  return { lines, head };
}

describe('sealRecord', () => {
  it('chains from the genesis hash with seq 1 and hashes the canonical {prev, record, seq}', () => {
    const { entry, line } = sealRecord(EMPTY_HEAD, rec(1));
    expect(entry.seq).toBe(1);
    expect(entry.prev).toBe(GENESIS_HASH);
    const expected = createHash('sha256').update(canonicalJson({ seq: 1, prev: GENESIS_HASH, record: rec(1) })).digest('hex');
    expect(entry.hash).toBe(expected);
    expect(hashEntry(1, GENESIS_HASH, canonicalJson(rec(1)))).toBe(expected);
    expect(JSON.parse(line)).toEqual({ seq: 1, prev: GENESIS_HASH, hash: expected, record: rec(1) });
    expect(line.startsWith('{"seq":1,"prev":"')).toBe(true);
  });

  it('drops undefined optional fields so the hash does not depend on them', () => {
    const a = sealRecord(EMPTY_HEAD, { ...rec(1), override: undefined });
    const b = sealRecord(EMPTY_HEAD, rec(1));
    expect(a.entry.hash).toBe(b.entry.hash);
  });
});

describe('verifyChain', () => {
  it('accepts a sound chain, with a trailing newline, and reports records and head', () => {
    const { lines, head } = chain(5);
    expect(verifyChain([...lines, ''], head)).toEqual({ ok: true, records: 5, head, problem: undefined });
    expect(verifyChain([])).toEqual({ ok: true, records: 0, head: EMPTY_HEAD, problem: undefined });
  });

  it('names an edited record by line and seq', () => {
    const { lines } = chain(5);
    lines[3] = lines[3]!.replace('"n":4', '"n":40');
    expect(verifyChain(lines).problem).toEqual({ line: 4, seq: 4, reason: 'hash does not match its content (record edited)' });
  });

  it('names a deleted, inserted or reordered record', () => {
    const { lines } = chain(5);
    expect(verifyChain([lines[0]!, lines[2]!, lines[3]!]).problem).toMatchObject({ line: 2, seq: 3, reason: expect.stringMatching(/^sequence 3 where 2 was expected/) });
    expect(verifyChain([lines[0]!, lines[0]!]).problem).toMatchObject({ line: 2, seq: 1 });
  });

  it('names a record whose seq is right but whose prev is not (spliced from another chain)', () => {
    const { lines } = chain(3);
    const other = sealRecord({ seq: 1, hash: 'f'.repeat(64) }, rec(9)).line;
    expect(verifyChain([lines[0]!, other]).problem).toMatchObject({ line: 2, seq: 2, reason: expect.stringMatching(/^previous hash does not match record 1/) });
  });

  it('counts blank lines in line numbers and skips them; accepts CRLF', () => {
    const { lines } = chain(3);
    expect(verifyChain([lines[0]!, '', '  ', `${lines[1]!}\r`, lines[2]!]).ok).toBe(true);
    const bad = [lines[0]!, '', lines[2]!];
    expect(verifyChain(bad).problem?.line).toBe(3);
  });

  it('with an anchor, names the first missing record of a truncated chain on the line after the last record', () => {
    const { lines, head } = chain(5);
    const r = verifyChain([...lines.slice(0, 3), ''], head);
    expect(r.ok).toBe(false);
    expect(r.problem).toEqual({ line: 4, seq: 4, reason: expect.stringMatching(/records 4\.\.5 missing: truncated/) });
    expect(verifyChain(lines.slice(0, 3)).ok).toBe(true);
  });

  it('with an anchor, a chain that goes past it or differs from it fails', () => {
    const { lines } = chain(5);
    const { head: h3 } = chain(3);
    expect(verifyChain(lines, h3).problem?.reason).toMatch(/does not match the anchor/);
    expect(verifyChain(lines.slice(0, 3), { seq: 3, hash: 'a'.repeat(64) }).ok).toBe(false);
  });

  it('reports a truncated last line as invalid JSON with the seq it still shows', () => {
    const { lines } = chain(2);
    expect(verifyChain([lines[0]!, lines[1]!.slice(0, 120)]).problem).toEqual({ line: 2, seq: 2, reason: 'not valid JSON (edited or truncated)' });
  });
});

describe('checkLine and verifyLine', () => {
  it('accepts a line re-serialised by another tool (slow path) and rejects a non-entry', () => {
    const { lines } = chain(1);
    const e = JSON.parse(lines[0]!) as Record<string, unknown>;
    const other = JSON.stringify({ record: e.record, hash: e.hash, prev: e.prev, seq: e.seq }, null, 2).replace(/\n/g, '');
    expect(checkLine(other)).toEqual({ seq: 1, prev: GENESIS_HASH, hash: e.hash });
    expect(checkLine('{"seq":1}')).toBe('not an audit entry (needs seq, prev, hash, record)');
    expect(checkLine(JSON.stringify({ ...e, hash: String(e.hash).toUpperCase() }))).toBe('not an audit entry (needs seq, prev, hash, record)');
  });

  it('verifyLine: blank, entry or problem', () => {
    const { lines } = chain(2);
    expect(verifyLine(EMPTY_HEAD, ' \t')).toEqual({ kind: 'blank' });
    expect(verifyLine(EMPTY_HEAD, lines[0]!)).toMatchObject({ kind: 'entry', seq: 1 });
    expect(verifyLine(EMPTY_HEAD, lines[1]!)).toMatchObject({ kind: 'problem', seq: 2 });
  });
});

describe('anchors', () => {
  it('format and parse SEQ:HASH, rejecting anything else', () => {
    const head = { seq: 42, hash: 'ab'.repeat(32) };
    expect(parseAnchor(`${formatAnchor(head)}\n`)).toEqual(head);
    for (const bad of ['', '42', `42:${'AB'.repeat(32)}`, `x:${'ab'.repeat(32)}`, `42:${'ab'.repeat(31)}`]) expect(parseAnchor(bad)).toBeUndefined();
  });
});
