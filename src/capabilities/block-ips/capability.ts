import { defineInputs } from '../../core/inputs.js';
import { IP_BLOCK_KIT_VARIABLES, ipBlockWorkflow } from '../shared/ip-block-capability.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  addresses: {
    kind: 'text',
    required: true,
    description: 'Addresses or CIDRs separated by commas, spaces or newlines (IPv4, IPv6, IPv4-mapped IPv6).',
    cli: { positional: true, variadic: true, placeholder: 'addresses...' },
  },
  reason: { kind: 'text', required: true, description: 'Why these addresses are blocked (stored with each block).' },
  ttl: {
    kind: 'text',
    description: 'How long the block lasts, e.g. 30m, 24h, 7d (empty: blocking.default_ttl).',
    workflow: { type: 'choice', options: ['1h', '4h', '24h', '72h', '7d', '30d', '90d'], default: '24h' },
  },
  target: { kind: 'choice', options: ['all', 'waf', 'cloudflare'], default: 'all', description: 'Where to act: all, waf or cloudflare.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'block-ips',
  title: 'Block IPs',
  summary: 'Blocks addresses and CIDRs on the kit\'s WAFv2 IP sets and Cloudflare list in one run, with an expiry',
  description: "Blocks IPv4/IPv6 addresses and CIDRs on the kit's AWS WAFv2 IP sets and Cloudflare IP list in one audited run, with an expiry.",
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'required',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  // One button for block and unblock: the workflow picks the action by `operation`.
  workflow: ipBlockWorkflow('block-ips.yml', { concurrency: 'firebreak-blocklist-${{ inputs.environment }}-${{ inputs.target }}' }),
  iam: ['kms:GenerateDataKey', 's3:PutObject', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  kitVariables: IP_BLOCK_KIT_VARIABLES,
  drill: 'block-ips',
};
