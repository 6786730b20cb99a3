import type { KitVariableKey } from '../../core/names.js';
import type { CapabilityRuntime, WorkflowShape } from '../types.js';

/**
 * The kit variables block-ips, unblock-ips and sweep-expired read (src/runtime/ip-block-ports.ts):
 * the sets (by ARN, or id and name), the list, the ledger.
 */
export const IP_BLOCK_KIT_VARIABLES: readonly KitVariableKey[] = [
  'awsRegion',
  'wafScope',
  'wafIpSetV4Arn',
  'wafIpSetV6Arn',
  'wafIpSetV4Id',
  'wafIpSetV4Name',
  'wafIpSetV6Id',
  'wafIpSetV6Name',
  'cloudflareAccountId',
  'cloudflareListId',
  'evidenceBucket',
  'evidencePrefix',
];

/**
 * Production-changing, on AWS and Cloudflare; the workflow file is hand-written (see each file).
 * Runs that write the same lists share a concurrency group (the reusable twin copies it).
 */
export function ipBlockWorkflow(file: string, extra: Pick<WorkflowShape, 'concurrency' | 'applyByDefault'>): WorkflowShape {
  return { mode: 'hand-written', file, aws: true, environment: 'pick', secrets: ['CLOUDFLARE_API_TOKEN'], timeoutMinutes: 15, ...extra };
}

/** The block list steps' runtime: WAF sets, the Cloudflare list and the ledger from the kit. */
export async function ipBlockRuntime(step: CapabilityRuntime['step']): Promise<CapabilityRuntime> {
  const { buildIpBlockPorts } = await import('../../runtime/ip-block-ports.js');
  return { step, ports: (ctx) => buildIpBlockPorts(ctx.env, ctx.config, { sleep: ctx.sleep, onRetry: (m) => ctx.logger.info(m) }) };
}
