import { defineInputs } from '../../core/inputs.js';
import { EDGE_KIT_VARIABLES, edgeWorkflow } from '../shared/edge-capability.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  routes: {
    kind: 'text',
    description: 'Routes to enable, as they were disabled (one per line); empty: everything the incident disabled.',
    cli: { positional: true, variadic: true, placeholder: '[routes...]' },
  },
  reason: { kind: 'text', required: true, description: 'Why the routes come back (audit record).' },
  target: { kind: 'choice', options: ['all', 'waf', 'cloudflare'], default: 'all', description: 'Where to act: all, waf or cloudflare.' },
  verify: { kind: 'text', description: 'Health checks to run after applying (names from firebreak.yml health:), "none", or empty for routes.verify_after.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'enable-routes',
  title: 'Enable routes',
  summary: 'Brings back exactly the routes disable-routes switched off (by route, or all of an incident)',
  description: 'Re-enables routes disabled by disable-routes: removes exactly their WAF patterns and rebuilds the Cloudflare expression from what remains (disabled when empty).',
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: edgeWorkflow('routes'),
  iam: ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRegexPatternSet', 'wafv2:UpdateRegexPatternSet'],
  kitVariables: EDGE_KIT_VARIABLES,
  drill: 'routes-and-rate',
};
