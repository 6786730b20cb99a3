import ipaddr from 'ipaddr.js';
import type { ProxiedRequest } from './fault-proxy.js';
import { awsJsonError, type FaultRule } from './faults.js';

/**
 * Provider rules AWS enforces and moto 5.2 does not, checked in the proxy in front of moto so a
 * firebreak bug that AWS would refuse also fails against the emulator. Sources: the WAFv2
 * CreateIPSet/UpdateIPSet API reference ("any CIDR except /0", one IP version per set, at most
 * 10,000 addresses per set). Checked by `moto-rules.test.ts` and the moto integration test.
 */
export const WAF_MAX_ADDRESSES_PER_SET = 10_000;

type Answer = Pick<FaultRule, 'status' | 'headers' | 'body'>;

export function checkAwsRules(req: ProxiedRequest): Answer | undefined {
  const op = req.target?.split('.').pop();
  if (req.target?.startsWith('AWSWAF_') && (op === 'CreateRegexPatternSet' || op === 'UpdateRegexPatternSet')) return checkRegexSet(req);
  if (!req.target?.startsWith('AWSWAF_') || (op !== 'CreateIPSet' && op !== 'UpdateIPSet')) return undefined;
  let input: { Addresses?: unknown; IPAddressVersion?: unknown };
  try {
    input = JSON.parse(req.body.toString('utf8')) as typeof input;
  } catch {
    return undefined; // moto answers malformed JSON itself
  }
  return checkIpSetAddresses(input.Addresses, op === 'CreateIPSet' ? input.IPAddressVersion : undefined);
}

export function checkIpSetAddresses(addresses: unknown, version: unknown): Answer | undefined {
  if (!Array.isArray(addresses)) return undefined;
  if (addresses.length > WAF_MAX_ADDRESSES_PER_SET) {
    return awsJsonError('WAFLimitsExceededException', `AWS WAF couldn’t perform the operation because you exceeded your resource limit (${WAF_MAX_ADDRESSES_PER_SET} addresses per IP set).`);
  }
  const kinds = new Set<string>();
  for (const address of addresses) {
    if (typeof address !== 'string' || !ipaddr.isValidCIDR(address)) return invalid(`IP_ADDRESS: ${String(address)} is not in CIDR notation`);
    const [addr, prefix] = ipaddr.parseCIDR(address);
    if (prefix === 0) return invalid(`IP_ADDRESS: ${address}: AWS WAF supports all CIDR ranges except /0`);
    kinds.add(addr.kind());
  }
  if (kinds.size > 1) return invalid('IP_ADDRESS: an IP set holds one IP version only');
  const expected = version === 'IPV4' ? 'ipv4' : version === 'IPV6' ? 'ipv6' : undefined;
  const [only] = kinds;
  if (expected && only && only !== expected) return invalid(`IP_ADDRESS: ${only.toUpperCase()} addresses in an ${String(version)} IP set`);
  return undefined;
}

function invalid(detail: string): Answer {
  return awsJsonError('WAFInvalidParameterException', `Error reason: The parameter contains formatting that isn’t correct., field: ${detail}`);
}

/** AWS WAF quotas moto 5.2 does not enforce: 10 regexes per pattern set (default), 200 characters each. */
export const WAF_MAX_REGEXES_PER_SET = 10;
export const WAF_MAX_REGEX_LENGTH = 200;

function checkRegexSet(req: ProxiedRequest): Answer | undefined {
  let input: { RegularExpressionList?: Array<{ RegexString?: unknown }> };
  try {
    input = JSON.parse(req.body.toString('utf8')) as typeof input;
  } catch {
    return undefined;
  }
  const list = input.RegularExpressionList;
  if (!Array.isArray(list)) return undefined;
  if (list.length > WAF_MAX_REGEXES_PER_SET) {
    return awsJsonError('WAFLimitsExceededException', `AWS WAF couldn’t perform the operation because you exceeded your resource limit (${WAF_MAX_REGEXES_PER_SET} regular expressions per regex pattern set).`);
  }
  for (const r of list) {
    if (typeof r?.RegexString !== 'string' || r.RegexString.length < 1 || r.RegexString.length > WAF_MAX_REGEX_LENGTH) {
      return invalid(`REGEX_STRING: regex patterns are 1-${WAF_MAX_REGEX_LENGTH} characters`);
    }
  }
  return undefined;
}
