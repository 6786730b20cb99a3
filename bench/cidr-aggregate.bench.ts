import { aggregate, aggregateBaseline, formatCidr, type Cidr } from '../src/core/ip/cidr.js';
import { median, type Benchmark } from './bench.js';

/**
 * Aggregating 1M addresses: our typed-array IPv4 path against the straightforward bigint
 * sort-and-merge baseline, same input, same run, identical output required.
 */
function input(n: number): Cidr[] {
  // Deterministic LCG: clustered addresses (so merging happens) plus scattered ones, some IPv6.
  let x = 12345;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const out: Cidr[] = [];
  for (let i = 0; i < n; i++) {
    const r = next();
    if (i % 50 === 0) out.push({ family: 6, prefix: 128, base: (0x20010db8n << 96n) | BigInt(r) });
    else if (i % 3 === 0) out.push({ family: 4, prefix: 32, base: BigInt(r) });
    else out.push({ family: 4, prefix: 32, base: BigInt((0x0a000000 + (r % 2_000_000)) >>> 0) });
  }
  return out;
}

function time(fn: () => Cidr[]): { ms: number; out: Cidr[] } {
  const t = performance.now();
  const out = fn();
  return { ms: performance.now() - t, out };
}

const bench: Benchmark = {
  name: 'cidr-aggregate',
  description: 'Minimal CIDR cover of 1M addresses: typed-array fast path vs bigint sort-and-merge baseline.',
  goal: { metric: 'ratio_vs_baseline', op: '>=', value: 1.0 },
  async run() {
    const n = 1_000_000;
    const data = input(n);
    const ours: number[] = [];
    const base: number[] = [];
    let same = true;
    for (let i = 0; i < 3; i++) {
      const a = time(() => aggregate(data));
      const b = time(() => aggregateBaseline(data));
      ours.push(a.ms);
      base.push(b.ms);
      if (i === 0) same = a.out.length === b.out.length && a.out.every((c, j) => formatCidr(c) === formatCidr(b.out[j]!));
    }
    if (!same) throw new Error('aggregate and the baseline disagree');
    const oursMs = median(ours);
    const baseMs = median(base);
    return { addresses: n, ours_ms: Math.round(oursMs), baseline_ms: Math.round(baseMs), ratio_vs_baseline: baseMs / oursMs, identical_output: 1 };
  },
};

export default bench;
