import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({
  action: { kind: 'text', required: true, description: 'What was done to stop the bleeding.' },
  note: { kind: 'text', description: 'Details.' },
});

export const capability = incidentCapability({
  slug: 'record-containment',
  title: 'Record containment',
  summary: 'Records containment done by hand, so the close gate counts it',
  description: 'Records containment done by hand, so the close gate counts it.',
  inputs,
  runtime: () => import('./runtime.js').then((m) => m.runtime),
});
