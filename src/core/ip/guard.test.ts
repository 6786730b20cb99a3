import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse.js';
import { ConfigError, GuardError } from '../errors.js';
import { parseCidrLoose, formatCidr } from './cidr.js';
import { formatBlockComment, parseBlockComment, parseTtl } from './expiry.js';
import { assertBreadth, assertCapacity, assertNoProtectedOverlap, assertWafPrefixes, familyName, toCloudflareEntries, toProtectedRanges } from './guard.js';
import { findExpired, type LedgerRecord } from './ledger.js';

const c = (t: string) => parseCidrLoose(t)!;
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as GuardError).code;
  }
  return 'none';
};

describe('guards', () => {
  it('refuses any overlap with a protected range, in either direction, including IPv4-mapped config', () => {
    const ranges = toProtectedRanges(['::ffff:192.0.2.0/120', { cidr: '2001:db8::/32', label: 'office v6' }]);
    expect(code(() => assertNoProtectedOverlap([c('192.0.2.9')], ranges))).toBe('PROTECTED_RANGE');
    expect(code(() => assertNoProtectedOverlap([c('192.0.0.0/16')], ranges))).toBe('PROTECTED_RANGE');
    expect(code(() => assertNoProtectedOverlap([c('2001:db8:1::/48')], ranges))).toBe('PROTECTED_RANGE');
    expect(code(() => assertNoProtectedOverlap([c('192.0.3.0/24'), c('2001:db9::/32')], ranges))).toBe('none');
  });

  it('refuses at the very first and very last address of a protected range, and not one address outside', () => {
    const ranges = toProtectedRanges(['192.0.2.0/24', '2001:db8:f00d::/48']);
    // Both directions of the interval test, at each boundary.
    expect(code(() => assertNoProtectedOverlap([c('192.0.2.255')], ranges))).toBe('PROTECTED_RANGE');
    expect(code(() => assertNoProtectedOverlap([c('192.0.2.0')], ranges))).toBe('PROTECTED_RANGE');
    expect(code(() => assertNoProtectedOverlap([c('192.0.2.254/31')], ranges))).toBe('PROTECTED_RANGE');
    expect(code(() => assertNoProtectedOverlap([c('192.0.1.255')], ranges))).toBe('none');
    expect(code(() => assertNoProtectedOverlap([c('192.0.3.0')], ranges))).toBe('none');
    expect(code(() => assertNoProtectedOverlap([c('192.0.1.0/24'), c('192.0.3.0/24')], ranges))).toBe('none');
    expect(code(() => assertNoProtectedOverlap([c('2001:db8:f00d:ffff:ffff:ffff:ffff:ffff')], ranges))).toBe('PROTECTED_RANGE');
    expect(code(() => assertNoProtectedOverlap([c('2001:db8:f00e::')], ranges))).toBe('none');
    expect(code(() => assertNoProtectedOverlap([c('2001:db8:f00c:ffff:ffff:ffff:ffff:ffff')], ranges))).toBe('none');
  });

  it('refuses breadth beyond the configured limit, each family against its own limit', () => {
    expect(code(() => assertBreadth([c('10.0.0.0/15')]))).toBe('BREADTH_EXCEEDED');
    expect(code(() => assertBreadth([c('10.0.0.0/16'), c('2001:db8::/32')]))).toBe('none');
    expect(code(() => assertBreadth([c('10.0.0.0/15')], { 4: 8, 6: 32 }))).toBe('none');
    // IPv6 /20 is within the IPv4 limit (/16) but far broader than the IPv6 one (/32).
    expect(code(() => assertBreadth([c('2001:d00::/24')]))).toBe('BREADTH_EXCEEDED');
    expect(code(() => assertBreadth([c('2001:db8::/31')]))).toBe('BREADTH_EXCEEDED');
    expect(code(() => assertBreadth([c('2001:db8::/24')], { 4: 30, 6: 24 }))).toBe('none');
    expect(code(() => assertBreadth([c('10.0.0.0/24')], { 4: 30, 6: 24 }))).toBe('BREADTH_EXCEEDED');
  });

  it('refuses Cloudflare entries that merge into something broader than IPv4 /8, naming the merge', () => {
    const halves = [c('10.0.0.0/8'), c('11.0.0.0/8')];
    expect(code(() => toCloudflareEntries(halves))).toBe('PROVIDER_LIMIT');
    expect(() => toCloudflareEntries(halves)).toThrow(/these 2 entries merge into 10\.0\.0\.0\/7/);
  });

  it('reads protected ranges with the strict grammar', () => {
    for (const bad of ['198.051.100.0/24', '10.0.0.0/08', '192.0.2.1/24', 'fe80::%eth0', '::192.0.2.0/120', '0.0.0.0/0']) {
      expect(() => toProtectedRanges([bad]), bad).toThrow(/protected range/);
    }
  });

  it('maps to Cloudflare limits: widens IPv6 to /64 with a warning, refuses IPv4 broader than /8', () => {
    const out = toCloudflareEntries([c('2001:db8::1'), c('2001:db8::2'), c('203.0.113.7')]);
    expect(out.entries.map(formatCidr)).toEqual(['203.0.113.7/32', '2001:db8::/64']);
    expect(out.warnings).toHaveLength(2);
    expect(code(() => toCloudflareEntries([c('10.0.0.0/7')]))).toBe('PROVIDER_LIMIT');
  });

  it('refuses capacity overflow with the numbers', () => {
    expect(() => assertCapacity('waf:REGIONAL:IPV4', 9_990, 11, 10_000)).toThrow(/holds 9990 entries, adding 11 would make 10001, over its limit of 10000/);
    expect(() => assertCapacity('waf:REGIONAL:IPV4', 9_990, 10, 10_000)).not.toThrow();
  });
});

describe('expiry', () => {
  it('parses TTLs and refuses zero, junk and beyond the cap', () => {
    expect(parseTtl('90m')).toBe(90 * 60_000);
    expect(parseTtl('7d', 24 * 7)).toBe(7 * 86_400_000);
    for (const bad of ['0h', '', '1y', '24', 'h', '-1h']) expect(() => parseTtl(bad), bad).toThrow();
    expect(() => parseTtl('8d', 24 * 7)).toThrow(/longer than the allowed/);
  });

  it('round-trips the Cloudflare comment and keeps our separators out of free text', () => {
    const text = formatBlockComment({ incidentId: 'INC-1', expiresAt: new Date('2026-11-24T00:00:00Z'), reason: 'a;b=c\nd' });
    expect(text).toBe('fb inc=INC-1;exp=2026-11-24T00:00:00.000Z;reason=a b c d');
    expect(parseBlockComment(text)).toEqual({ incidentId: 'INC-1', expiresAt: new Date('2026-11-24T00:00:00Z'), reason: 'a b c d' });
  });

  it('finds expired entries, keeping those a live record still holds', () => {
    const rec = (id: string, expiresAt: string, subjects: string[]): LedgerRecord => ({ id, createdAt: '2026-11-23T00:00:00Z', expiresAt, incidentId: 'I', reason: 'r', actor: 'a', runUrl: null, entries: subjects.map((subject) => ({ target: 'waf:REGIONAL:IPV4', subject })) });
    const out = findExpired([rec('a', '2026-11-23T01:00:00Z', ['1.1.1.1/32', '2.2.2.2/32']), rec('b', '2026-11-23T05:00:00Z', ['2.2.2.2/32'])], new Date('2026-11-23T02:00:00Z'));
    expect(out.expired.map((r) => r.id)).toEqual(['a']);
    expect(out.removable.map((e) => e.subject)).toEqual(['1.1.1.1/32']);
    expect(out.kept.map((e) => e.subject)).toEqual(['2.2.2.2/32']);
  });
});

describe('firebreak.yml addresses', () => {
  function problems(text: string) {
    try {
      parseConfig(text, 'conf/firebreak.yml');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).problems;
    }
    expect.unreachable('expected a config error');
  }

  it('reads protected_ranges with the strict input grammar: each problem at file:line:col', () => {
    const text = [
      'version: 1',
      'protected_ranges:',
      '  - 198.051.100.0/24',
      '  - cidr: 10.0.0.0/08',
      '    label: office',
      '  - 0.0.0.0/0',
      '  - fe80::1%eth0',
      '  - 192.0.2.1/24',
      '  - ::192.0.2.0/120',
      '  - 203.0.113.0/24',
      '',
    ].join('\n');
    const got = problems(text);
    expect(got.map((p) => `${p.file}:${p.line}:${p.column} ${p.field}`)).toEqual([
      'conf/firebreak.yml:3:5 protected_ranges.0',
      'conf/firebreak.yml:4:11 protected_ranges.1.cidr',
      'conf/firebreak.yml:6:5 protected_ranges.2',
      'conf/firebreak.yml:7:5 protected_ranges.3',
      'conf/firebreak.yml:8:5 protected_ranges.4',
      'conf/firebreak.yml:9:5 protected_ranges.5',
    ]);
    expect(got[0]!.message).toMatch(/leading zero.*198\.51\.100\.0/);
    expect(got[1]!.message).toMatch(/prefix length with a leading zero \(\/08\)/);
    expect(got[2]!.message).toMatch(/every IPv4 address; \/0 is not allowed/);
    expect(got[3]!.message).toMatch(/zone id/);
    expect(got[4]!.message).toMatch(/host bits set; did you mean 192\.0\.2\.0\/24/);
    expect(got[5]!.message).toMatch(/IPv4-compatible/);
  });

  it('protects exactly the network written (never an octal reading of it)', () => {
    const config = parseConfig('version: 1\nprotected_ranges:\n  - 198.51.100.0/24\n  - ::ffff:192.0.2.0/120\n');
    expect(toProtectedRanges(config.protected_ranges).map((r) => formatCidr(r.cidr))).toEqual(['198.51.100.0/24', '192.0.2.0/24']);
  });

  it('checks max_share_percent', () => {
    expect(parseConfig('version: 1\n').blocking.max_share_percent).toEqual({ ipv4: 0.1, ipv6: 0.000001 });
    expect(problems('version: 1\nblocking:\n  max_share_percent:\n    ipv6: 0\n')[0]).toMatchObject({ line: 4, field: 'blocking.max_share_percent.ipv6' });
  });
});

describe('firebreak.yml blocking section', () => {
  it('has defaults and names the bad line', () => {
    expect(parseConfig('version: 1\n').blocking).toMatchObject({ max_breadth: { ipv4: 16, ipv6: 32 }, default_ttl: '24h', cloudflare: { capacity: 10_000 } });
    try {
      parseConfig('version: 1\nblocking:\n  max_breadth:\n    ipv4: 40\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems[0]).toMatchObject({ line: 4, field: 'blocking.max_breadth.ipv4' });
    }
  });
});

describe('guard messages name every entry and limit', () => {
  const thrown = (fn: () => unknown): GuardError => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(GuardError);
      return e as GuardError;
    }
    return expect.unreachable('not refused');
  };

  it('protected ranges: label or the trimmed text, one entry or several, at most ten shown', () => {
    const ranges = toProtectedRanges([' 192.0.2.0/24 ', { cidr: '198.51.100.0/24', label: 'office' }]);
    expect(ranges.map((r) => [formatCidr(r.cidr), r.label])).toEqual([['192.0.2.0/24', '192.0.2.0/24'], ['198.51.100.0/24', 'office']]);
    const one = thrown(() => assertNoProtectedOverlap([c('198.51.100.7')], ranges));
    expect(one.code).toBe('PROTECTED_RANGE');
    expect(one.message).toBe('refused: 1 entry overlaps protected ranges: 198.51.100.7/32 overlaps protected 198.51.100.0/24 (office)');
    expect(one.details).toEqual({ overlaps: ['198.51.100.7/32 overlaps protected 198.51.100.0/24 (office)'] });
    const hosts = (n: number) => Array.from({ length: n }, (_, i) => c(`192.0.2.${i}`));
    const ten = thrown(() => assertNoProtectedOverlap(hosts(10), ranges));
    expect(ten.message).toMatch(/^refused: 10 entries overlap protected ranges: 192\.0\.2\.0\/32 overlaps protected 192\.0\.2\.0\/24 \(192\.0\.2\.0\/24\); /);
    expect(ten.message).toMatch(/192\.0\.2\.9\/32 overlaps protected 192\.0\.2\.0\/24 \(192\.0\.2\.0\/24\)$/);
    const eleven = thrown(() => assertNoProtectedOverlap(hosts(11), ranges));
    expect(eleven.message).toMatch(/^refused: 11 entries overlap/);
    expect(eleven.message).toMatch(/192\.0\.2\.9\/32 overlaps protected 192\.0\.2\.0\/24 \(192\.0\.2\.0\/24\) …$/);
    expect(eleven.message).not.toContain('192.0.2.10/32');
    expect((eleven.details as { overlaps: string[] }).overlaps).toHaveLength(11);
    expect(eleven.hint).toMatch(/^Remove those entries \(or split them around the protected range\)\. Protected ranges come from `protected_ranges` in firebreak\.yml\./);
    assertNoProtectedOverlap([], ranges);
    const bad = (() => {
      try {
        toProtectedRanges(['10.0.0.0/08']);
      } catch (e) {
        return e as { code: string; field: string; message: string };
      }
      return expect.unreachable('accepted');
    })();
    expect(bad).toMatchObject({ code: 'CONFIG_RANGE_INVALID', field: 'protected_ranges', message: expect.stringMatching(/^protected range: "10\.0\.0\.0\/08" has a prefix length with a leading zero/) });
  });

  it('Cloudflare: names a typed entry as itself, merges by count, at most five, each family by its own minimum', () => {
    expect(thrown(() => toCloudflareEntries([c('10.0.0.0/7')])).message).toBe('refused by Cloudflare list limits: 10.0.0.0/7 (Cloudflare accepts IPv4 /8 or narrower)');
    expect(thrown(() => toCloudflareEntries([c('2000::/3')])).message).toBe('refused by Cloudflare list limits: 2000::/3 (Cloudflare accepts IPv6 /4 or narrower)');
    expect(toCloudflareEntries([c('2000::/4')]).entries.map(formatCidr)).toEqual(['2000::/4']);
    expect(toCloudflareEntries([c('10.0.0.0/8')]).entries.map(formatCidr)).toEqual(['10.0.0.0/8']);
    const seven = (firsts: number[]) => firsts.map((n) => c(`${n}.0.0.0/7`));
    const five = thrown(() => toCloudflareEntries(seven([10, 14, 18, 22, 26])));
    expect(five.message).toBe(`refused by Cloudflare list limits: ${[10, 14, 18, 22, 26].map((n) => `${n}.0.0.0/7 (Cloudflare accepts IPv4 /8 or narrower)`).join('; ')}`);
    expect(five.code).toBe('PROVIDER_LIMIT');
    const six = thrown(() => toCloudflareEntries(seven([10, 14, 18, 22, 26, 30])));
    expect(six.message).toBe(`refused by Cloudflare list limits: ${[10, 14, 18, 22, 26].map((n) => `${n}.0.0.0/7 (Cloudflare accepts IPv4 /8 or narrower)`).join('; ')} …`);
    expect(thrown(() => toCloudflareEntries(seven([12, 14]))).message).toBe('refused by Cloudflare list limits: these 2 entries merge into 12.0.0.0/6 (Cloudflare accepts IPv4 /8 or narrower)');
  });

  it('Cloudflare widening: only IPv6 narrower than /64, to the /64 that holds it, with the reason', () => {
    const out = toCloudflareEntries([c('2001:db8:0:5:ffff::1/127'), c('2001:db8:0:6::/64'), c('203.0.113.7')]);
    expect(out.entries.map(formatCidr)).toEqual(['203.0.113.7/32', '2001:db8:0:5::/64', '2001:db8:0:6::/64']);
    expect(out.warnings).toEqual(['Cloudflare: 2001:db8:0:5:ffff::/127 widened to 2001:db8:0:5::/64 (lists hold IPv6 no narrower than /64)']);
  });

  it('WAF refuses only /0; capacity refuses one past the limit with the numbers', () => {
    expect(thrown(() => assertWafPrefixes([{ family: 4, prefix: 0, base: 0n }, c('10.0.0.0/8'), { family: 6, prefix: 0, base: 0n }])).message).toBe('refused by WAF limits: 0.0.0.0/0, ::/0');
    assertWafPrefixes([c('0.0.0.0/1'), c('::/1')]);
    const over = thrown(() => assertCapacity('t', 1, 2, 2));
    expect(over.message).toBe('refused: t holds 1 entries, adding 2 would make 3, over its limit of 2');
    expect(over.details).toEqual({ target: 't', existing: 1, adding: 2, limit: 2 });
    expect(over.code).toBe('PROVIDER_LIMIT');
    assertCapacity('t', 0, 2, 2);
    expect(familyName(4)).toBe('IPV4');
    expect(familyName(6)).toBe('IPV6');
  });
});

describe('guard details the earlier cases leave open', () => {
  const err = (fn: () => unknown): GuardError => {
    try {
      fn();
    } catch (e) {
      return e as GuardError;
    }
    return expect.unreachable('not refused');
  };
  it('provider-limit refusals keep their advice (the hint never offers an override they cannot have)', () => {
    const cf = err(() => toCloudflareEntries([c('10.0.0.0/7')]));
    expect(cf.hint).toBe('Split the range, or target waf only. (PROVIDER_LIMIT cannot be overridden.)');
    const cap = err(() => assertCapacity('t', 1, 2, 2));
    expect(cap.hint).toBe('Aggregate into broader CIDRs, unblock expired entries (`firebreak sweep-expired`), or raise the capacity. (PROVIDER_LIMIT cannot be overridden.)');
    const waf = err(() => assertWafPrefixes([{ family: 4, prefix: 0, base: 0n }]));
    expect(waf.code).toBe('PROVIDER_LIMIT');
    expect(waf.overridable).toBe(false);
  });
  it('a broad entry typed together with narrower ones inside it is a merge of all of them', () => {
    expect(err(() => toCloudflareEntries([c('10.0.0.0/7'), c('10.0.0.0/8')])).message).toBe('refused by Cloudflare list limits: these 2 entries merge into 10.0.0.0/7 (Cloudflare accepts IPv4 /8 or narrower)');
    expect(err(() => assertBreadth([c('10.0.0.0/15')])).message).toContain('10.0.0.0/15 (on the plan)');
  });
});
