import { defineInputs } from '../../core/inputs.js';
import { EDGE_KIT_VARIABLES, edgeWorkflow } from '../shared/edge-capability.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  limit: { kind: 'text', required: true, description: 'Requests per window per client IP, e.g. 20 (WAF accepts 10 to 2,000,000,000).', cli: { positional: true, placeholder: 'limit' } },
  window: { kind: 'text', description: 'WAF evaluation window: 60, 120, 300 or 600 seconds (1m, 2m, 5m, 10m); empty keeps the current one.' },
  scope: { kind: 'text', description: 'Only count requests on these routes (one per line, at most 2 on WAF); empty keeps the current scope.' },
  cloudflarePeriod: { kind: 'text', description: 'Cloudflare counting period in seconds (Free plan: 10); empty keeps the current one. The limit is scaled to it.' },
  reason: { kind: 'text', required: true, description: 'Why the limit changes (audit record and edge ledger).' },
  target: { kind: 'choice', options: ['all', 'waf', 'cloudflare'], default: 'all', description: 'Where to act: all, waf or cloudflare.' },
  verify: { kind: 'text', description: 'Health checks to run after applying, "none", or empty for rate_limits.verify_after.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'limit-rate',
  title: 'Limit rate',
  summary: "Tightens the kit's per-IP rate limit on WAF and Cloudflare, remembering the previous values",
  description: "Changes the kit's per-IP rate limit (WAF rate-based rule: limit, window, scope-down; Cloudflare rate-limiting rule) and records the previous values in the audit record and the edge ledger for restore-rate.",
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'required',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: edgeWorkflow('rate'),
  iam: ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRuleGroup', 'wafv2:UpdateRuleGroup'],
  kitVariables: EDGE_KIT_VARIABLES,
  drill: 'routes-and-rate',
};
