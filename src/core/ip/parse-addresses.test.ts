import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirebreakError, GuardError, InputError } from '../errors.js';
import { blastRadiusViolations } from './blast-radius.js';
import { aggregateBaseline, formatCidr, overlaps, type Cidr } from './cidr.js';
import { assertNoProtectedOverlap, toProtectedRanges } from './guard.js';
import { GUARD_DEFAULTS } from './limits.js';
import { checkCidr, cidrsOf, parseAddresses, parseCidrStrict, splitAddressText, toAddressList } from './parse-addresses.js';

const parsed = (t: string) => parseAddresses(t).aggregated.map(formatCidr);

/** The typed error a call throws; fails the test when it does not throw. */
function thrown(fn: () => unknown): FirebreakError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FirebreakError);
    return e as FirebreakError;
  }
  expect.unreachable('expected a refusal');
}

describe('parseAddresses', () => {
  it('splits on commas, spaces and newlines, normalises, de-duplicates and aggregates per family', () => {
    const p = parseAddresses('203.0.113.7, 203.0.113.7\n2001:DB8:0:0::1  ::ffff:198.51.100.1;198.51.100.0/31');
    expect(p.aggregated.map(formatCidr)).toEqual(['198.51.100.0/31', '203.0.113.7/32', '2001:db8::1/128']);
    expect(p.duplicates).toBe(1);
    expect(p.notes.join(' ')).toContain('aggregated');
  });

  it('reads IPv4-mapped IPv6 CIDRs as IPv4', () => {
    expect(parsed('::ffff:192.0.2.0/120')).toEqual(['192.0.2.0/24']);
    expect(parsed('0:0:0:0:0:ffff:198.51.100.9')).toEqual(['198.51.100.9/32']);
  });

  it('gives a readable normalised view: canonical CIDR text, no bigint objects', () => {
    const view = toAddressList(parseAddresses('198.51.100.0/25 2001:db8::1'));
    expect(view).toEqual({ entries: ['198.51.100.0/25', '2001:db8::1/128'], aggregated: ['198.51.100.0/25', '2001:db8::1/128'], tokens: 2, duplicates: 0, notes: [] });
    expect(JSON.stringify(view)).not.toMatch(/base|family/);
  });

  it('refuses host bits with the network the responder probably meant', () => {
    const e = thrown(() => parseAddresses('198.51.100.7/24'));
    expect(e).toBeInstanceOf(InputError);
    expect(e.code).toBe('HOST_BITS_SET');
    expect(e.message).toMatch(/did you mean 198\.51\.100\.0\/24/);
  });

  it('refuses /0 in both families, typed or merged, unoverridable at parse time', () => {
    for (const t of ['0.0.0.0/0', '::/0', '1.2.3.4, ::/0', '::ffff:0.0.0.0/96', '0.0.0.0/1 128.0.0.0/1', '::/1 8000::/1']) {
      const e = thrown(() => parseAddresses(t));
      expect(e, t).toBeInstanceOf(GuardError);
      expect(e.code, t).toBe('ALL_ADDRESSES');
    }
    expect(thrown(() => parseAddresses('0.0.0.0/1 128.0.0.0/1')).message).toMatch(/these 2 entries merge into 0\.0\.0\.0\/0/);
  });

  it('refuses junk, non-decimal IPv4, leading zeros (address and prefix) and zone ids', () => {
    for (const t of ['', '   ', 'example.com', '127.1', '0x7f.0.0.1', '010.0.0.1', '198.051.100.0/24', '1.2.3.0/024', '1.2.3.4/032', '2001:db8::/032', '::ffff:010.0.0.1', 'fe80::1%eth0', '1.2.3.4/33', '1.2.3.4/-1', '::1/129', '1.2.3.4/', '1.2.3.4/ 8', '1.2.3.4/+8']) {
      expect(() => parseAddresses(t), t).toThrow(InputError);
    }
    expect(thrown(() => parseAddresses('198.051.100.0/24')).message).toMatch(/leading zero.*write 198\.51\.100\.0/);
    expect(thrown(() => parseAddresses('1.2.3.4/032')).message).toMatch(/prefix length with a leading zero \(\/032\); write \/32/);
    // `/00` is a leading-zero prefix, not /0: the text is refused as text, before any meaning is given.
    expect(thrown(() => parseAddresses('::/00')).code).toBe('ADDRESS_INVALID');
  });

  it('refuses the IPv4-compatible ::a.b.c.d: it is an IPv6 address, not a.b.c.d', () => {
    for (const t of ['::198.51.100.7', '::198.51.100.0/120', '0:0:0:0:0:0:198.51.100.7']) {
      const e = thrown(() => parseAddresses(t));
      expect(e.code, t).toBe('ADDRESS_INVALID');
      expect(e.message, t).toMatch(/IPv4-compatible/);
    }
    expect(thrown(() => parseAddresses('::198.51.100.7')).message).toContain('::c633:6407');
    // Other embedded dotted quads are ordinary IPv6 (NAT64 well-known prefix).
    expect(parsed('64:ff9b::198.51.100.7')).toEqual(['64:ff9b::c633:6407/128']);
  });
});

/**
 * The whole judgement a block-ips run makes before touching a provider: parse (/0 and grammar),
 * protected ranges, then blast radius on the aggregated plan. Returns the code of the refusal reached.
 */
const PROTECTED = toProtectedRanges(['192.0.2.0/24', { cidr: '2001:db8:f00d::/48', label: 'office' }]);
function judge(text: string): string {
  try {
    const p = parseAddresses(text);
    assertNoProtectedOverlap(p.aggregated, PROTECTED);
    const [v] = blastRadiusViolations(p.entries, [{ target: 'waf', entries: p.aggregated }], { maxBreadth: GUARD_DEFAULTS.maxBreadth, maxSharePercent: { 4: 100, 6: 100 } });
    if (v) throw v;
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(FirebreakError);
    return (error as FirebreakError).code;
  }
}

type Case = { tokens: string[]; cidrs: Cidr[]; defect?: { token: string; code: string } };

const v4Net = fc.record({ n: fc.integer({ min: 0, max: 2 ** 32 - 1 }), p: fc.oneof(fc.integer({ min: 16, max: 32 }), fc.integer({ min: 1, max: 32 })), near: fc.nat(3).map((n) => n === 0) }).map(({ n, p, near }): Cidr => {
  // A quarter land near the protected 192.0.2.0/24 so that guard is reached too.
  const value = near ? (0xc0000200 ^ (n & 0x3ff)) >>> 0 : n;
  const host = BigInt(32 - p);
  return { family: 4, prefix: p, base: (BigInt(value) >> host) << host };
});
const v6Net = fc.record({ hi: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), p: fc.oneof(fc.integer({ min: 32, max: 128 }), fc.integer({ min: 1, max: 128 })), near: fc.nat(3).map((n) => n === 0) }).map(({ hi, p, near }): Cidr => {
  const value = near ? (0x20010db8f00dn << 80n) | (hi & 0xffffn) << 64n : hi << 64n;
  const host = BigInt(128 - p);
  return { family: 6, prefix: p, base: (value >> host) << host };
});
/** Valid text for a block, in several spellings (full IPv6, IPv4-mapped, bare hosts). */
function spell(c: Cidr, style: number): string {
  if (c.family === 4) {
    const text = formatCidr(c);
    if (style % 3 === 1 && c.prefix === 32) return text.slice(0, -3);
    if (style % 3 === 2) return `::ffff:${text.split('/')[0]}/${c.prefix + 96}`;
    return text;
  }
  if (style % 2 === 1) {
    const groups = Array.from({ length: 8 }, (_, i) => ((c.base >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
    return `${groups.join(':')}/${c.prefix}`;
  }
  return formatCidr(c);
}
const DEFECTS: Array<{ code: string; make: (c: Cidr) => string }> = [
  { code: 'ALL_ADDRESSES', make: (c) => (c.family === 4 ? '0.0.0.0/0' : '::/0') },
  { code: 'ADDRESS_INVALID', make: (c) => (c.family === 4 ? `0${formatCidr(c)}` : `${formatCidr(c).split('/')[0]}/0${c.prefix}`) },
  { code: 'ADDRESS_INVALID', make: (c) => `${formatCidr(c).split('/')[0]}/0${c.prefix}` },
  { code: 'HOST_BITS_SET', make: hostBits },
  { code: 'ADDRESS_INVALID', make: (c) => `${formatCidr(c).split('/')[0]}%eth0` },
  { code: 'ADDRESS_INVALID', make: (c) => (c.family === 4 ? `::${formatCidr(c).split('/')[0]}` : 'not-an-address') },
];
const FAMILY_MAX = { 4: 32, 6: 128 } as const;
/** The network with its lowest host bit set, e.g. 198.51.100.1/24. */
function hostBits(c: Cidr): string {
  const prefix = c.prefix === FAMILY_MAX[c.family] ? c.prefix - 1 : c.prefix;
  const host = BigInt(FAMILY_MAX[c.family] - prefix);
  const base = (c.base >> host) << host;
  return `${formatCidr({ ...c, base: base | 1n, prefix: FAMILY_MAX[c.family] }).split('/')[0]}/${prefix}`;
}

const cases: fc.Arbitrary<Case> = fc
  .record({
    nets: fc.array(fc.oneof({ weight: 3, arbitrary: v4Net }, { weight: 2, arbitrary: v6Net }), { minLength: 1, maxLength: 8 }),
    styles: fc.array(fc.nat(5), { minLength: 8, maxLength: 8 }),
    // Seven in ten inputs are valid; the rest carry exactly one defect, so the expected refusal is known.
    defect: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.record({ which: fc.nat(DEFECTS.length - 1), at: fc.nat(8) }) }),
  })
  .map(({ nets, styles, defect }) => {
    const tokens = nets.map((c, i) => spell(c, styles[i]!));
    if (!defect) return { tokens, cidrs: nets };
    const d = DEFECTS[defect.which]!;
    const token = d.make(nets[defect.at % nets.length]!);
    tokens.splice(defect.at % (tokens.length + 1), 0, token);
    return { tokens, cidrs: nets, defect: { token, code: d.code } };
  });

/** What a correct run must answer, computed without the code under test's guards. */
function oracle(c: Case): string {
  if (c.defect) return c.defect.code;
  const merged = aggregateBaseline(c.cidrs);
  if (merged.some((m) => m.prefix === 0)) return 'ALL_ADDRESSES';
  const last = (x: Cidr) => x.base + (1n << BigInt(FAMILY_MAX[x.family] - x.prefix)) - 1n;
  if (c.cidrs.some((x) => PROTECTED.some((r) => r.cidr.family === x.family && x.base <= last(r.cidr) && r.cidr.base <= last(x)))) return 'PROTECTED_RANGE';
  if (merged.some((m) => m.prefix < GUARD_DEFAULTS.maxBreadth[m.family])) return 'BREADTH_EXCEEDED';
  return 'ok';
}

// `npm run mutate` runs this test for every mutant it covers, on instrumented code: there it runs a
// tenth of the inputs (FIREBREAK_PROPERTY_SCALE from vitest.mutate.config.ts) with a fixed seed, so
// each mutant meets the same inputs; the thresholds below scale with it.
const SCALE = Number(process.env.FIREBREAK_PROPERTY_SCALE ?? '1');
const RUNS = Math.round(10_000 * SCALE);

describe('address judgement on 10,000 generated inputs (mostly valid)', () => {
  it('reaches exactly the refusal a correct run must reach, and every refusal is reached', () => {
    const reached = new Map<string, number>();
    fc.assert(
      fc.property(cases, fc.constantFrom(', ', '\n', ' ', ';'), (c, sep) => {
        const got = judge(c.tokens.join(sep));
        reached.set(got, (reached.get(got) ?? 0) + 1);
        expect(got, c.tokens.join(sep)).toBe(oracle(c));
        if (got === 'ok') {
          for (const e of parseAddresses(c.tokens.join(sep)).aggregated) {
            expect(e.prefix).toBeGreaterThanOrEqual(GUARD_DEFAULTS.maxBreadth[e.family]);
            for (const r of PROTECTED) expect(overlaps(e, r.cidr)).toBe(false);
          }
        }
      }),
      { numRuns: RUNS, ...(SCALE === 1 ? {} : { seed: 8_2026 }) },
    );
    // Not vacuous: a large share is valid, and each rule (the /0 rule included) is actually reached.
    for (const code of ['ok', 'ALL_ADDRESSES', 'ADDRESS_INVALID', 'HOST_BITS_SET', 'PROTECTED_RANGE', 'BREADTH_EXCEEDED']) {
      expect(reached.get(code) ?? 0, `${code} in ${JSON.stringify([...reached])}`).toBeGreaterThan(0.015 * RUNS);
    }
    expect((reached.get('ok') ?? 0) + (reached.get('PROTECTED_RANGE') ?? 0) + (reached.get('BREADTH_EXCEEDED') ?? 0)).toBeGreaterThan(0.6 * RUNS);
  });

  it('reads its own canonical text back exactly (fast IPv4 path and strict path agree)', () => {
    const v4 = fc.record({ n: fc.integer({ min: 0, max: 2 ** 32 - 1 }), p: fc.integer({ min: 1, max: 32 }) }).map(({ n, p }): Cidr => ({ family: 4, prefix: p, base: (BigInt(n) >> BigInt(32 - p)) << BigInt(32 - p) }));
    fc.assert(
      fc.property(fc.array(fc.oneof(v4, v6Net), { maxLength: 20 }), (xs) => {
        const texts = xs.map(formatCidr);
        expect(cidrsOf(texts)).toEqual(texts.map((t) => parseCidrStrict(t)));
        expect(cidrsOf(texts).map(formatCidr)).toEqual(texts);
      }),
      { numRuns: 500 },
    );
    for (const bad of ['010.0.0.0/8', '10.0.0.1/8', '10.0.0.0/08', '256.0.0.0/8', '0.0.0.0/0']) expect(() => cidrsOf([bad]), bad).toThrow(FirebreakError);
  });

  it('checkCidr never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), (s) => {
        const out = checkCidr(s);
        expect(typeof out).toBe('object');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('the address grammar says exactly what is wrong', () => {
  const problem = (t: string) => {
    const out = checkCidr(t);
    return 'code' in out ? [out.code, out.message, out.hint] : formatCidr(out);
  };
  const EXAMPLES = 'is not an IP address or CIDR (e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/48)';
  it.each([
    ['198.051.100.0', ['ADDRESS_INVALID', '"198.051.100.0" has an octet with a leading zero, which some tools read as octal; write 198.51.100.0 if that is what you mean', undefined]],
    ['::1.2.3.04', ['ADDRESS_INVALID', '"::1.2.3.04" has an octet with a leading zero, which some tools read as octal; write 1.2.3.4 if that is what you mean', undefined]],
    ['1.2.3', ['ADDRESS_INVALID', `"1.2.3" ${EXAMPLES}`, undefined]],
    ['999.1.1.1', ['ADDRESS_INVALID', `"999.1.1.1" ${EXAMPLES}`, undefined]],
    ['gggg::1', ['ADDRESS_INVALID', `"gggg::1" ${EXAMPLES}`, undefined]],
    ['1:2:3:4:5:6:7:8:9', ['ADDRESS_INVALID', `"1:2:3:4:5:6:7:8:9" ${EXAMPLES}`, undefined]],
    [`${'x'.repeat(61)}`, ['ADDRESS_INVALID', `"${'x'.repeat(60)}…" ${EXAMPLES}`, undefined]],
    [`${'x'.repeat(60)}`, ['ADDRESS_INVALID', `"${'x'.repeat(60)}" ${EXAMPLES}`, undefined]],
    ['fe80::1%eth0', ['ADDRESS_INVALID', '"fe80::1%eth0" has a zone id; give a plain address or CIDR', undefined]],
    ['::198.51.100.7', ['ADDRESS_INVALID', '"::198.51.100.7" is the deprecated IPv4-compatible IPv6 form: it means the IPv6 address ::c633:6407, not the IPv4 address 198.51.100.7', 'Write 198.51.100.7 (or ::ffff:198.51.100.7) to block the IPv4 address.']],
    ['10.0.0.0/032', ['ADDRESS_INVALID', '"10.0.0.0/032" has a prefix length with a leading zero (/032); write /32 if that is what you mean', undefined]],
    ['10.0.0.0/00', ['ADDRESS_INVALID', '"10.0.0.0/00" has a prefix length with a leading zero (/00); write /0 if that is what you mean', undefined]],
    ['10.0.0.0/33', ['ADDRESS_INVALID', '"10.0.0.0/33" has an invalid prefix length (IPv4 0–32, IPv6 0–128)', undefined]],
    ['10.0.0.0/1000', ['ADDRESS_INVALID', '"10.0.0.0/1000" has an invalid prefix length (IPv4 0–32, IPv6 0–128)', undefined]],
    ['10.0.0.0/1a', ['ADDRESS_INVALID', '"10.0.0.0/1a" has an invalid prefix length (IPv4 0–32, IPv6 0–128)', undefined]],
    ['10.0.0.0/', ['ADDRESS_INVALID', '"10.0.0.0/" has an invalid prefix length (IPv4 0–32, IPv6 0–128)', undefined]],
    ['2001:db8::/129', ['ADDRESS_INVALID', '"2001:db8::/129" has an invalid prefix length (IPv4 0–32, IPv6 0–128)', undefined]],
    ['0.0.0.0/0', ['ALL_ADDRESSES', '"0.0.0.0/0" is every IPv4 address; firebreak never blocks 0.0.0.0/0', 'Name the hostile addresses or networks instead.']],
    ['10.0.0.0/0', ['ALL_ADDRESSES', '"10.0.0.0/0" is every IPv4 address; firebreak never blocks 0.0.0.0/0', 'Name the hostile addresses or networks instead.']],
    ['::/0', ['ALL_ADDRESSES', '"::/0" is every IPv6 address; firebreak never blocks ::/0', 'Name the hostile addresses or networks instead.']],
    ['::ffff:0.0.0.0/96', ['ALL_ADDRESSES', '"::ffff:0.0.0.0/96" is every IPv4 address; firebreak never blocks 0.0.0.0/0', 'Name the hostile addresses or networks instead.']],
    ['198.51.100.7/24', ['HOST_BITS_SET', '"198.51.100.7/24" has host bits set; did you mean 198.51.100.0/24?', 'Write the network address (198.51.100.0/24) or the single host without a prefix.']],
    ['2001:db8::1/64', ['HOST_BITS_SET', '"2001:db8::1/64" has host bits set; did you mean 2001:db8::/64?', 'Write the network address (2001:db8::/64) or the single host without a prefix.']],
    ['::ffff:198.51.100.0/95', ['HOST_BITS_SET', '"::ffff:198.51.100.0/95" has host bits set; did you mean ::fffe:0:0/95?', 'Write the network address (::fffe:0:0/95) or the single host without a prefix.']],
    ['::ffff:198.51.100.7', '198.51.100.7/32'],
    ['::ffff:198.51.100.0/120', '198.51.100.0/24'],
    ['::ffff:1.2.3.4/128', '1.2.3.4/32'],
    ['2001:db8::/128', '2001:db8::/128'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/32', '10.0.0.0/32'],
  ])('%s', (token, expected) => {
    expect(problem(token)).toEqual(expected);
  });

  it('parseCidrStrict: /0 is a guard refusal (never overridable), the rest input errors on the named field', () => {
    const caught = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as { name: string; code: string; field?: string; hint?: string; overridable?: boolean };
      }
      return expect.unreachable('accepted');
    };
    expect(caught(() => parseCidrStrict('10.0.0.1/8', 'protected'))).toMatchObject({ name: 'InputError', code: 'HOST_BITS_SET', field: 'protected', hint: 'Write the network address (10.0.0.0/8) or the single host without a prefix.' });
    expect(caught(() => parseCidrStrict('zz'))).toMatchObject({ name: 'InputError', code: 'ADDRESS_INVALID', field: 'addresses', hint: undefined });
    expect(caught(() => parseCidrStrict('::/0'))).toMatchObject({ name: 'GuardError', code: 'ALL_ADDRESSES', overridable: false, hint: 'Name the hostile addresses or networks instead. (ALL_ADDRESSES cannot be overridden.)' });
  });

  it('parseAddresses: separators, duplicates, aggregation notes, and the limits at their edges', () => {
    expect(splitAddressText(' a,b;;c\n\td  ')).toEqual(['a', 'b', 'c', 'd']);
    const p = toAddressList(parseAddresses('10.0.0.0/25, 10.0.0.128/25;10.0.0.0/25\n\t2001:db8::1 ::ffff:10.0.0.0/121'));
    expect(p).toEqual({ entries: ['10.0.0.0/25', '10.0.0.128/25', '2001:db8::1/128'], aggregated: ['10.0.0.0/24', '2001:db8::1/128'], tokens: 5, duplicates: 2, notes: ['2 duplicate entries removed', '3 distinct entries aggregated into 2 CIDR(s)'] });
    expect(toAddressList(parseAddresses('1.2.3.4 1.2.3.4 5.6.7.8')).notes).toEqual(['1 duplicate entry removed']);
    expect(toAddressList(parseAddresses('5.6.7.8 1.2.3.4')).notes).toEqual([]);
    expect(toAddressList(parseAddresses('2001:db8::/48 5.6.7.8/32 5.6.7.0/24 1.2.3.4')).entries).toEqual(['1.2.3.4/32', '5.6.7.0/24', '5.6.7.8/32', '2001:db8::/48']);
    const refusal = (input: unknown) => {
      try {
        parseAddresses(input, 'ips');
      } catch (e) {
        return e as { name: string; code: string; message: string; field?: string };
      }
      return expect.unreachable('accepted');
    };
    expect(refusal(42)).toMatchObject({ name: 'InputError', message: 'ips must be text', field: 'ips' });
    expect(refusal(' ,; \n')).toMatchObject({ code: 'ADDRESSES_EMPTY', message: 'ips is empty: give at least one address or CIDR', field: 'ips' });
    expect(refusal(' '.repeat(1_000_000))).toMatchObject({ code: 'ADDRESSES_EMPTY' });
    expect(refusal(' '.repeat(1_000_001))).toMatchObject({ code: 'INPUT_TOO_LARGE', message: 'ips is longer than 1000000 characters' });
    expect(refusal('1.2.3.4 '.repeat(100_001))).toMatchObject({ code: 'INPUT_TOO_LARGE', message: 'ips has 100001 entries, more than 100000' });
    expect(refusal('0.0.0.0/1 128.0.0.0/1')).toMatchObject({ name: 'GuardError', code: 'ALL_ADDRESSES', message: 'these 2 entries merge into 0.0.0.0/0, every IPv4 address; firebreak never blocks it' });
    expect(refusal('::/1 8000::/1 1.2.3.4')).toMatchObject({ code: 'ALL_ADDRESSES', message: 'these 2 entries merge into ::/0, every IPv6 address; firebreak never blocks it' });
  });

  it('cidrsOf reads canonical text back through its fast path and refuses what is not canonical', () => {
    expect(cidrsOf(['10.0.0.0/8', '1.2.3.4/32', '255.255.255.255/32', '128.0.0.0/1', '2001:db8::/32']).map(formatCidr)).toEqual(['10.0.0.0/8', '1.2.3.4/32', '255.255.255.255/32', '128.0.0.0/1', '2001:db8::/32']);
    expect(cidrsOf(['255.255.255.255/32'])[0]!.base).toBe(0xffffffffn);
    expect(cidrsOf(['1.2.3.4/32'])[0]).toEqual({ family: 4, base: 0x01020304n, prefix: 32 });
    for (const bad of ['10.0.0.0/08', '010.0.0.0/8', '10.0.0.1/8', '256.0.0.0/8', '10.0.0.0/33']) {
      expect(() => cidrsOf([bad]), bad).toThrow();
    }
    expect(() => cidrsOf(['10.0.0.0/0'])).toThrow(/every IPv4 address/);
  });
});

describe('entries are ordered by family, then address, then prefix', () => {
  it('whatever the typed order', () => {
    expect(toAddressList(parseAddresses('10.0.0.0/16 2001:db8::/32 10.0.0.0/8 9.0.0.0/8 10.0.0.0/24')).entries).toEqual(['9.0.0.0/8', '10.0.0.0/8', '10.0.0.0/16', '10.0.0.0/24', '2001:db8::/32']);
    expect(toAddressList(parseAddresses('10.0.0.0/24 10.0.0.0/8')).entries).toEqual(['10.0.0.0/8', '10.0.0.0/24']);
  });
});

describe('the address grammar: what the earlier tables leave open', () => {
  const msg = (t: string) => {
    const out = checkCidr(t);
    return 'code' in out ? out.message : formatCidr(out);
  };
  it('prefix text must be all digits; a lone 0 octet is not a leading zero; a dotted tail must end the address', () => {
    expect(msg('10.0.0.0/08x')).toBe('"10.0.0.0/08x" has an invalid prefix length (IPv4 0–32, IPv6 0–128)');
    expect(msg('10.0.0.0/a8')).toBe('"10.0.0.0/a8" has an invalid prefix length (IPv4 0–32, IPv6 0–128)');
    expect(msg('0.1.2.256')).toBe('"0.1.2.256" is not an IP address or CIDR (e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/48)');
    expect(msg('::01.2.3.4:5')).toBe('"::01.2.3.4:5" is not an IP address or CIDR (e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/48)');
  });
  it('the field defaults to addresses; the /0 merge says what to do instead; cidrsOf names its own field', () => {
    expect(() => parseAddresses('')).toThrow(/^addresses is empty: give at least one address or CIDR$/);
    try {
      parseAddresses('0.0.0.0/1 128.0.0.0/1');
      expect.unreachable('accepted');
    } catch (e) {
      expect((e as GuardError).hint).toBe('Name the hostile addresses or networks instead. (ALL_ADDRESSES cannot be overridden.)');
    }
    try {
      cidrsOf(['10.0.0.1/8']);
      expect.unreachable('accepted');
    } catch (e) {
      expect((e as InputError).field).toBe('canonical');
    }
  });
});
