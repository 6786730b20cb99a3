import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({
  fix_pr: { kind: 'text', description: 'Number of the fix pull request (must be merged).' },
  summary: { kind: 'text', description: 'Closing summary.' },
});

export const capability = incidentCapability({
  slug: 'close-incident',
  title: 'Close the incident',
  summary: 'Closes the incident once containment, notifications, the fix and the postmortem PR are in',
  description: 'Closes the incident once containment, notifications, the merged fix and the postmortem PR are recorded (or with an audited override).',
  inputs,
  cliAliases: ['close'],
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  permissions: { issues: 'write', 'pull-requests': 'read' },
});
