import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  action: { kind: 'text', required: true, description: 'What was done to stop the bleeding.' },
  note: { kind: 'text', description: 'Details.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'record-containment',
  title: 'Record containment',
  summary: 'Records containment done by hand, so the close gate counts it',
  description: 'Records containment done by hand, so the close gate counts it.',
  status: 'built',
  group: 'incident',
  inputs,
  incident: 'required',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: false,
    environment: { name: 'firebreak-incident' },
    applyByDefault: true,
    note: 'Incident bookkeeping only writes to issues and PRs: the environment has no reviewers, so a\nresponder is never blocked at 3 a.m.; it scopes the token\'s use and shows runs per incident.',
    permissions: { issues: 'write' },
    concurrency: 'firebreak-incident-${{ inputs.incident-id }}',
  },
  iam: [],
  kitVariables: [],
  drill: 'incident',
};
