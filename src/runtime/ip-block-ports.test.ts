import { describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config/parse.js';
import { KIT_VARIABLES } from '../core/names.js';
import { parseIpSetArn } from '../providers/aws/waf-ip-sets.js';
import { buildIpBlockPorts, wafSetRefs } from './ip-block-ports.js';

const instant = async () => {};

describe('ip-block ports from kit variables and config', () => {
  it('reads IP set name/id from the ARNs pulumi writes, scope included', () => {
    expect(parseIpSetArn('arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/fb-block-v4/a1b2c3d4-5678-90ab-cdef-111111111111')).toEqual({
      scope: 'REGIONAL',
      name: 'fb-block-v4',
      id: 'a1b2c3d4-5678-90ab-cdef-111111111111',
    });
    expect(parseIpSetArn('arn:aws:wafv2:us-east-1:123456789012:global/ipset/edge/abc')?.scope).toBe('CLOUDFRONT');
    expect(parseIpSetArn('arn:aws:s3:::bucket')).toBeUndefined();
  });

  it('combines kit sets and config sets without duplicates', () => {
    const env = {
      [KIT_VARIABLES.wafIpSetV4Arn]: 'arn:aws:wafv2:eu-west-1:1:regional/ipset/v4/0a4',
      [KIT_VARIABLES.wafIpSetV6Id]: '0a6',
      [KIT_VARIABLES.wafIpSetV6Name]: 'v6',
    };
    const config = parseConfig('version: 1\nblocking:\n  waf:\n    ip_sets:\n      - { scope: CLOUDFRONT, ip_version: IPV4, name: edge4, id: abc-1 }\n      - { scope: REGIONAL, ip_version: IPV4, name: v4, id: 0a4 }\n');
    expect(wafSetRefs(env, config)).toEqual([
      { scope: 'REGIONAL', ipVersion: 'IPV4', name: 'v4', id: '0a4' },
      { scope: 'REGIONAL', ipVersion: 'IPV6', name: 'v6', id: '0a6' },
      { scope: 'CLOUDFRONT', ipVersion: 'IPV4', name: 'edge4', id: 'abc-1' },
    ]);
  });

  it('leaves out a provider whose variables are missing (a run targeting it then fails with ConfigError)', () => {
    const ports = buildIpBlockPorts({}, parseConfig('version: 1\n'), { sleep: instant });
    expect(ports.waf).toBeUndefined();
    expect(ports.cloudflare).toBeUndefined();
    expect(ports.ledger).toBeUndefined();
    expect(ports.settings.maxBreadth).toEqual({ 4: 16, 6: 32 });
  });
});
