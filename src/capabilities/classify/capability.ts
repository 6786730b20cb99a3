import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({
  answers: { kind: 'text', description: 'Checklist ids answered yes, comma separated.' },
  severity: { kind: 'text', description: 'Set the severity directly.' },
  workaround: { kind: 'flag', description: 'A workaround exists.' },
  unsure: { kind: 'flag', description: 'In doubt.' },
  category: { kind: 'text', description: 'Categories that route escalation (incident.routes), e.g. security, infrastructure; replaces the current ones.' },
});

export const capability = incidentCapability({
  slug: 'classify',
  title: 'Classify',
  summary: 'Sets the severity from the checklist of your severity scheme',
  description: 'Classifies the incident from the severity checklist and relabels it.',
  inputs,
  runtime: () => import('./runtime.js').then((m) => m.runtime),
});
