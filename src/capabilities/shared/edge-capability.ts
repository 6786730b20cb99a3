import type { KitVariableKey } from '../../core/names.js';
import type { CapabilityRuntime, WorkflowShape } from '../types.js';

/** The kit variables the route and rate steps read (src/runtime/edge-ports.ts). */
export const EDGE_KIT_VARIABLES: readonly KitVariableKey[] = [
  'awsRegion',
  'wafScope',
  'wafRouteRegexSetArn',
  'wafRouteRegexSetId',
  'wafRouteRegexSetName',
  'wafRuleGroupArn',
  'wafRuleGroupId',
  'wafRuleGroupName',
  'wafRateRuleName',
  'cloudflareZoneId',
  'cloudflareCustomRulesetId',
  'cloudflareRouteRuleId',
  'cloudflareRateLimitRulesetId',
  'cloudflareRateLimitRuleId',
  'evidenceBucket',
  'evidencePrefix',
];

/**
 * Production-changing on AWS and Cloudflare. Runs that write the same rule share a concurrency
 * group, so a disable and an enable never interleave their read-modify-write.
 */
export function edgeWorkflow(group: 'routes' | 'rate'): WorkflowShape {
  return {
    mode: 'generated',
    aws: true,
    environment: 'pick',
    secrets: ['CLOUDFLARE_API_TOKEN'],
    concurrency: `firebreak-edge-${group}-\${{ inputs.environment }}`,
    timeoutMinutes: 20,
  };
}

export async function edgeRuntime(step: CapabilityRuntime['step']): Promise<CapabilityRuntime> {
  const { buildEdgePorts } = await import('../../runtime/edge-ports.js');
  return { step, ports: (ctx) => buildEdgePorts(ctx.env, ctx.config, { sleep: ctx.sleep, onRetry: (m) => ctx.logger.info(m) }) };
}
