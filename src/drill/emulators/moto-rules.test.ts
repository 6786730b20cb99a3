import { describe, expect, it } from 'vitest';
import { checkAwsRules, checkIpSetAddresses, WAF_MAX_ADDRESSES_PER_SET } from './moto-rules.js';

const req = (op: string, input: unknown) => ({
  method: 'POST',
  path: '/',
  target: `AWSWAF_20190729.${op}`,
  body: Buffer.from(JSON.stringify(input)),
});

const errorType = (answer: ReturnType<typeof checkIpSetAddresses>) => (answer?.body as { __type?: string } | undefined)?.__type;

describe('AWS rules moto does not enforce', () => {
  it('accepts a valid IPv4 or IPv6 set, at the limit', () => {
    const addrs = Array.from({ length: WAF_MAX_ADDRESSES_PER_SET }, (_, i) => `10.0.${i >> 8}.${i & 255}/32`);
    expect(checkAwsRules(req('CreateIPSet', { IPAddressVersion: 'IPV4', Addresses: addrs }))).toBeUndefined();
    expect(checkAwsRules(req('UpdateIPSet', { Addresses: ['2001:db8::/32'] }))).toBeUndefined();
    expect(checkAwsRules(req('UpdateIPSet', { Addresses: [] }))).toBeUndefined();
  });

  it('refuses more than 10,000 addresses with WAFLimitsExceededException', () => {
    const addrs = Array.from({ length: WAF_MAX_ADDRESSES_PER_SET + 1 }, (_, i) => `10.0.${i >> 8}.${i & 255}/32`);
    expect(errorType(checkAwsRules(req('UpdateIPSet', { Addresses: addrs })))).toBe('WAFLimitsExceededException');
  });

  it('refuses /0, bare addresses, mixed versions and a version mismatch', () => {
    expect(errorType(checkIpSetAddresses(['0.0.0.0/0'], 'IPV4'))).toBe('WAFInvalidParameterException');
    expect(errorType(checkIpSetAddresses(['::/0'], 'IPV6'))).toBe('WAFInvalidParameterException');
    expect(errorType(checkIpSetAddresses(['192.0.2.1'], 'IPV4'))).toBe('WAFInvalidParameterException');
    expect(errorType(checkIpSetAddresses(['192.0.2.1/32', '2001:db8::/32'], undefined))).toBe('WAFInvalidParameterException');
    expect(errorType(checkIpSetAddresses(['2001:db8::/32'], 'IPV4'))).toBe('WAFInvalidParameterException');
  });

  it('ignores other operations and services', () => {
    expect(checkAwsRules({ ...req('GetIPSet', {}), body: Buffer.from('{}') })).toBeUndefined();
    expect(checkAwsRules({ method: 'POST', path: '/', target: 'secretsmanager.PutSecretValue', body: Buffer.from('{"Addresses":["0.0.0.0/0"]}') })).toBeUndefined();
    expect(checkAwsRules({ method: 'PUT', path: '/bucket/key', target: undefined, body: Buffer.from('x') })).toBeUndefined();
  });
});
