import { defineInputs } from '../../core/inputs.js';
import { EDGE_KIT_VARIABLES, edgeWorkflow } from '../shared/edge-capability.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  routes: {
    kind: 'text',
    required: true,
    description: 'Routes, one per line: /admin/*, /erase/<id>, POST /export/*, api.example.com/export/* (methods and hosts: Cloudflare only).',
    cli: { positional: true, variadic: true, placeholder: 'routes...' },
  },
  reason: { kind: 'text', required: true, description: 'Why these routes are switched off (audit record and edge ledger).' },
  target: { kind: 'choice', options: ['all', 'waf', 'cloudflare'], default: 'all', description: 'Where to act: all, waf or cloudflare.' },
  verify: { kind: 'text', description: 'Health checks to run after applying (names from firebreak.yml health:), "none", or empty for routes.verify_after.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'disable-routes',
  title: 'Disable routes',
  summary: "Switches routes off at the edge: the WAF kill-switch answers 503 with retry-after, Cloudflare's 403",
  description:
    "Disables routes at the edge: compiled into the kit's WAF regex pattern set (503 + retry-after) and the Cloudflare kill-switch rule's expression (403; Cloudflare blocks with 4xx only). Refuses match-everything and protected routes unless overridden.",
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'required',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: edgeWorkflow('routes'),
  iam: ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRegexPatternSet', 'wafv2:GetRuleGroup', 'wafv2:UpdateRegexPatternSet', 'wafv2:UpdateRuleGroup'],
  kitVariables: EDGE_KIT_VARIABLES,
  drill: 'routes-and-rate',
};
