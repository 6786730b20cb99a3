import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  answers: { kind: 'text', description: 'Checklist ids answered yes, comma separated.' },
  severity: { kind: 'text', description: 'Set the severity directly.' },
  workaround: { kind: 'flag', description: 'A workaround exists.' },
  unsure: { kind: 'flag', description: 'In doubt.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'classify',
  title: 'Classify',
  summary: 'Sets the severity from the checklist of your severity scheme',
  description: 'Classifies the incident from the severity checklist and relabels it.',
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
