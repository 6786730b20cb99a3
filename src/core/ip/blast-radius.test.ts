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
