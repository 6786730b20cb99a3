import { describe, expect, it } from 'vitest';
import type { GuardError } from '../errors.js';
import { blastRadiusViolations, sharePercent } from './blast-radius.js';
import { formatCidr, parseCidrLoose, type Cidr } from './cidr.js';
import { toCloudflareEntries } from './guard.js';
import { GUARD_DEFAULTS } from './limits.js';
import { parseAddresses } from './parse-addresses.js';

const c = (t: string): Cidr => parseCidrLoose(t)!;
const limits = { maxBreadth: GUARD_DEFAULTS.maxBreadth, maxSharePercent: GUARD_DEFAULTS.maxSharePercent };
const sixteens = (first: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => `${first + ((i * step) >> 8)}.${(i * step) & 255}.0.0/16`).join(' ');

/** Runs the judgement on a plan where every target holds the aggregated entries. */
function judge(text: string, targets = ['waf:REGIONAL:IPV4', 'cloudflare:list']): GuardError[] {
  const p = parseAddresses(text);
  return blastRadiusViolations(p.entries, targets.map((target) => ({ target, entries: p.aggregated })), limits);
}

describe('blast radius on what will be written', () => {
  it('refuses 256 typed /16s that merge into a /8, in words a responder understands', () => {
    const [v, ...rest] = judge(sixteens(11, 256));
    expect(v?.code).toBe('BREADTH_EXCEEDED');
    expect(v?.message).toContain('these 256 entries (11.0.0.0/16, 11.1.0.0/16, 11.2.0.0/16, …) merge into 11.0.0.0/8 (on waf:REGIONAL:IPV4, cloudflare:list)');
    expect(v?.message).toContain('broader than the allowed /16 for IPv4');
    // A /8 is also 0.39% of IPv4, over the default share.
    expect(rest.map((r) => r.code)).toEqual(['ADDRESS_SPACE_EXCEEDED']);
  });

  it('refuses tens of thousands of /16s that merge into 0.0.0.0/1', () => {
    const text = sixteens(0, 32_768);
    expect(parseAddresses(text).aggregated.map(formatCidr)).toEqual(['0.0.0.0/1']);
    const [v, share] = judge(text);
    expect(v?.code).toBe('BREADTH_EXCEEDED');
    expect(v?.message).toContain('these 32768 entries');
    expect(v?.message).toContain('merge into 0.0.0.0/1');
    expect(share?.code).toBe('ADDRESS_SPACE_EXCEEDED');
    expect(share?.message).toMatch(/2,147,483,648 IPv4 addresses \(50% of the IPv4 space, more than the allowed 0\.1%/);
  });

  it('refuses many /16s that never merge by the share of the address space they cover', () => {
    // Every other /16: 100 of them, none adjacent, 0.15% of IPv4 together.
    const violations = judge(sixteens(20, 100, 2));
    expect(violations.map((v) => v.code)).toEqual(['ADDRESS_SPACE_EXCEEDED']);
    expect(judge(sixteens(20, 60, 2))).toEqual([]);
  });

  it('judges IPv6 against its own limits, after the Cloudflare /64 widening', () => {
    // 2^31 single hosts would be needed to merge /128s into a /33; widening makes 2 hosts a /63.
    const typed = [c('2001:db8::1'), c('2001:db8:0:1::1')];
    const cf = toCloudflareEntries(typed).entries;
    expect(cf.map(formatCidr)).toEqual(['2001:db8::/63']);
    const strict = { ...limits, maxBreadth: { 4: 16, 6: 64 } };
    const [v] = blastRadiusViolations(typed, [{ target: 'waf:REGIONAL:IPV6', entries: typed }, { target: 'cloudflare:list', entries: cf }], strict);
    expect(v?.code).toBe('BREADTH_EXCEEDED');
    expect(v?.message).toContain('merge into 2001:db8::/63 (on cloudflare:list)');
    expect(v?.message).not.toContain('waf:REGIONAL:IPV6');
    // The IPv6 limit applies to IPv6, not the IPv4 one: a /20 is refused with the default /32.
    expect(blastRadiusViolations([c('2001::/20')], [{ target: 'waf', entries: [c('2001::/20')] }], limits)[0]?.message).toMatch(/2001::\/20 \(on waf\).*\/32 for IPv6/);
  });

  it('says when one typed entry is written as something broader', () => {
    const typed = [c('2001:db8::1')];
    const [v] = blastRadiusViolations(typed, [{ target: 'cloudflare:list', entries: toCloudflareEntries(typed).entries }], { ...limits, maxBreadth: { 4: 16, 6: 96 } });
    expect(v?.message).toContain('2001:db8::1/128 is written as 2001:db8::/64 (on cloudflare:list)');
  });

  it('measures the share exactly on the union of all targets', () => {
    expect(sharePercent(4, [c('10.0.0.0/8'), c('10.0.0.0/16'), c('2001:db8::/32')])).toEqual({ addresses: 1n << 24n, percent: 100 / 256 });
    expect(sharePercent(6, [c('::/1')]).percent).toBe(50);
    const at = { maxBreadth: { 4: 1, 6: 1 }, maxSharePercent: { 4: 100 / 256, 6: 100 } };
    expect(blastRadiusViolations([], [{ target: 'a', entries: [c('10.0.0.0/8')] }], at)).toEqual([]);
    expect(blastRadiusViolations([], [{ target: 'a', entries: [c('10.0.0.0/8')] }, { target: 'b', entries: [c('11.0.0.0/32')] }], at).map((v) => v.code)).toEqual(['ADDRESS_SPACE_EXCEEDED']);
  });
});

describe('blast radius messages say exactly what and why', () => {
  const wide = { maxBreadth: { 4: 16, 6: 32 }, maxSharePercent: { 4: 100, 6: 100 } };

  it('lists five broad CIDRs and counts the rest; each target once per CIDR; families in order', () => {
    const seven = ['1', '2', '3', '4', '5', '6', '7'].map((n) => c(`${n}.0.0.0/8`));
    const [v] = blastRadiusViolations(seven, [{ target: 't', entries: seven }], wide);
    expect(v!.message).toBe('refused: 1.0.0.0/8 (on t); 2.0.0.0/8 (on t); 3.0.0.0/8 (on t); 4.0.0.0/8 (on t); 5.0.0.0/8 (on t); and 2 more — broader than the allowed /16 for IPv4 (blocking.max_breadth)');
    expect(v!.hint).toBe('Narrow or split the entries, or override guard BREADTH_EXCEEDED with a reason (the override is audited).');
    expect((v!.details as { broad: unknown[] }).broad).toHaveLength(7);
    const five = seven.slice(0, 5);
    expect(blastRadiusViolations(five, [{ target: 't', entries: five }], wide)[0]!.message).not.toMatch(/more/);
    const mixed = [c('2001::/20'), c('9.0.0.0/15')];
    const [m] = blastRadiusViolations(mixed, [{ target: 'a', entries: mixed }, { target: 'b', entries: [c('9.0.0.0/15')] }], wide);
    expect(m!.message).toBe('refused: 2001::/20 (on a); 9.0.0.0/15 (on a, b) — broader than the allowed /16 for IPv4 and /32 for IPv6 (blocking.max_breadth)');
    expect(m!.details).toEqual({ broad: [{ cidr: '2001::/20', targets: ['a'] }, { cidr: '9.0.0.0/15', targets: ['a', 'b'] }] });
  });

  it('names up to three merged sources, and an ellipsis only past three; a CIDR at the limit is fine', () => {
    const at17 = { ...wide, maxBreadth: { 4: 17, 6: 32 } };
    const three = [c('9.0.0.0/17'), c('9.0.128.0/18'), c('9.0.192.0/18')];
    expect(blastRadiusViolations(three, [{ target: 'a', entries: [c('9.0.0.0/16')] }], at17)[0]!.message).toBe(
      'refused: these 3 entries (9.0.0.0/17, 9.0.128.0/18, 9.0.192.0/18) merge into 9.0.0.0/16 (on a) — broader than the allowed /17 for IPv4 (blocking.max_breadth)',
    );
    const four = ['9.0.0.0/18', '9.0.64.0/18', '9.0.128.0/18', '9.0.192.0/18'].map(c);
    expect(blastRadiusViolations(four, [{ target: 'a', entries: [c('9.0.0.0/16')] }], at17)[0]!.message).toContain('these 4 entries (9.0.0.0/18, 9.0.64.0/18, 9.0.128.0/18, …) merge into 9.0.0.0/16');
    expect(blastRadiusViolations([c('9.0.0.0/17')], [{ target: 'a', entries: [c('9.0.0.0/17')] }], at17)).toEqual([]);
  });

  it('counts addresses exactly for IPv4, as a power of two for IPv6, and small shares in exponent form', () => {
    const share = { maxBreadth: { 4: 0, 6: 0 }, maxSharePercent: { 4: 0.1, 6: 0.000001 } };
    const [v] = blastRadiusViolations([], [{ target: 'a', entries: [c('10.0.0.0/8'), c('2001::/16')] }], share);
    expect(v!.code).toBe('ADDRESS_SPACE_EXCEEDED');
    expect(v!.message).toBe(
      'refused: this run would block 16,777,216 IPv4 addresses (0.391% of the IPv4 space, more than the allowed 0.1%, blocking.max_share_percent.ipv4) and 2^112 IPv6 addresses (1.53e-3% of the IPv6 space, more than the allowed 0.000001%, blocking.max_share_percent.ipv6)',
    );
    expect(v!.hint).toBe('Block fewer or narrower ranges, or override guard ADDRESS_SPACE_EXCEEDED with a reason (the override is audited).');
    expect(v!.details).toEqual({
      IPv4: { addresses: '16777216', percent: 0.390625, limitPercent: 0.1 },
      IPv6: { addresses: (1n << 112n).toString(), percent: 100 / 65_536, limitPercent: 0.000001 },
    });
    const [u] = blastRadiusViolations([], [{ target: 'a', entries: [c('2001::/16'), c('2003::/17')] }], share);
    expect(u!.message).toMatch(/^refused: this run would block about 2\^112 IPv6 addresses \(2\.29e-3% of the IPv6 space/);
    const [w] = blastRadiusViolations([], [{ target: 'a', entries: [c('10.0.0.0/25')] }], { maxBreadth: { 4: 0, 6: 0 }, maxSharePercent: { 4: 0, 6: 0 } });
    expect(w!.message).toBe('refused: this run would block 128 IPv4 addresses (2.98e-6% of the IPv4 space, more than the allowed 0%, blocking.max_share_percent.ipv4)');
    // Exactly at the limit is allowed.
    expect(blastRadiusViolations([], [{ target: 'a', entries: [c('0.0.0.0/2')] }], { maxBreadth: { 4: 0, 6: 0 }, maxSharePercent: { 4: 25, 6: 0 } })).toEqual([]);
    expect(blastRadiusViolations([], [{ target: 'a', entries: [c('0.0.0.0/1')] }], { maxBreadth: { 4: 0, 6: 0 }, maxSharePercent: { 4: 25, 6: 0 } })[0]!.message).toContain('(50% of the IPv4 space');
  });
});

describe('blast radius: a broad entry typed with narrower ones inside it', () => {
  it('is described as the merge of all of them', () => {
    const typed = [c('10.0.0.0/15'), c('10.0.0.0/16')];
    const [v] = blastRadiusViolations(typed, [{ target: 't', entries: [c('10.0.0.0/15')] }], { maxBreadth: { 4: 16, 6: 32 }, maxSharePercent: { 4: 100, 6: 100 } });
    expect(v!.message).toContain('these 2 entries (10.0.0.0/15, 10.0.0.0/16) merge into 10.0.0.0/15 (on t)');
  });
});
