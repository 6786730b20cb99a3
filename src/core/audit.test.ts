import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_FORMAT_VERSION,
  CompositeAuditSink,
  EMPTY_HEAD,
  GENESIS_HASH,
  anchorProblem,
  checkLine,
  finish,
  formatAnchor,
  linkProblem,
  tooLongVerdict,
  verifyLineBytes,
  hashEntry,
  parseAnchor,
  sealRecord,
  verifyChain,
  verifyLine,
  DEFAULT_MAX_LINE_BYTES,
  type AuditRecord,
  type AuditSink,
  type SealedEntry,
  type ChainHead,
} from './audit.js';
import { canonicalJson } from './canonical-json.js';
import { AuditChainError } from './errors.js';

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

  it('counts empty lines in line numbers and skips them; a CR or a line of spaces is not the writer’s', () => {
    const { lines } = chain(3);
    expect(verifyChain([lines[0]!, '', lines[1]!, lines[2]!]).ok).toBe(true);
    const bad = [lines[0]!, '', lines[2]!];
    expect(verifyChain(bad).problem?.line).toBe(3);
    expect(verifyChain([lines[0]!, '  ', lines[1]!]).problem).toMatchObject({ line: 2, seq: undefined });
    expect(verifyChain([lines[0]!, `${lines[1]!}\r`]).problem).toMatchObject({ line: 2, seq: 2, reason: expect.stringMatching(/exact layout/) });
  });

  it('with an anchor, names the first missing record of a truncated chain on the line after the last record', () => {
    const { lines, head } = chain(5);
    const r = verifyChain([...lines.slice(0, 3), ''], head);
    expect(r.ok).toBe(false);
    expect(r.problem).toEqual({ line: 4, seq: 4, reason: expect.stringMatching(/records 4\.\.5 missing: truncated/) });
    expect(verifyChain(lines.slice(0, 3)).ok).toBe(true);
  });

  it('with an anchor, a chain that goes past it or differs from it fails at the first record that differs', () => {
    const { lines } = chain(5);
    const { head: h3 } = chain(3);
    expect(verifyChain(lines, h3).problem).toMatchObject({ line: 4, seq: 4, reason: expect.stringMatching(/comes after the anchor/) });
    expect(verifyChain(lines.slice(0, 3), { seq: 3, hash: 'a'.repeat(64) }).problem).toMatchObject({ line: 3, seq: 3, reason: expect.stringMatching(/anchor says 3:aaaa/) });
  });

  it('reports a truncated last line as invalid JSON with the seq it still shows', () => {
    const { lines } = chain(2);
    expect(verifyChain([lines[0]!, lines[1]!.slice(0, 120)]).problem).toEqual({ line: 2, seq: 2, reason: 'not valid JSON (edited or truncated)' });
  });
});

describe('checkLine and verifyLine', () => {
  it('refuses a line re-serialised by another tool, and a non-entry', () => {
    const { lines } = chain(1);
    const e = JSON.parse(lines[0]!) as Record<string, unknown>;
    const other = JSON.stringify({ record: e.record, hash: e.hash, prev: e.prev, seq: e.seq }, null, 2).replace(/\n/g, '');
    expect(checkLine(other)).toBe('members in the order record, hash, prev, seq (the writer writes seq, prev, hash, record)');
    expect(checkLine(JSON.stringify(e, null, 1))).toMatch(/exact layout/);
    expect(checkLine('{"seq":1}')).toBe('not an audit entry (needs seq, prev, hash, record; prev, hash, record missing)');
    expect(checkLine('[1]')).toBe('not an audit entry (needs seq, prev, hash, record)');
    expect(checkLine(JSON.stringify({ ...e, hash: String(e.hash).toUpperCase() }))).toMatch(/exact layout/);
  });

  it('verifyLine: blank, entry or problem', () => {
    const { lines } = chain(2);
    expect(verifyLine(EMPTY_HEAD, '')).toEqual({ kind: 'blank' });
    expect(verifyLine(EMPTY_HEAD, ' \t')).toMatchObject({ kind: 'problem' });
    expect(verifyLine(EMPTY_HEAD, lines[0]!)).toMatchObject({ kind: 'entry', seq: 1 });
    expect(verifyLine(EMPTY_HEAD, lines[1]!)).toMatchObject({ kind: 'problem', seq: 2 });
  });
});

describe('anchors', () => {
  it('format and parse SEQ:HASH, rejecting anything else', () => {
    const head = { seq: 42, hash: 'ab'.repeat(32) };
    expect(parseAnchor(`${formatAnchor(head)}\n`)).toEqual(head);
    for (const bad of ['', '42', `42:${'AB'.repeat(32)}`, `x:${'ab'.repeat(32)}`, `42:${'ab'.repeat(31)}`, `042:${'ab'.repeat(32)}`, `+42:${'ab'.repeat(32)}`, `9007199254740993:${'ab'.repeat(32)}`, `42:${'ab'.repeat(32)}\n42:${'ab'.repeat(32)}`]) {
      expect(parseAnchor(bad), bad).toBeUndefined();
    }
    expect(parseAnchor(`  0:${'ab'.repeat(32)} \n`)).toEqual({ seq: 0, hash: 'ab'.repeat(32) });
  });
});

/** A line whose record bytes are `body` exactly, sealed correctly over those bytes: only the form is wrong. */
function resealed(seq: number, prev: string, body: string): string {
  return `{"seq":${seq},"prev":"${prev}","hash":"${hashEntry(seq, prev, body)}","record":${body}}`;
}

describe('a line means exactly one thing (issue 8 §4)', () => {
  const { lines } = chain(3);
  const body = (line: string): string => line.slice(line.indexOf('"record":') + 9, -1);
  const b3 = body(lines[2]!);
  const prev3 = (JSON.parse(lines[2]!) as { prev: string }).prev;
  const withBody = (b: string): string[] => [lines[0]!, lines[1]!, resealed(3, prev3, b)];

  const hostile: Array<[string, string, RegExp]> = [
    // JSON.parse reads "last wins": the verifier would have seen "applied" while grep sees "refused".
    ['duplicate key inside record', b3.replace('"status":"applied"', '"status":"refused","status":"applied"'), /duplicate member name "status"/],
    ['duplicate key nested in record', b3.replace('"input":{"n":3}', '"input":{"n":3,"n":4}'), /duplicate member name "n"/],
    ['reordered record keys', `{"v":1,${b3.slice(1, -7)}}`, /out of canonical order/],
    ['whitespace inside record', b3.replace('"actor":"alice"', '"actor": "alice"'), /whitespace/],
    ['non-canonical number', b3.replace('"n":3', '"n":3.0'), /number 3\.0/],
    ['exponent number', b3.replace('"n":3', '"n":3e0'), /number 3e0/],
    ['escaped letter', b3.replace('"alice"', '"\\u0061lice"'), /string .* not in canonical form/],
    ['escaped slash', b3.replace('"block-ips"', '"block\\/ips"'), /string .* not in canonical form/],
  ];
  for (const [name, b, reason] of hostile) {
    it(`refuses a well-sealed record with ${name}, naming line and seq`, () => {
      expect(b).not.toBe(b3);
      const r = verifyChain(withBody(b));
      expect(r.problem).toEqual({ line: 3, seq: 3, reason: expect.stringMatching(reason) });
      expect(r.problem!.reason).toMatch(/^record is not in canonical form \(RFC 8785\)/);
      expect(r.records).toBe(2);
    });
  }

  it('refuses an extra top-level member, before or after the four', () => {
    const e = JSON.parse(lines[2]!) as { seq: number; prev: string; hash: string; record: unknown };
    const after = `${lines[2]!.slice(0, -1)},"status":"refused"}`;
    const before = `{"status":"refused",${lines[2]!.slice(1)}`;
    // The seq is read only where the writer puts it: first.
    for (const [l, seq] of [[after, e.seq], [before, undefined]] as const) {
      expect(verifyChain([lines[0]!, lines[1]!, l]).problem).toEqual({ line: 3, seq, reason: 'unexpected member "status" (a line holds exactly seq, prev, hash, record)' });
    }
    // A member between the four is not the writer's layout either.
    const between = lines[2]!.replace('"hash":', '"note":"x","hash":');
    expect(verifyChain([lines[0]!, lines[1]!, between]).problem).toMatchObject({ line: 3, seq: 3, reason: expect.stringMatching(/unexpected member "note"/) });
  });

  it('refuses a duplicate top-level member, whichever copy JSON.parse would keep', () => {
    const forged = resealed(3, prev3, b3.replace('"applied"', '"refused"'));
    const forgedRecord = forged.slice(forged.indexOf('"record":'), -1);
    const dupFirst = `${lines[2]!.slice(0, -1)},${forgedRecord}}`; // JSON.parse keeps the forged one
    const dupSeq = lines[2]!.replace('{"seq":3,', '{"seq":3,"seq":4,');
    for (const l of [dupFirst, dupSeq]) {
      expect(verifyChain([lines[0]!, lines[1]!, l]).problem).toMatchObject({ line: 3, seq: 3, reason: expect.stringMatching(/duplicate member name/) });
    }
  });

  it('refuses a leading zero in seq and a seq beyond 2^53', () => {
    expect(checkLine(lines[0]!.replace('{"seq":1,', '{"seq":01,'))).toMatch(/exact layout|not valid JSON/);
    expect(checkLine(resealed(9007199254740993, GENESIS_HASH, b3))).toMatch(/exact layout/);
  });

  it('names a line longer than the limit by its line and the seq it starts with, without reading it', () => {
    const { lines: ls } = chain(3);
    const r = verifyChain(ls, undefined, { maxLineBytes: 200 });
    expect(r.problem).toEqual({ line: 1, seq: 1, reason: "line longer than 200 bytes, the verifier's limit (the writer never writes one)" });
    const bytes = ls.map((l) => new TextEncoder().encode(l));
    expect(verifyChain(bytes, undefined, { maxLineBytes: 200 })).toEqual(r);
    expect(verifyChain(bytes).ok).toBe(true);
  });

  it('refuses invalid UTF-8 given as bytes, even when sealed over the bytes that decode', () => {
    const { lines: ls } = chain(1);
    const bad = new TextEncoder().encode(ls[0]!.replace('alice', 'al\ufffdce'));
    const raw = Buffer.from(ls[0]!.replace('alice', 'alXce'), 'utf8');
    raw[raw.indexOf('alXce') + 2] = 0xff;
    expect(verifyChain([bad]).problem?.reason).toMatch(/hash does not match/);
    expect(verifyChain([raw]).problem).toEqual({ line: 1, seq: 1, reason: 'not valid UTF-8 (the writer writes UTF-8 only)' });
  });

  it('refuses to seal a record whose line would be over the limit, changing nothing', () => {
    const huge = { ...rec(1), input: { blob: 'x'.repeat(DEFAULT_MAX_LINE_BYTES) } };
    // One call: the record is 64 MiB, and under `npm run mutate` every mutant it covers runs this test.
    const thrown = (() => {
      try {
        sealRecord(EMPTY_HEAD, huge);
      } catch (e) {
        return e;
      }
      return expect.unreachable('sealed a line over the limit');
    })();
    expect(thrown).toBeInstanceOf(AuditChainError);
    expect((thrown as AuditChainError).hint).toBe('Nothing was written. The step put something huge into its input, plan or result; keep large data as evidence files and record a digest instead.');
    expect((thrown as Error).message).toMatch(/^audit record for step block-ips would be a \d+-byte line, over the 67108864-byte limit verifiers read$/);
  });
});

describe('the chain against its anchor names the record that actually differs', () => {
  const N = 25;
  const { lines, head } = chain(N);
  const prevOf = (l: string): string => (JSON.parse(l) as { prev: string }).prev;

  it('appended: a forged record 26 is "line 26, record 26"', () => {
    const forged = sealRecord(head, rec(26)).line;
    expect(verifyChain([...lines, forged, ''], head).problem).toEqual({ line: 26, seq: 26, reason: expect.stringMatching(/record 26 comes after the anchor's head 25:/) });
  });

  it('truncated: the first missing record, on the line after the last one', () => {
    expect(verifyChain(lines.slice(0, 20), head).problem).toEqual({ line: 21, seq: 21, reason: expect.stringMatching(/records 21\.\.25 missing: truncated/) });
  });

  it('edited in the middle without re-sealing: the edited record', () => {
    const t = [...lines];
    t[9] = t[9]!.replace('"actor":"alice"', '"actor":"mallory"');
    expect(verifyChain(t, head).problem).toEqual({ line: 10, seq: 10, reason: 'hash does not match its content (record edited)' });
  });

  it('edited last record, re-sealed: the last record, by the anchor', () => {
    const t = [...lines];
    const body = canonicalJson({ ...rec(25), status: 'refused' });
    t[24] = resealed(25, prevOf(lines[24]!), body);
    expect(verifyChain(t, head).problem).toEqual({ line: 25, seq: 25, reason: expect.stringMatching(/record 25 has hash .* but the anchor says 25:/) });
    expect(verifyChain(t).ok).toBe(true); // why an anchor kept elsewhere matters
  });

  it('edited in the middle and everything after re-sealed: the anchor’s record (the earliest provable)', () => {
    let h: ChainHead = { seq: 9, hash: (JSON.parse(lines[8]!) as { hash: string }).hash };
    const t = lines.slice(0, 9);
    for (let i = 10; i <= N; i++) {
      const { entry, line } = sealRecord(h, rec(i, i === 10 ? { forged: true } : {}));
      h = { seq: entry.seq, hash: entry.hash };
      t.push(line);
    }
    expect(verifyChain(t, head).problem).toMatchObject({ line: 25, seq: 25, reason: expect.stringMatching(/rewritten and re-sealed, or the anchor was changed/) });
  });

  it('anchor edited: a wrong hash names its record; a smaller seq names the first record past it', () => {
    expect(verifyChain(lines, { seq: N, hash: 'b'.repeat(64) }).problem).toMatchObject({ line: 25, seq: 25 });
    const h20 = { seq: 20, hash: (JSON.parse(lines[19]!) as { hash: string }).hash };
    expect(verifyChain(lines, h20).problem).toMatchObject({ line: 21, seq: 21, reason: expect.stringMatching(/after the anchor/) });
    expect(verifyChain(lines, { seq: 30, hash: head.hash }).problem).toMatchObject({ line: 26, seq: 26, reason: expect.stringMatching(/truncated/) });
  });
});

describe('each verdict says exactly what happened', () => {
  const wide = (i: number): AuditRecord => ({ ...rec(i), actor: 'zoé' });
  const { line, entry } = sealRecord(EMPTY_HEAD, wide(1));
  const bytes = new TextEncoder().encode(line);

  it('the line limit counts UTF-8 bytes, not characters, as text and as bytes', () => {
    expect(bytes.length).toBe(line.length + 1);
    const tooLong = { kind: 'problem', seq: 1, reason: `line longer than ${line.length} bytes, the verifier's limit (the writer never writes one)` };
    expect(verifyLine(EMPTY_HEAD, line, { maxLineBytes: line.length })).toEqual(tooLong);
    expect(verifyLineBytes(EMPTY_HEAD, bytes, { maxLineBytes: line.length })).toEqual(tooLong);
    expect(verifyLine(EMPTY_HEAD, line, { maxLineBytes: bytes.length })).toEqual({ kind: 'entry', seq: 1, hash: entry.hash });
    expect(verifyLineBytes(EMPTY_HEAD, bytes, { maxLineBytes: bytes.length })).toEqual({ kind: 'entry', seq: 1, hash: entry.hash });
    expect(tooLongVerdict('{"seq":12,"prev"', 9)).toEqual({ kind: 'problem', seq: 12, reason: "line longer than 9 bytes, the verifier's limit (the writer never writes one)" });
  });

  it('a damaged line is named by the seq in its first 64 characters, however it is spaced', () => {
    expect(verifyLine(EMPTY_HEAD, '  { "seq" : 7, "x": ')).toEqual({ kind: 'problem', seq: 7, reason: 'not valid JSON (edited or truncated)' });
    expect(verifyLine(EMPTY_HEAD, `${' '.repeat(60)}{"seq":7,`)).toEqual({ kind: 'problem', seq: undefined, reason: 'not valid JSON (edited or truncated)' });
    expect(verifyLine(EMPTY_HEAD, 'x{"seq":7,')).toEqual({ kind: 'problem', seq: undefined, reason: 'not valid JSON (edited or truncated)' });
    expect(verifyChain(['x{"seq":7,'])).toEqual({ ok: false, records: 0, head: EMPTY_HEAD, problem: { line: 1, seq: undefined, reason: 'not valid JSON (edited or truncated)' } });
  });

  it('layout problems, one reason each', () => {
    expect(checkLine(line.replace(/"record":\{.*\}\}$/, '"record":[1]}'))).toBe('record is not a JSON object');
    expect(checkLine(`${line.slice(0, -1)},"x":1}`)).toBe('unexpected member "x" (a line holds exactly seq, prev, hash, record)');
    expect(checkLine('{"seq":1,"seq":2}')).toBe('not a line the writer wrote: duplicate member name "seq" at offset 9');
    expect(checkLine('{"a":1}')).toBe('unexpected member "a" (a line holds exactly seq, prev, hash, record)');
    expect(checkLine('{"seq":1')).toBe('not valid JSON (edited or truncated)');
    expect(checkLine(line.replace('"record":{', '"record": {'))).toBe('record is not a JSON object');
    expect(checkLine(line.replace('{"seq":1,', '{"seq": 1,'))).toBe('not in the writer’s exact layout (whitespace, or another number or string form for seq, prev or hash)');
  });

  it('link and anchor problems', () => {
    const a = 'a'.repeat(64);
    expect(linkProblem({ seq: 1, hash: a }, { seq: 3, prev: a })).toBe('sequence 3 where 2 was expected (record deleted, inserted or reordered)');
    expect(linkProblem({ seq: 1, hash: a }, { seq: 2, prev: 'b'.repeat(64) })).toBe('previous hash does not match record 1 (record deleted, inserted or reordered)');
    expect(linkProblem({ seq: 1, hash: a }, { seq: 2, prev: a })).toBeUndefined();
    expect(verifyLine({ seq: 5, hash: a }, line)).toEqual({ kind: 'problem', seq: 1, reason: 'sequence 1 where 6 was expected (record deleted, inserted or reordered)' });
    expect(verifyLine(EMPTY_HEAD, line, { anchor: { seq: 0, hash: GENESIS_HASH } })).toEqual({ kind: 'problem', seq: 1, reason: "record 1 comes after the anchor's head 0:000000000000… (appended after the anchor was taken)" });
    expect(anchorProblem({ seq: 1, hash: entry.hash }, { seq: 1, hash: entry.hash })).toBeUndefined();
    expect(anchorProblem({ seq: 2, hash: 'e'.repeat(64) }, { seq: 1, hash: 'f'.repeat(64) })).toBeUndefined();
    expect(anchorProblem({ seq: 1, hash: 'e'.repeat(64) }, { seq: 1, hash: 'f'.repeat(64) })).toBe('record 1 has hash ffffffffffff… but the anchor says 1:eeeeeeeeeeee… (this record or an earlier one was rewritten and re-sealed, or the anchor was changed)');
    expect(anchorProblem(undefined, { seq: 9, hash: 'f'.repeat(64) })).toBeUndefined();
  });

  it('the end of a chain against its anchor', () => {
    const head = { seq: 3, hash: 'c'.repeat(64) };
    expect(finish(head, 3, 4, { seq: 3, hash: 'd'.repeat(64) })).toEqual({ ok: false, records: 3, head, problem: { line: 5, seq: 4, reason: 'chain head 3:cccccccccccc… does not match the anchor 3:dddddddddddd…' } });
    expect(finish(head, 3, 4, { seq: 2, hash: 'c'.repeat(64) })).toEqual({ ok: false, records: 3, head, problem: { line: 5, seq: 4, reason: 'chain head 3:cccccccccccc… does not match the anchor 2:cccccccccccc…' } });
    expect(finish(head, 3, 4, { seq: 5, hash: 'd'.repeat(64) })).toEqual({ ok: false, records: 3, head, problem: { line: 5, seq: 4, reason: 'chain ends at record 3 but the anchor says 5 (records 4..5 missing: truncated)' } });
    expect(finish(head, 3, 4, { ...head })).toEqual({ ok: true, records: 3, head, problem: undefined });
    expect(finish(head, 3, 4)).toEqual({ ok: true, records: 3, head, problem: undefined });
  });

  it('anchors: trimmed, exactly SEQ:64 lowercase hex', () => {
    expect(parseAnchor(` 7:${'a'.repeat(64)} `)).toEqual({ seq: 7, hash: 'a'.repeat(64) });
    expect(parseAnchor(`7:${'a'.repeat(64)}x`)).toBeUndefined();
    expect(parseAnchor(`x7:${'a'.repeat(64)}`)).toBeUndefined();
    expect(formatAnchor({ seq: 7, hash: 'a'.repeat(64) })).toBe(`7:${'a'.repeat(64)}`);
    expect(EMPTY_HEAD).toEqual({ seq: 0, hash: '0'.repeat(64) });
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });
});

describe('CompositeAuditSink', () => {
  it('seals once through the owner, copies to every mirror, and keeps each failing mirror by name without undoing the record', async () => {
    let head = EMPTY_HEAD;
    const sealed: string[] = [];
    const owner: AuditSink = {
      async append(record) {
        const { entry, line } = sealRecord(head, record);
        head = { seq: entry.seq, hash: entry.hash };
        sealed.push(line);
        return entry;
      },
    };
    const copies: SealedEntry[] = [];
    const boom = new Error('issue API down');
    const sink = new CompositeAuditSink(owner, [
      { name: 'summary', mirror: async (e) => void copies.push(e) },
      { name: 'github-issue', mirror: async () => Promise.reject(boom) },
    ]);
    const entry = await sink.append(rec(1));
    expect(entry.seq).toBe(1);
    expect(sealed).toHaveLength(1);
    expect(copies).toEqual([entry]);
    expect(sink.failures).toEqual([{ mirror: 'github-issue', error: boom }]);
    expect(new CompositeAuditSink(owner).mirrors).toEqual([]);
    expect(new CompositeAuditSink(owner).failures).toEqual([]);
    expect(verifyChain(sealed).ok).toBe(true);
  });
});

describe('a line is exactly the writer\'s bytes, to the last one', () => {
  const { line, entry } = sealRecord(EMPTY_HEAD, rec(1));
  it('a line whose closing brace was replaced is refused even though the record inside still hashes', () => {
    expect(checkLine(`${line.slice(0, -1)}]`)).toBe('not valid JSON (edited or truncated)');
    expect(checkLine(`${line.slice(0, -1)} `)).toBe('not valid JSON (edited or truncated)');
  });
  it('an ASCII line exactly at the limit is read', () => {
    expect(verifyLine(EMPTY_HEAD, line, { maxLineBytes: line.length })).toEqual({ kind: 'entry', seq: 1, hash: entry.hash });
    expect(verifyLine(EMPTY_HEAD, line, { maxLineBytes: line.length - 1 })).toMatchObject({ kind: 'problem', seq: 1 });
  });
});
