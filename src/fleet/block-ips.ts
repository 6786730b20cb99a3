import { blockIpsStep } from '../capabilities/block-ips/step.js';
import type { IpBlockPorts } from '../capabilities/shared/ip-block-targets.js';
import type { WafEdit, WafIpSetRef, WafIpSets } from '../core/ports/waf.js';
import { buildIpBlockPorts } from '../runtime/ip-block-ports.js';
import type { FleetCapability, FleetTargetContext } from './capability.js';
import { targetEnv } from './target-env.js';

/**
 * block-ips across a fleet: on an AWS target, the WAF sets of that account and region (assumed
 * role, WAF writes through the account/region token bucket); on a Cloudflare target, that account's
 * list. Each target runs the same step as a single-target run, with its own audit record.
 */
export const blockIpsFleet: FleetCapability<IpBlockPorts> = {
  slug: 'block-ips',
  providers: ['aws', 'cloudflare'],
  step: blockIpsStep,
  input: (raw, target) => ({ ...raw, target: target.provider === 'aws' ? 'waf' : 'cloudflare' }),
  ports(ctx) {
    const ports = buildIpBlockPorts(targetEnv(ctx), ctx.config, { sleep: ctx.sleep, sharedRequestHandler: ctx.awsRequestHandler, ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}) });
    if (ports.waf) ports.waf = { ...ports.waf, client: rateLimited(ports.waf.client, ctx) };
    return ports;
  },
  // No release: the WAF clients send through the run's shared pool, which the runner destroys.
};

/** Each write waits for its account/region's token; reads are not limited. */
function rateLimited(inner: WafIpSets, ctx: FleetTargetContext): WafIpSets {
  return {
    read: (ref: WafIpSetRef) => inner.read(ref),
    async edit(ref: WafIpSetRef, edit: WafEdit) {
      await ctx.writes.take(ctx.target.limitKey);
      return inner.edit(ref, edit);
    },
  };
}
