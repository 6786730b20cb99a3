import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({
  audience: { kind: 'choice', options: ['internal', 'external'], default: 'internal', description: 'internal or external (external text is checked for internal details).' },
  kind: { kind: 'choice', options: ['initial', 'update', 'resolved'], default: 'update', description: 'initial, update or resolved.' },
  status: { kind: 'text', description: 'investigating, identified, mitigating, monitoring, stable or resolved.' },
  text: { kind: 'text', description: 'The update.' },
  impact: { kind: 'text', description: 'Impact in plain words.' },
  root_cause: { kind: 'text', description: 'Root cause, if known.' },
  eta: { kind: 'text', description: 'Estimate.' },
  next_update: { kind: 'text', description: 'When the next update comes.' },
  fix_pr: { kind: 'text', description: 'Number of the fix pull request.' },
  facts: { kind: 'text', description: 'Amended incident facts as YAML (merged).', cli: { file: true, placeholder: 'file' } },
});

export const capability = incidentCapability({
  slug: 'post-update',
  title: 'Post an update',
  summary: 'Posts an internal or external status update; internal details in external text are refused',
  description: 'Posts an internal or external status update; external text with internal details is refused.',
  inputs,
  cliAliases: ['update'],
  runtime: () => import('./runtime.js').then((m) => m.runtime),
});
