import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { CloudflareApiError, CloudflareState, IP_RULES, listRefs } from './state.js';

const state = () => new CloudflareState({ accountId: 'a'.repeat(32), zoneId: 'b'.repeat(32) });

describe('CloudflareState.normaliseIp', () => {
  it('accepts every IPv4 network /8–/32 unchanged and refuses wider ones', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, prefix) => {
        const network = ipaddr.IPv4.networkAddressFromCIDR(`${ip}/${prefix}`).toString();
        const cidr = `${network}/${prefix}`;
        if (prefix >= IP_RULES.ipv4MinPrefix) expect(state().normaliseIp(cidr)).toBe(cidr);
        else expect(() => state().normaliseIp(cidr)).toThrow(CloudflareApiError);
      }),
    );
  });

  it('stores a single IPv6 address as its /64 and refuses prefixes narrower than /64', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.integer({ min: 65, max: 128 }), (ip, prefix) => {
        const s = state();
        const expected = `${ipaddr.IPv6.networkAddressFromCIDR(`${ip}/64`).toString()}/64`;
        expect(s.normaliseIp(ip)).toBe(expected);
        expect(s.normaliseIp(ip.toUpperCase())).toBe(expected);
        const narrow = `${ipaddr.IPv6.networkAddressFromCIDR(`${ip}/${prefix}`).toString()}/${prefix}`;
        expect(() => s.normaliseIp(narrow)).toThrow(/no|must be/);
      }),
    );
  });

  it('refuses garbage and host bits', () => {
    for (const bad of ['', 'x', '1.2.3', '1.2.3.4/33', '1.2.3.4/24', '1.2.3.0/24/1', '::/0', '2001:db8::1/48', '1.2.3.4/ 8']) {
      expect(() => state().normaliseIp(bad), bad).toThrow(CloudflareApiError);
    }
  });
});

describe('listRefs', () => {
  it('finds every $list in an expression, ignoring string literals', () => {
    expect(listRefs('(ip.src in $firebreak_blocked) or (ip.src in $allow_2 and http.host eq "$notalist")')).toEqual(['firebreak_blocked', 'allow_2']);
  });
});
