import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, aggregateBaseline, formatCidr, parseCidrLoose, rangeToCidrs, type Cidr } from './cidr.js';

const c = (t: string): Cidr => parseCidrLoose(t)!;
const fmt = (xs: Cidr[]) => xs.map(formatCidr);

describe('aggregate', () => {
  it('merges adjacent, nested and duplicate blocks into the minimal cover', () => {
    expect(fmt(aggregate(['10.0.0.0/25', '10.0.0.128/25', '10.0.0.5/32', '10.0.0.0/25'].map(c)))).toEqual(['10.0.0.0/24']);
    expect(fmt(aggregate(['192.0.2.1', '192.0.2.2', '192.0.2.3'].map(c)))).toEqual(['192.0.2.1/32', '192.0.2.2/31']);
    expect(fmt(aggregate(['2001:db8::/33', '2001:db8:8000::/33', '198.51.100.7'].map(c)))).toEqual(['198.51.100.7/32', '2001:db8::/32']);
  });

  it('covers the extremes of the address space', () => {
    expect(fmt(aggregate(['255.255.255.255', '255.255.255.254'].map(c)))).toEqual(['255.255.255.254/31']);
    expect(fmt(aggregate(['0.0.0.0/1', '128.0.0.0/1'].map(c)))).toEqual(['0.0.0.0/0']);
    expect(fmt(rangeToCidrs(4, 1n, 6n))).toEqual(['0.0.0.1/32', '0.0.0.2/31', '0.0.0.4/31', '0.0.0.6/32']);
  });

  it('gives exactly the baseline sort-and-merge output on random inputs', () => {
    const v4 = fc.record({ base: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 1, max: 32 }) }).map(({ base, prefix }) => c(`${[base >>> 24, (base >>> 16) & 255, (base >>> 8) & 255, base & 255].join('.')}/${prefix}`));
    const v6 = fc.record({ hi: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), prefix: fc.integer({ min: 1, max: 128 }) }).map(({ hi, prefix }) => {
      const shift = BigInt(128 - prefix);
      return { family: 6 as const, prefix, base: (((hi << 64n) >> shift) << shift) };
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(v4, v6), { maxLength: 60 }), (xs) => {
        expect(fmt(aggregate(xs))).toEqual(fmt(aggregateBaseline(xs)));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps coverage: every input address is inside the cover and the cover is not larger than the inputs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4095 }), { minLength: 1, maxLength: 200 }), (ns) => {
        const xs = ns.map((n) => c(`10.0.${n >> 8}.${n & 255}`));
        const out = aggregate(xs);
        const covered = new Set<number>();
        for (const o of out) for (let i = 0n; i < 1n << BigInt(32 - o.prefix); i++) covered.add(Number(o.base + i));
        expect(covered).toEqual(new Set(xs.map((x) => Number(x.base))));
      }),
      { numRuns: 200 },
    );
  });
});
