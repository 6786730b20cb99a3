import { defineInputs } from '../../core/inputs.js';
import { IP_BLOCK_KIT_VARIABLES, ipBlockWorkflow } from '../shared/ip-block-capability.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  addresses: {
    kind: 'text',
    required: true,
    description: 'Addresses or CIDRs to remove, exactly as they were blocked (commas, spaces or newlines).',
    cli: { positional: true, variadic: true, placeholder: 'addresses...' },
  },
  reason: { kind: 'text', required: true, description: 'Why the block is lifted (audit record).' },
  target: { kind: 'choice', options: ['all', 'waf', 'cloudflare'], default: 'all', description: 'Where to act: all, waf or cloudflare.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'unblock-ips',
  title: 'Unblock IPs',
  summary: 'Removes exactly the given addresses from the same block lists',
  description: "Removes exactly the given addresses/CIDRs from the kit's AWS WAFv2 IP sets and Cloudflare IP list.",
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: ipBlockWorkflow('block-ips.yml', { concurrency: 'firebreak-blocklist-${{ inputs.environment }}-${{ inputs.target }}' }),
  iam: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  kitVariables: IP_BLOCK_KIT_VARIABLES,
  drill: 'block-ips',
};
