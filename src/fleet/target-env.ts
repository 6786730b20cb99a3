import { KIT_VARIABLES } from '../core/names.js';
import { ENV } from '../runtime/env.js';
import type { FleetTargetContext } from './capability.js';

/**
 * The environment one target's ports are built from: its own ids and credentials only (the run's
 * env has the home kit's per-target variables removed, src/fleet/run.ts fleetBaseEnv).
 */
export function targetEnv(ctx: FleetTargetContext): Record<string, string | undefined> {
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
  } else {
    env[ENV.githubRepository] = t.repository;
  }
  return env;
}
