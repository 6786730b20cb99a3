import { freezeWorkflow } from '../freeze/capability.js';
import { unfreezeInputs as inputs } from '../freeze/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'unfreeze',
  title: 'Unfreeze deploys',
  summary: 'Restores INCIDENT_MODE, the deploy workflows and the deploy environment exactly as they were before freeze',
  description:
    'Undoes freeze from the record it wrote: a variable that existed gets its old value back (one that did not is deleted), workflows disabled before the freeze stay disabled, the environment gets its prior protection settings.',
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: freezeWorkflow('firebreak-freeze-${{ github.repository }}'),
  iam: [],
  kitVariables: [],
  drill: 'freeze',
};
