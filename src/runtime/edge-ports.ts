import { S3Client } from '@aws-sdk/client-s3';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { EdgePorts } from '../capabilities/shared/edge-support.js';
import { edgeSettingsFromConfig } from '../capabilities/shared/edge-support.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import type { WafResourceRef } from '../core/edge/ports.js';
import type { HttpProber } from '../core/health/probe.js';
import { readKitVariables } from '../core/names.js';
import type { Sleep } from '../core/runtime.js';
import { S3EdgeLedger } from '../providers/aws/edge-ledger.js';
import { AwsWafRegexSet, AwsWafRuleGroup, parseWafArn } from '../providers/aws/waf-edge.js';
import { CloudflareKillSwitchRule, CloudflareRateLimitRule } from '../providers/cloudflare/edge-rules.js';
import { awsClientConfig, type Env } from './clients.js';
import { cloudflareRulesetsClient } from './cloudflare-client.js';
import { ENV } from './env.js';
import { buildHealthPorts } from './health-ports.js';

export { buildHealthPorts } from './health-ports.js';

/** Names the kit gives the rules inside its WAF rule group (infra/components/waf-break-glass.ts). */
export const WAF_ROUTE_RULE_NAME = 'firebreak-route-kill-switch';
export const WAF_RATE_RULE_DEFAULT = 'firebreak-rate-limit';

export interface EdgePortOptions {
  sleep: Sleep;
  timeoutMs?: number;
  random?: () => number;
  onRetry?: (message: string) => void;
  wafLockRounds?: number;
  /** Tests inject a prober trusting their own CA; production uses node's HTTP client with the system CAs. */
  prober?: HttpProber;
}

/**
 * Builds the ports of the route, rate and health steps from the variables `pulumi up` wrote and
 * firebreak.yml. A resource whose variables are absent is left out; a run that targets it then fails
 * with a ConfigError naming the variables.
 */
export function buildEdgePorts(env: Env, config: FirebreakConfig, opts: EdgePortOptions): EdgePorts {
  const kit = readKitVariables(env);
  const timeout = opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs };
  const regionEnv = kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env;
  const common = { sleep: opts.sleep, ...(opts.random ? { random: opts.random } : {}), ...(opts.onRetry ? { onRetry: opts.onRetry } : {}) };
  const ports: EdgePorts = { settings: edgeSettingsFromConfig(config), health: buildHealthPorts(env, config, opts) };

  const scope = kit.wafScope === 'CLOUDFRONT' ? 'CLOUDFRONT' : 'REGIONAL';
  const ref = (arn: string | undefined, id: string | undefined, name: string | undefined, kind: 'regexpatternset' | 'rulegroup'): WafResourceRef | undefined => {
    const parsed = arn ? parseWafArn(arn, kind) : undefined;
    const finalId = id ?? parsed?.id;
    const finalName = name ?? parsed?.name;
    return finalId && finalName ? { scope: parsed?.scope ?? scope, id: finalId, name: finalName } : undefined;
  };
  const regexRef = ref(kit.wafRouteRegexSetArn, kit.wafRouteRegexSetId, kit.wafRouteRegexSetName, 'regexpatternset');
  const groupRef = ref(kit.wafRuleGroupArn, kit.wafRuleGroupId, kit.wafRuleGroupName, 'rulegroup');
  if (regexRef || groupRef) {
    // CLOUDFRONT-scoped WAF objects are only reachable through us-east-1.
    const cloudfront = (regexRef ?? groupRef)!.scope === 'CLOUDFRONT';
    const client = new WAFV2Client({ ...awsClientConfig(regionEnv, timeout), ...(cloudfront ? { region: 'us-east-1' } : {}) });
    const wafOpts = { client, ...common, ...(opts.wafLockRounds ? { lockRounds: opts.wafLockRounds } : {}) };
    ports.waf = {
      regexSet: regexRef ? new AwsWafRegexSet(regexRef, wafOpts) : undefined,
      ruleGroup: groupRef ? new AwsWafRuleGroup(groupRef, wafOpts, { rateRule: kit.wafRateRuleName ?? WAF_RATE_RULE_DEFAULT, routeRule: WAF_ROUTE_RULE_NAME }) : undefined,
    };
  }

  const zoneId = kit.cloudflareZoneId;
  if (zoneId && env[ENV.cloudflareToken]) {
    const client = cloudflareRulesetsClient(env, timeout);
    const cf = { client, zoneId, ...common };
    ports.cloudflare = {
      killSwitch: kit.cloudflareCustomRulesetId && kit.cloudflareRouteRuleId ? new CloudflareKillSwitchRule({ ...cf, rulesetId: kit.cloudflareCustomRulesetId, ruleId: kit.cloudflareRouteRuleId }) : undefined,
      rateLimit: kit.cloudflareRateLimitRulesetId && kit.cloudflareRateLimitRuleId ? new CloudflareRateLimitRule({ ...cf, rulesetId: kit.cloudflareRateLimitRulesetId, ruleId: kit.cloudflareRateLimitRuleId }) : undefined,
    };
  }

  if (kit.evidenceBucket) {
    ports.ledger = new S3EdgeLedger({
      client: new S3Client({ ...awsClientConfig(regionEnv, timeout), forcePathStyle: Boolean(env[ENV.awsEndpoint]) }),
      bucket: kit.evidenceBucket,
      prefix: `${kit.evidencePrefix ?? ''}${config.routes.ledger_prefix}`,
      sleep: opts.sleep,
      ...(opts.random ? { random: opts.random } : {}),
    });
  }
  return ports;
}
