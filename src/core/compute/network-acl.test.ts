import { describe, expect, it } from 'vitest';
import { ConflictError } from '../errors.js';
import { denyPrecedesAllows, pickDenyRuleNumber, type NaclEntry } from './network-acl.js';

const e = (ruleNumber: number, action: 'allow' | 'deny', egress = false): NaclEntry => ({ ruleNumber, egress, action, protocol: 'all', cidr: '0.0.0.0/0', fromPort: undefined, toPort: undefined });

describe('network ACL rule numbers for a deny', () => {
  it('takes the highest free number below the lowest inbound allow', () => {
    expect(pickDenyRuleNumber([e(100, 'allow'), e(200, 'allow'), e(32767, 'deny')], 'acl-1')).toBe(99);
    expect(pickDenyRuleNumber([e(100, 'allow'), e(99, 'deny'), e(98, 'deny')], 'acl-1')).toBe(97);
  });

  it('ignores outbound rules and the catch-all', () => {
    expect(pickDenyRuleNumber([e(5, 'allow', true), e(50, 'allow'), e(32767, 'allow')], 'acl-1')).toBe(49);
  });

  it('with no allow rule, any number is before every allow', () => {
    expect(pickDenyRuleNumber([e(32767, 'deny')], 'acl-1')).toBe(32766);
  });

  it('refuses when no number below the lowest allow is free, instead of adding a deny that blocks nothing', () => {
    expect(() => pickDenyRuleNumber([e(1, 'allow')], 'acl-1')).toThrow(ConflictError);
    const full = [e(4, 'allow'), e(1, 'deny'), e(2, 'deny'), e(3, 'deny')];
    let err: unknown;
    try {
      pickDenyRuleNumber(full, 'acl-9');
      expect.unreachable('no number is free');
    } catch (x) {
      err = x;
    }
    expect((err as ConflictError).code).toBe('NACL_NO_RULE_NUMBER');
    expect((err as ConflictError).message).toContain('acl-9');
  });

  it('knows whether a deny is still evaluated before every allow', () => {
    expect(denyPrecedesAllows([e(100, 'allow'), e(99, 'deny')], 99)).toBe(true);
    expect(denyPrecedesAllows([e(100, 'allow'), e(50, 'allow')], 99)).toBe(false);
    expect(denyPrecedesAllows([e(10, 'allow', true)], 99)).toBe(true);
  });
});
