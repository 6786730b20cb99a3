import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  fix_pr: { kind: 'text', description: 'Number of the fix pull request (must be merged).' },
  summary: { kind: 'text', description: 'Closing summary.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'close-incident',
  title: 'Close the incident',
  summary: 'Closes the incident once containment, notifications, the fix and the postmortem PR are in',
  description: 'Closes the incident once containment, notifications, the merged fix and the postmortem PR are recorded (or with an audited override).',
  status: 'built',
  group: 'incident',
  inputs,
  incident: 'required',
  cliAliases: ['close'],
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: false,
    environment: { name: 'firebreak-incident' },
    applyByDefault: true,
    note: 'Incident bookkeeping only writes to issues and PRs: the environment has no reviewers, so a\nresponder is never blocked at 3 a.m.; it scopes the token\'s use and shows runs per incident.',
    permissions: { issues: 'write', 'pull-requests': 'read' },
    concurrency: 'firebreak-incident-${{ inputs.incident-id }}',
  },
  iam: [],
  kitVariables: [],
  drill: 'incident',
};
