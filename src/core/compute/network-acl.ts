import { ConflictError } from '../errors.js';

/**
 * Network ACL rule numbers, as AWS evaluates them: lowest number first, the first match wins, the
 * catch-all `*` (32767) last. A deny added for an address only works if it is evaluated before
 * every allow rule that would match it, so it must take a number below the lowest ingress allow.
 * User rules are numbered 1–32766 (CreateNetworkAclEntry API reference).
 */
export const NACL_MIN_RULE = 1;
export const NACL_MAX_RULE = 32766;
/** Default quota of inbound (and, separately, outbound) rules per network ACL; it can be raised to 40. */
export const NACL_DEFAULT_RULES_PER_DIRECTION = 20;

export interface NaclEntry {
  ruleNumber: number;
  egress: boolean;
  action: 'allow' | 'deny';
  protocol: string;
  cidr: string | undefined;
  fromPort: number | undefined;
  toPort: number | undefined;
}

/**
 * The number for a new ingress deny: the highest free number below the lowest ingress allow, so the
 * deny is evaluated before every allow and the numbers below it stay free for the next one.
 * Refuses when no number is free below the lowest allow (an allow at 1, or every number below it
 * taken): a deny placed after an allow would look applied and block nothing.
 */
export function pickDenyRuleNumber(entries: readonly NaclEntry[], aclId: string): number {
  const ingress = entries.filter((e) => !e.egress && e.ruleNumber >= NACL_MIN_RULE && e.ruleNumber <= NACL_MAX_RULE);
  const allows = ingress.filter((e) => e.action === 'allow').map((e) => e.ruleNumber);
  const ceiling = allows.length ? Math.min(...allows) : NACL_MAX_RULE + 1;
  const taken = new Set(ingress.map((e) => e.ruleNumber));
  for (let n = ceiling - 1; n >= NACL_MIN_RULE; n--) if (!taken.has(n)) return n;
  throw new ConflictError(`network ACL ${aclId}: no free rule number below its lowest inbound allow rule (${ceiling}); a deny numbered after it would be evaluated too late and block nothing`, {
    code: 'NACL_NO_RULE_NUMBER',
    hint: `Renumber the ACL's allow rules upwards (leave gaps, e.g. 100, 200, …) so a deny fits before them, or block at the security group or the edge instead. Nothing was changed.`,
  });
}

/** Whether a deny at `ruleNumber` is still evaluated before every ingress allow. */
export function denyPrecedesAllows(entries: readonly NaclEntry[], ruleNumber: number): boolean {
  return entries.every((e) => e.egress || e.action !== 'allow' || e.ruleNumber > ruleNumber || e.ruleNumber > NACL_MAX_RULE);
}
