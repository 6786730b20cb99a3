import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  impact: { kind: 'text', description: 'Impact in plain words.' },
  root_cause: { kind: 'text', description: 'Root cause.' },
  action_items: { kind: 'text', name: 'action-items', description: 'Action items, one per line (each becomes an issue).', cli: { repeatable: true, placeholder: 'text' } },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'write-postmortem',
  title: 'Write the postmortem',
  summary: 'Opens the postmortem PR from the audit trail; action items become issues',
  description: 'Opens the postmortem PR built from the audit trail; action items become issues.',
  status: 'built',
  group: 'incident',
  inputs,
  incident: 'required',
  cliAliases: ['postmortem'],
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: false,
    environment: { name: 'firebreak-incident' },
    applyByDefault: true,
    note: 'Incident bookkeeping only writes to issues and PRs: the environment has no reviewers, so a\nresponder is never blocked at 3 a.m.; it scopes the token\'s use and shows runs per incident.',
    permissions: { contents: 'write', issues: 'write', 'pull-requests': 'write' },
    concurrency: 'firebreak-incident-${{ inputs.incident-id }}',
  },
  iam: [],
  kitVariables: [],
  drill: 'incident',
};
