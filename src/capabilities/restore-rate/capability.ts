import { defineInputs } from '../../core/inputs.js';
import { EDGE_KIT_VARIABLES, edgeWorkflow } from '../shared/edge-capability.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  reason: { kind: 'text', required: true, description: 'Why the limit goes back (audit record).' },
  target: { kind: 'choice', options: ['all', 'waf', 'cloudflare'], default: 'all', description: 'Where to act: all, waf or cloudflare.' },
  verify: { kind: 'text', description: 'Health checks to run after applying, "none", or empty for rate_limits.verify_after.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'restore-rate',
  title: 'Restore rate',
  summary: 'Puts back exactly the rate limits limit-rate found; a hand change in between needs an override',
  description: 'Restores the rate limits limit-rate changed to exactly their previous values from the edge ledger; refuses (overridable, RATE_CHANGED_BY_HAND) when someone changed them by hand since.',
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: edgeWorkflow('rate'),
  iam: ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRuleGroup', 'wafv2:UpdateRuleGroup'],
  kitVariables: EDGE_KIT_VARIABLES,
  drill: 'routes-and-rate',
};
