import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../core/canonical-json.js';
import { hashEntry, verifyChain, type ChainHead, type VerifyReport } from '../../core/audit.js';
import { realisticChainLines } from '../../../bench/lib/audit-chain.js';
import { verifyAuditFile, type VerifyFileOptions } from './verify-file.js';

const N = 10_000;
let dir: string;
let lines: string[];
let head: ChainHead;
let file = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fb-verify-'));
  lines = realisticChainLines(N, 7);
  const last = JSON.parse(lines[N - 1]!) as { seq: number; hash: string };
  head = { seq: last.seq, hash: last.hash };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One file per test slot, overwritten each run: 10 MB a run must not pile up in tmp. */
function write(content: string | Buffer): string {
  const path = join(dir, `chain-${file++ % 4}.jsonl`);
  writeFileSync(path, content);
  return path;
}

/** The reference answer: verifyChain over the file decoded and split, as the spec defines it. */
function reference(path: string, anchor?: ChainHead): VerifyReport {
  return verifyChain(readFileSync(path, 'utf8').split('\n'), anchor);
}

/** Split into ranges on this thread (fast) or on real workers, with odd chunk sizes. */
const modes = fc.oneof(
  fc.record({ workers: fc.integer({ min: 1, max: 5 }), chunkSize: fc.integer({ min: 64, max: 1 << 16 }), threads: fc.constant(false), parallelThresholdBytes: fc.constant(0) }),
  fc.constant<VerifyFileOptions>({}),
);

async function verifyBoth(path: string, anchor: ChainHead | undefined, mode: VerifyFileOptions): Promise<VerifyReport> {
  const fast = await verifyAuditFile(path, { ...mode, anchor });
  expect(fast).toEqual(reference(path, anchor));
  return fast;
}

function sealForged(seq: number, prev: string, record: Record<string, unknown>): string {
  const body = canonicalJson(record);
  return `{"seq":${seq},"prev":"${prev}","hash":"${hashEntry(seq, prev, body)}","record":${body}}`;
}

const hashOf = (line: string): string => (JSON.parse(line) as { hash: string }).hash;
const joined = (ls: string[]): string => `${ls.join('\n')}\n`;

describe('verifyAuditFile on a 10,000-record chain', () => {
  it('accepts the intact chain with and without its anchor, on workers and on this thread', async () => {
    const path = write(joined(lines));
    for (const mode of [{}, { workers: 2, parallelThresholdBytes: 0 }, { workers: 3, threads: false, parallelThresholdBytes: 0, chunkSize: 100 }] as VerifyFileOptions[]) {
      const r = await verifyBoth(path, head, mode);
      expect(r).toMatchObject({ ok: true, records: N, head });
      expect((await verifyBoth(path, undefined, mode)).ok).toBe(true);
    }
  });

  it('names the edited record when any one byte of a record is replaced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: N }), fc.nat(), fc.integer({ min: 0x21, max: 0x7e }), modes, async (k, at, code, mode) => {
        const line = lines[k - 1]!;
        const i = at % line.length;
        fc.pre(line.charCodeAt(i) !== code);
        const tampered = [...lines];
        tampered[k - 1] = line.slice(0, i) + String.fromCharCode(code) + line.slice(i + 1);
        const r = await verifyBoth(write(joined(tampered)), head, mode);
        expect(r.ok).toBe(false);
        expect(r.problem!.line).toBe(k);
        expect(r.records).toBe(k - 1);
      }),
      { numRuns: 25, seed: 1 },
    );
  });

  it('names the gap when a record is deleted (the last one: against the anchor)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: N }), modes, async (k, mode) => {
        const tampered = lines.filter((_, i) => i !== k - 1);
        const r = await verifyBoth(write(joined(tampered)), head, mode);
        expect(r.ok).toBe(false);
        // Line k now holds record k+1; deleting the last record is a truncation only the anchor shows.
        expect(r.problem).toMatchObject({ line: k, seq: k === N ? N : k + 1 });
        expect(r.problem!.reason).toMatch(k === N ? /truncated/ : /deleted, inserted or reordered/);
      }),
      { numRuns: 20, seed: 2 },
    );
  });

  it('names the record after a well-sealed forged insertion, or the forgery itself when badly sealed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: N + 1 }), fc.boolean(), modes, async (k, wellSealed, mode) => {
        const prev = k === 1 ? '0'.repeat(64) : hashOf(lines[k - 2]!);
        let forged = sealForged(k, prev, { v: 1, step: 'block-ips', actor: 'mallory', note: 'inserted' });
        if (!wellSealed) forged = forged.replace('mallory', 'mallorz');
        const tampered = [...lines.slice(0, k - 1), forged, ...lines.slice(k - 1)];
        const r = await verifyBoth(write(joined(tampered)), head, mode);
        expect(r.ok).toBe(false);
        if (!wellSealed) expect(r.problem).toMatchObject({ line: k, seq: k });
        else if (k <= N) expect(r.problem).toMatchObject({ line: k + 1, seq: k });
        else expect(r.problem).toMatchObject({ line: N + 2, seq: N }); // longer than the anchor
      }),
      { numRuns: 20, seed: 3 },
    );
  });

  it('names the first of two swapped records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: N }), fc.integer({ min: 1, max: N }), modes, async (a, b, mode) => {
        fc.pre(a !== b);
        const [i, j] = a < b ? [a, b] : [b, a];
        const tampered = [...lines];
        tampered[i - 1] = lines[j - 1]!;
        tampered[j - 1] = lines[i - 1]!;
        const r = await verifyBoth(write(joined(tampered)), head, mode);
        expect(r.problem).toMatchObject({ line: i, seq: j });
      }),
      { numRuns: 20, seed: 4 },
    );
  });

  it('names the cut record when the file is truncated mid-line', async () => {
    const content = Buffer.from(joined(lines));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: N }), fc.nat(), modes, async (k, at, mode) => {
        const start = k === 1 ? 0 : content.indexOf(lines[k - 1]!.slice(0, 80));
        const len = Buffer.byteLength(lines[k - 1]!);
        const cut = start + 1 + (at % (len - 1)); // keeps 1..len-1 bytes of line k
        const r = await verifyBoth(write(content.subarray(0, cut)), head, mode);
        expect(r.problem!.line).toBe(k);
        // The seq is what the damaged line still claims: k, a prefix of its digits, or none.
        const seq = r.problem!.seq;
        expect(seq === undefined || String(k).startsWith(String(seq))).toBe(true);
        expect(r.problem!.reason).toMatch(/not valid JSON|hash does not match/);
      }),
      { numRuns: 20, seed: 5 },
    );
  });

  it('names the first missing record when truncated at a record boundary, thanks to the anchor', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: N - 1 }), modes, async (k, mode) => {
        const path = write(k === 0 ? '' : joined(lines.slice(0, k)));
        const r = await verifyBoth(path, head, mode);
        expect(r.problem).toMatchObject({ line: k + 1, seq: k + 1 });
        expect(r.problem!.reason).toMatch(/truncated/);
        expect((await verifyBoth(path, undefined, mode)).ok).toBe(true); // why the anchor matters
      }),
      { numRuns: 15, seed: 6 },
    );
  });
});

describe('verifyAuditFile gives verifyChain’s answer on irregular files', () => {
  const short = (): string[] => realisticChainLines(60, 11);
  /** Another tool's serialisation: keys in another order, spaces, still the same content. */
  const reserialise = (line: string): string => {
    const e = JSON.parse(line) as { seq: number; prev: string; hash: string; record: Record<string, unknown> };
    const reversed = Object.fromEntries(Object.entries(e.record).reverse());
    return JSON.stringify({ record: reversed, hash: e.hash, seq: e.seq, prev: e.prev }, null, 1).replace(/\n/g, ' ');
  };
  const variants: Array<[string, (ls: string[]) => string | Buffer]> = [
    ['every line re-serialised by another tool', (ls) => joined(ls.map(reserialise))],
    ['some lines re-serialised', (ls) => joined(ls.map((l, i) => (i % 7 === 3 ? reserialise(l) : l)))],
    ['CRLF line ends', (ls) => `${ls.join('\r\n')}\r\n`],
    ['blank and whitespace-only lines', (ls) => ls.map((l, i) => (i % 5 === 0 ? `\n  \t\n${l}` : l)).join('\n')],
    ['no trailing newline', (ls) => ls.join('\n')],
    ['a non-breaking-space-only line (trim() blank)', (ls) => joined([...ls.slice(0, 10), '\u00a0\u2028', ...ls.slice(10)])],
    ['a BOM before the first line', (ls) => `\ufeff${joined(ls)}`],
    ['invalid UTF-8 inside a record', (ls) => Buffer.concat([Buffer.from(joined(ls.slice(0, 20))), Buffer.from(ls[20]!.replace('alice', 'al\u00ffce'), 'latin1'), Buffer.from(`\n${joined(ls.slice(21))}`)])],
    ['a non-ASCII record sealed correctly', (ls) => joined([...ls.slice(0, 5), sealForged(6, hashOf(ls[4]!), { v: 1, actor: 'zoë 👩‍🚒', note: 'ü' })])],
    ['leading zeros in seq', (ls) => joined(ls.map((l, i) => (i === 8 ? l.replace('{"seq":9,', '{"seq":009,') : l)))],
    ['an empty file', () => ''],
    ['only newlines', () => '\n\n\n'],
  ];

  for (const [name, make] of variants) {
    it(name, async () => {
      const path = write(make(short()));
      for (const mode of [{}, { workers: 3, threads: false, parallelThresholdBytes: 0, chunkSize: 257 }, { workers: 2, parallelThresholdBytes: 0 }] as VerifyFileOptions[]) {
        await verifyBoth(path, undefined, mode);
      }
    });
  }

  it('a re-serialised chain still verifies (slow path)', async () => {
    const ls = short();
    const r = await verifyBoth(write(joined(ls.map(reserialise))), undefined, {});
    expect(r).toMatchObject({ ok: true, records: 60 });
  });

  it('random byte edits anywhere in a small irregular file', async () => {
    const base = Buffer.from(joined(short().map((l, i) => (i % 9 === 4 ? reserialise(l) : l))));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 64, max: 4096 }), async (edits, workers, chunkSize) => {
        const buf = Buffer.from(base);
        for (const [at, byte] of edits) buf[at % buf.length] = byte;
        await verifyBoth(write(buf), undefined, { workers, chunkSize, threads: false, parallelThresholdBytes: 0 });
      }),
      { numRuns: 150, seed: 8 },
    );
  });
});
