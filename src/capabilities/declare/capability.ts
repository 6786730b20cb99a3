import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({
  title: { kind: 'text', required: true, description: 'One-line title of the incident.' },
  slug: { kind: 'text', description: 'Short slug for the id (default: from the title).' },
  summary: { kind: 'text', description: 'What was detected and the first impact estimate.' },
  severity: { kind: 'text', description: 'Severity id (default: classified from answers).' },
  answers: { kind: 'text', description: 'Checklist ids answered yes, comma separated.' },
  workaround: { kind: 'flag', description: 'A workaround exists (lowers one level where the scheme says so).' },
  unsure: { kind: 'flag', description: 'In doubt (raises one level where the scheme says so).' },
  category: { kind: 'text', description: 'Categories that route escalation (incident.routes), e.g. security, infrastructure.' },
  facts: { kind: 'text', description: 'Incident facts as YAML (discovered_at, data_categories, affected_by_state, ...).', cli: { file: true, placeholder: 'file' } },
});

export const capability = incidentCapability({
  slug: 'declare',
  title: 'Declare an incident',
  summary: 'Opens the incident issue: id, labels, roles, acknowledgement deadline, obligations, timeline',
  description: 'Opens the incident issue: id, labels, roles from the roster, acknowledgement deadline, obligations table and Mermaid timeline.',
  inputs,
  incident: 'creates',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  concurrency: 'firebreak-incident-${{ inputs.title }}',
});
