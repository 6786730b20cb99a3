import { defineInputs } from '../../core/inputs.js';
import { IP_BLOCK_KIT_VARIABLES, ipBlockWorkflow } from '../shared/ip-block-capability.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  target: { kind: 'choice', options: ['all', 'waf', 'cloudflare'], default: 'all', description: 'Where to act: all, waf or cloudflare.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'sweep-expired',
  title: 'Sweep expired blocks',
  summary: 'Removes blocks whose time to live has passed (hourly and on demand)',
  description: 'Removes blocks whose time to live has passed (read from the block ledger) from the WAFv2 IP sets and the Cloudflare IP list.',
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  // Scheduled as well as dispatched: the schedule needs more than the template.
  workflow: ipBlockWorkflow('sweep-expired.yml', { applyByDefault: true, concurrency: 'firebreak-blocklist-${{ inputs.environment }}-all' }),
  iam: ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  kitVariables: IP_BLOCK_KIT_VARIABLES,
  drill: 'block-ips',
};
