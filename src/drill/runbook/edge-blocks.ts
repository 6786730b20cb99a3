import { formatCidr, parseCidrLoose } from '../../core/ip/cidr.js';
import { cloudflareListItems, wafIpSet, type RunbookEdgeKit } from './edge-kit.js';

/**
 * What the kit's block targets hold, as canonical CIDRs per target id (`waf:REGIONAL:IPV4`,
 * `waf:REGIONAL:IPV6`, `cloudflare:list`): the shape the block ledger names its entries in, so the
 * unblock and sweep fixtures can compare a target with the ledger without re-implementing either step.
 */
export type BlockState = Record<string, string[]>;

export const WAF_V4 = 'waf:REGIONAL:IPV4';
export const WAF_V6 = 'waf:REGIONAL:IPV6';
export const CF_LIST = 'cloudflare:list';

export function canonical(text: string): string {
  const c = parseCidrLoose(text);
  return c ? formatCidr(c) : text;
}

export async function blockState(kit: RunbookEdgeKit): Promise<BlockState> {
  return {
    [WAF_V4]: (await wafIpSet(kit, 4)).map(canonical).sort(),
    [WAF_V6]: (await wafIpSet(kit, 6)).map(canonical).sort(),
    [CF_LIST]: cloudflareListItems(kit).map((i) => canonical(i.ip)).sort(),
  };
}

/** `before` minus the given entries, per target: what the targets must hold after removing exactly those. */
export function without(before: BlockState, removed: ReadonlyArray<{ target: string; subject: string }>): BlockState {
  const gone = new Set(removed.map((e) => `${e.target} ${canonical(e.subject)}`));
  return Object.fromEntries(Object.entries(before).map(([t, subjects]) => [t, subjects.filter((s) => !gone.has(`${t} ${s}`))]));
}
