import { blockIpsStep } from '../capabilities/block-ips/step.js';
import type { IpBlockPorts } from '../capabilities/shared/ip-block-targets.js';
import { KIT_VARIABLES } from '../core/names.js';
import type { WafEdit, WafIpSetRef, WafIpSets } from '../core/ports/waf.js';
import { buildIpBlockPorts } from '../runtime/ip-block-ports.js';
import { ENV } from '../runtime/env.js';
import type { FleetCapability, FleetTargetContext } from './capability.js';

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

/** The environment one target's ports are built from: its own ids and credentials only. */
function targetEnv(ctx: FleetTargetContext): Record<string, string | undefined> {
  const t = ctx.target;
  const env: Record<string, string | undefined> = { ...ctx.env };
  if (t.provider === 'aws') {
    env[ENV.awsRegion] = t.region;
    env[KIT_VARIABLES.awsRegion] = t.region;
    env[KIT_VARIABLES.wafScope] = t.waf?.scope ?? 'REGIONAL';
    env[KIT_VARIABLES.wafIpSetV4Arn] = t.waf?.ipv4_arn;
    env[KIT_VARIABLES.wafIpSetV6Arn] = t.waf?.ipv6_arn;
    env.AWS_ACCESS_KEY_ID = ctx.aws?.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = ctx.aws?.secretAccessKey;
    env.AWS_SESSION_TOKEN = ctx.aws?.sessionToken;
  } else if (t.provider === 'cloudflare') {
    env[KIT_VARIABLES.cloudflareAccountId] = t.account;
    env[KIT_VARIABLES.cloudflareListId] = t.list_id;
  }
  return env;
}

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

/** Fleet-capable capabilities, by slug: a capability opts in with one line here. */
export const FLEET_CAPABILITIES: Readonly<Record<string, FleetCapability<never>>> = {
  'block-ips': blockIpsFleet as unknown as FleetCapability<never>,
};
