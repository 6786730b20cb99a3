import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({
  impact: { kind: 'text', description: 'Impact in plain words.' },
  root_cause: { kind: 'text', description: 'Root cause.' },
  action_items: { kind: 'text', name: 'action-items', description: 'Action items, one per line (each becomes an issue).', cli: { repeatable: true, placeholder: 'text' } },
});

export const capability = incidentCapability({
  slug: 'write-postmortem',
  title: 'Write the postmortem',
  summary: 'Opens the postmortem PR from the audit trail; action items become issues',
  description: 'Opens the postmortem PR built from the audit trail; action items become issues.',
  inputs,
  cliAliases: ['postmortem'],
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  permissions: { contents: 'write', issues: 'write', 'pull-requests': 'write' },
});
