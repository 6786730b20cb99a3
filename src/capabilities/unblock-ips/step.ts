import { formatCidr, type Cidr, type Family } from '../../core/ip/cidr.js';
import { cidrsOf, parseAddresses, toAddressList, type AddressList } from '../../core/ip/parse-addresses.js';
import { PROVIDER_LIMITS } from '../../core/ip/limits.js';
import type { Change, Unchanged } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { parseIncident, parseReason } from '../block-ips/step.js';
import { parseTargetSelection, readTarget, removeFromTarget, resolveTargets, type IpBlockPorts, type TargetSelection } from '../shared/ip-block-targets.js';

/**
 * unblock-ips: removes exactly the entries given — normalised and de-duplicated, never aggregated,
 * so `203.0.113.7` removes the `/32` and leaves a `203.0.113.0/24` alone. A single IPv6 address maps
 * to its /64 on Cloudflare (that is how the list stores it); the plan says so.
 */
export interface UnblockIpsInput {
  /** Canonical text (`198.51.100.0/25`): this is what the audit record shows. */
  addresses: AddressList;
  target: TargetSelection;
  reason: string;
  /** Optional: lifting a false positive may belong to no incident. */
  incidentId: string | null;
}

export const unblockIpsStep: StepDefinition<UnblockIpsInput, IpBlockPorts> = {
  name: 'unblock-ips',
  description: 'Remove exactly the given addresses/CIDRs from the WAFv2 IP sets and the Cloudflare IP list.',

  parse(raw, ctx) {
    return { addresses: toAddressList(parseAddresses(raw.addresses)), target: parseTargetSelection(raw.target), reason: parseReason(raw.reason), incidentId: parseIncident(raw.incident, ctx, false) };
  },

  async plan(input, ports) {
    const entries = cidrsOf(input.addresses.entries);
    const targets = resolveTargets(input.target, new Set<Family>(entries.map((e) => e.family)), ports);
    const states = await Promise.all(targets.map((t) => readTarget(t, ports)));
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    targets.forEach((t, i) => {
      const state = states[i]!;
      const subjects = new Set<string>();
      for (const e of entries) {
        if (t.kind === 'waf' && e.family !== t.family) continue;
        let c: Cidr = e;
        if (t.kind === 'cloudflare' && e.family === 6 && e.prefix > PROVIDER_LIMITS.cloudflare.maxPrefix[6]) {
          const shift = BigInt(128 - PROVIDER_LIMITS.cloudflare.maxPrefix[6]);
          c = { family: 6, prefix: PROVIDER_LIMITS.cloudflare.maxPrefix[6], base: (e.base >> shift) << shift };
          warnings.push(`Cloudflare: ${formatCidr(e)} is stored as ${formatCidr(c)}; removing it unblocks the whole /64`);
        }
        subjects.add(formatCidr(c));
      }
      for (const subject of subjects) {
        const held = state.entries.get(subject);
        if (held === undefined) unchanged.push({ target: t.id, subject, reason: 'not present' });
        else changes.push({ target: t.id, action: 'remove', subject, detail: t.kind === 'cloudflare' ? { itemId: held } : undefined });
      }
    });
    return { step: 'unblock-ips', changes, unchanged, warnings: [...input.addresses.notes, ...warnings] };
  },

  async apply(plan, input, ports, ctx) {
    const targets = resolveTargets(input.target, new Set<Family>(cidrsOf(input.addresses.entries).map((e) => e.family)), ports);
    const work = targets.map((t) => {
      const subjects = plan.changes.filter((c) => c.target === t.id).map((c) => ({ subject: c.subject, itemId: c.detail?.itemId as string | undefined }));
      return subjects.length ? removeFromTarget(t, subjects, ports, ctx.progress ?? ((m) => ctx.logger.info(m))) : Promise.resolve([]);
    });
    return (await Promise.all(work)).flat();
  },
};
