import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealRecord, EMPTY_HEAD, verifyChain, type ChainHead } from '../../src/core/audit.js';
import { canonicalJson } from '../../src/core/canonical-json.js';
import { median } from '../../bench/bench.js';
import { canonicalRecordText, prng, realisticChainLines, realisticRecord, writeRealisticChain } from '../../bench/lib/audit-chain.js';
import { discover, formatTable, loadBenchmark, mergeResults } from '../../bench/run.js';

describe('bench harness', () => {
  it('discovers every bench/*.bench.ts and each exports a runnable benchmark', async () => {
    const all = await discover();
    expect([...all.keys()]).toEqual(expect.arrayContaining(['audit-verify', 'cold-start']));
    for (const file of all.values()) {
      const b = await loadBenchmark(file);
      expect(typeof b.run).toBe('function');
      expect(b.name.length).toBeGreaterThan(0);
    }
  });

  it('merges results into latest.json keeping other benchmarks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-bench-'));
    try {
      const file = join(dir, 'results', 'latest.json');
      await mergeResults(file, { a: { x: 1 } });
      await mergeResults(file, { b: { y: 2 } });
      await mergeResults(file, { a: { x: 3 } });
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ a: { x: 3 }, b: { y: 2 } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('formats a table with goals met or missed', () => {
    const t = formatTable([
      { bench: 'audit-verify', metric: 'ratio_vs_sha256sum', value: 0.75, goal: '>= 0.5', met: true },
      { bench: 'cold-start', metric: 'ratio_vs_node', value: 2.5, goal: '<= 2', met: false },
    ]);
    expect(t).toContain('0.750  >= 0.5 ✓');
    expect(t).toContain('2.500  <= 2 ✗');
  });

  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('realistic audit chains', () => {
  it('hand-built canonical text equals canonicalJson for every record shape', () => {
    const rand = prng(3);
    for (let i = 0; i < 500; i++) {
      const r = realisticRecord(i, rand);
      expect(canonicalRecordText(r)).toBe(canonicalJson(r));
    }
  });

  it('lines equal what sealRecord writes, verify, and are 600–1400 bytes', async () => {
    const lines = realisticChainLines(200, 5);
    let head: ChainHead = EMPTY_HEAD;
    const rand = prng(5);
    for (let i = 0; i < 200; i++) {
      const { entry, line } = sealRecord(head, realisticRecord(i, rand));
      expect(lines[i]).toBe(line);
      head = { seq: entry.seq, hash: entry.hash };
    }
    expect(verifyChain(lines, head).ok).toBe(true);
    const sizes = lines.map((l) => Buffer.byteLength(l));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(600);
    expect(sizes.reduce((a, b) => a + b, 0) / sizes.length).toBeLessThan(1100);
  });

  it('writeRealisticChain writes the same chain to a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-bench-chain-'));
    try {
      const file = join(dir, 'a.jsonl');
      const { head, bytes } = await writeRealisticChain(file, 3000, 9);
      const text = await readFile(file, 'utf8');
      expect(Buffer.byteLength(text)).toBe(bytes);
      expect(text).toBe(`${realisticChainLines(3000, 9).join('\n')}\n`);
      expect(verifyChain(text.split('\n'), head)).toMatchObject({ ok: true, records: 3000 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
