import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, aggregateBaseline, blockSize, bytesToBigint, cidrKey, compareCidr, contains, dottedTailToHex, formatAddress, formatCidr, lastAddress, networkOf, overlaps, parseCidrLoose, rangeToCidrs, type Cidr } from './cidr.js';

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

describe('CIDR primitives', () => {
  it('lenient parse: trims, clears host bits, reads IPv4-mapped IPv6 as IPv4 only from /96 on', () => {
    const read = (t: string) => {
      const x = parseCidrLoose(t);
      return x && `${formatCidr(x)} v${x.family}`;
    };
    expect(read(' 10.1.2.3/8 ')).toBe('10.0.0.0/8 v4');
    expect(read('10.1.2.3')).toBe('10.1.2.3/32 v4');
    expect(read('10.0.0.0/32')).toBe('10.0.0.0/32 v4');
    expect(read('10.0.0.0/0')).toBe('0.0.0.0/0 v4');
    expect(read('2001:db8::1/64')).toBe('2001:db8::/64 v6');
    expect(read('::ffff:1.2.3.4')).toBe('1.2.3.4/32 v4');
    expect(read('::ffff:1.2.3.0/120')).toBe('1.2.3.0/24 v4');
    expect(read('::ffff:1.2.3.0/96')).toBe('0.0.0.0/0 v4');
    expect(read('::ffff:102:304/95')).toBe('::fffe:0:0/95 v6');
    expect(read('::fffe:1.2.3.4')).toBe('::fffe:102:304/128 v6');
    expect(read('::1.2.3.4')).toBe('::102:304/128 v6');
    for (const bad of ['10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/', '10.0.0.0/1234', '1.2.3.4/ 8', '010.0.0.0/8', '0x10.0.0.0', '::ffff:1.2.3', '2001:db8::/129', 'x', '']) {
      expect(parseCidrLoose(bad), bad).toBeUndefined();
    }
  });

  it('dotted IPv6 tails become hex, and a tail that is not four-part decimal is refused', () => {
    expect(dottedTailToHex('::ffff:1.2.3.4')).toBe('::ffff:102:304');
    expect(dottedTailToHex('::ffff:255.255.0.16')).toBe('::ffff:ffff:10');
    expect(dottedTailToHex('2001:db8::1')).toBe('2001:db8::1');
    expect(dottedTailToHex('::ffff:1.2.3.04')).toBeUndefined();
  });

  it('orders, measures, compares and formats exactly', () => {
    expect(compareCidr(c('10.0.0.0/8'), c('::/1'))).toBeLessThan(0);
    expect(compareCidr(c('::/1'), c('10.0.0.0/8'))).toBeGreaterThan(0);
    expect(compareCidr(c('10.0.0.0/8'), c('10.0.0.0/16'))).toBeLessThan(0);
    expect(compareCidr(c('10.0.0.0/16'), c('10.0.0.0/8'))).toBeGreaterThan(0);
    expect(compareCidr(c('9.0.0.0/8'), c('10.0.0.0/8'))).toBe(-1);
    expect(compareCidr(c('11.0.0.0/8'), c('10.0.0.0/8'))).toBe(1);
    expect(compareCidr(c('10.0.0.0/8'), c('10.0.0.0/8'))).toBe(0);
    expect(cidrKey(c('2001:db8::/32'))).toBe('2001:db8::/32');
    expect(formatAddress(4, 0xffffffffn)).toBe('255.255.255.255');
    expect(formatAddress(4, 0x01020304n)).toBe('1.2.3.4');
    expect(formatAddress(6, 1n)).toBe('::1');
    expect(lastAddress(c('10.0.0.0/8'))).toBe(0x0affffffn);
    expect(blockSize({ family: 6, prefix: 0 })).toBe(1n << 128n);
    expect(blockSize({ family: 4, prefix: 32 })).toBe(1n);
    expect(networkOf(4, 0x0a0102ffn, 24)).toBe(0x0a010200n);
    expect(bytesToBigint([1, 2, 3, 4])).toBe(0x01020304n);
  });

  it('overlap and containment never cross families and respect the edges', () => {
    expect(overlaps(c('10.0.0.0/8'), c('::/0'))).toBe(false);
    expect(overlaps(c('0.0.0.0/0'), c('::/0'))).toBe(false);
    expect(overlaps(c('10.0.0.0/8'), c('10.255.255.255'))).toBe(true);
    expect(overlaps(c('10.0.0.0/8'), c('11.0.0.0'))).toBe(false);
    expect(contains(c('10.0.0.0/8'), c('10.255.0.0/16'))).toBe(true);
    expect(contains(c('10.0.0.0/8'), c('10.0.0.0/8'))).toBe(true);
    expect(contains(c('10.0.0.0/16'), c('10.0.0.0/8'))).toBe(false);
    expect(contains(c('::/0'), c('10.0.0.0/8'))).toBe(false);
    expect(contains(c('10.0.0.0/8'), c('11.0.0.0/16'))).toBe(false);
  });

  it('ranges and merges at the edges: whole space, single address, empty range, gaps of one block', () => {
    expect(fmt(rangeToCidrs(6, 0n, (1n << 128n) - 1n))).toEqual(['::/0']);
    expect(fmt(rangeToCidrs(4, 0n, 0n))).toEqual(['0.0.0.0/32']);
    expect(rangeToCidrs(4, 5n, 4n)).toEqual([]);
    expect(fmt(rangeToCidrs(6, 2n, 3n))).toEqual(['::2/127']);
    expect(fmt(aggregate([c('10.0.0.0/24'), c('10.0.2.0/24')]))).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
    expect(fmt(aggregate([c('10.0.1.0/24'), c('10.0.0.0/24')]))).toEqual(['10.0.0.0/23']);
    expect(fmt(aggregate([c('2001:db8::/64'), c('2001:db8:0:2::/64')]))).toEqual(['2001:db8::/64', '2001:db8:0:2::/64']);
    expect(fmt(aggregate([c('2001:db8:0:1::/64'), c('2001:db8::/64'), c('2001:db8::/48')]))).toEqual(['2001:db8::/48']);
    expect(fmt(aggregate([c('2001:db8::/48'), c('2001:db8:0:1::/64')]))).toEqual(['2001:db8::/48']);
    expect(fmt(aggregate([c('10.0.0.0/16'), c('10.0.0.0/24'), c('10.0.255.0/24')]))).toEqual(['10.0.0.0/16']);
    expect(aggregate([])).toEqual([]);
    expect(aggregateBaseline([])).toEqual([]);
  });
});

describe('IPv6 merge is order-independent', () => {
  it('reversed and shuffled inputs give the same cover', () => {
    expect(fmt(aggregate([c('2001:db8:0:1::/64'), c('2001:db8::/64')]))).toEqual(['2001:db8::/63']);
    expect(fmt(aggregate([c('2001:db8:0:5::/64'), c('2001:db8:0:2::/64'), c('2001:db8:0:3::/64'), c('2001:db8::/64')]))).toEqual(['2001:db8::/64', '2001:db8:0:2::/63', '2001:db8:0:5::/64']);
    expect(fmt(aggregateBaseline([c('10.0.0.128/25'), c('10.0.0.0/25'), c('10.0.2.0/24')]))).toEqual(['10.0.0.0/24', '10.0.2.0/24']);
  });
});

describe('dotted tails end the address', () => {
  it('a dot before the last colon is not a dotted tail', () => {
    expect(dottedTailToHex('::1.2:3')).toBe('::1.2:3');
  });
});
