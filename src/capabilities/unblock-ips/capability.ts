import { defineInputs } from '../../core/inputs.js';
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
  workflow: { mode: 'hand-written', file: 'block-ips.yml', aws: true, environment: 'pick', secrets: ['CLOUDFLARE_API_TOKEN'], concurrency: 'firebreak-blocklist-${{ inputs.environment }}-${{ inputs.target }}', timeoutMinutes: 15 },
  iam: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  kitVariables: ['awsRegion', 'wafScope', 'wafIpSetV4Id', 'wafIpSetV4Name', 'wafIpSetV6Id', 'wafIpSetV6Name', 'cloudflareAccountId', 'cloudflareListId', 'evidenceBucket', 'evidencePrefix'],
  drill: 'block-ips',
};
