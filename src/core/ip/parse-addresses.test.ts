import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FirebreakError, GuardError, InputError } from '../errors.js';
import { formatCidr, overlaps } from './cidr.js';
import { assertNoProtectedOverlap, toProtectedRanges } from './guard.js';
import { parseAddresses } from './parse-addresses.js';

const parsed = (t: string) => parseAddresses(t).aggregated.map(formatCidr);

describe('parseAddresses', () => {
  it('splits on commas, spaces and newlines, normalises, de-duplicates and aggregates per family', () => {
    const p = parseAddresses('203.0.113.7, 203.0.113.7\n2001:DB8:0:0::1  ::ffff:198.51.100.1;198.51.100.0/31');
    expect(p.aggregated.map(formatCidr)).toEqual(['198.51.100.0/31', '203.0.113.7/32', '2001:db8::1/128']);
    expect(p.duplicates).toBe(1);
    expect(p.notes.join(' ')).toContain('aggregated');
  });

  it('reads IPv4-mapped IPv6 CIDRs as IPv4', () => {
    expect(parsed('::ffff:192.0.2.0/120')).toEqual(['192.0.2.0/24']);
  });

  it('refuses host bits with the network the responder probably meant', () => {
    expect(() => parseAddresses('198.51.100.7/24')).toThrow(/did you mean 198\.51\.100\.0\/24/);
    try {
      parseAddresses('198.51.100.7/24');
    } catch (e) {
      expect((e as InputError).code).toBe('HOST_BITS_SET');
    }
  });

  it('refuses /0 in both families, unoverridable at parse time', () => {
    for (const t of ['0.0.0.0/0', '::/0', '1.2.3.4, ::/0', '::ffff:0.0.0.0/96']) {
      expect(() => parseAddresses(t)).toThrow(GuardError);
    }
  });

  it('refuses junk, non-decimal IPv4 and zone ids', () => {
    for (const t of ['', '   ', 'example.com', '127.1', '0x7f.0.0.1', '010.0.0.1', 'fe80::1%eth0', '1.2.3.4/33', '1.2.3.4/-1', '::1/129', '1.2.3.4/']) {
      expect(() => parseAddresses(t), t).toThrow(InputError);
    }
  });

  it('never throws an untyped error and never accepts /0 or a protected range (10,000 generated inputs)', () => {
    const protectedRanges = toProtectedRanges(['192.0.2.0/24', { cidr: '2001:db8:f00d::/48', label: 'office' }]);
    const octet = fc.integer({ min: 0, max: 255 });
    const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const v6 = fc.oneof(fc.array(hex, { minLength: 8, maxLength: 8 }).map((h) => h.join(':')), fc.tuple(hex, hex).map(([a, b]) => `${a}::${b}`), v4.map((a) => `::ffff:${a}`), fc.constant('2001:db8:f00d::1'));
    const prefix = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 130 }).map((n) => `/${n}`), fc.constantFrom('/', '/x', '/08'));
    const token = fc.oneof(
      fc.tuple(fc.oneof(v4, v6, fc.constantFrom('192.0.2.9', '0.0.0.0', '::')), prefix).map(([a, p]) => a + p),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('0.0.0.0/0', '::/0', '192.0.2.0/23', '%', ',,', '\n'),
    );
    const input = fc.array(token, { maxLength: 6 }).chain((ts) => fc.constantFrom(', ', '\n', ' ').map((sep) => ts.join(sep)));
    fc.assert(
      fc.property(input, (text) => {
        try {
          const p = parseAddresses(text);
          assertNoProtectedOverlap(p.aggregated, protectedRanges);
          for (const e of p.aggregated) {
            expect(e.prefix).toBeGreaterThan(0);
            for (const r of protectedRanges) expect(overlaps(e, r.cidr)).toBe(false);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(FirebreakError);
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
