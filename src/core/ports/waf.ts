/**
 * WAFv2 IP sets as the block-ips step sees them. The adapter (src/providers/aws/waf-ip-sets.ts) owns
 * the optimistic lock: `edit` reads the set, applies the step's pure edit to the current addresses,
 * writes under the LockToken, and on WAFOptimisticLockException re-reads and re-applies the edit, so
 * another writer's entries are never dropped.
 */
export type WafScope = 'REGIONAL' | 'CLOUDFRONT';
export type WafIpVersion = 'IPV4' | 'IPV6';

export interface WafIpSetRef {
  scope: WafScope;
  ipVersion: WafIpVersion;
  name: string;
  id: string;
}

/** Returns the full new address list, or null when the current list already is what we want. */
export type WafEdit = (current: readonly string[]) => string[] | null;

export interface WafEditResult {
  before: string[];
  after: string[];
  written: boolean;
  /** Read-modify-write rounds, 1 when no other writer interfered. */
  rounds: number;
}

export interface WafIpSets {
  read(ref: WafIpSetRef): Promise<string[]>;
  edit(ref: WafIpSetRef, edit: WafEdit): Promise<WafEditResult>;
}

/** The target id used in plans, outcomes and the ledger, e.g. `waf:REGIONAL:IPV4`. */
export function wafTargetId(ref: Pick<WafIpSetRef, 'scope' | 'ipVersion'>): string {
  return `waf:${ref.scope}:${ref.ipVersion}`;
}
