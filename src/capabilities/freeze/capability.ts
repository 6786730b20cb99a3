import type { CapabilityDefinition, WorkflowShape } from '../types.js';
import { freezeInputs as inputs } from './inputs.js';

/**
 * Writing variables, workflows' enabled state and environments needs a GitHub App installation
 * token (FIREBREAK_GITHUB_TOKEN): GITHUB_TOKEN has no permission for variables or environments.
 */
export const freezeWorkflow = (concurrency: string): WorkflowShape => ({
  mode: 'generated',
  // No AWS call of its own: the responder role is assumed for the audit record's copy in the
  // evidence bucket, as every job in a reviewer-gated environment does.
  aws: true,
  environment: 'pick',
  secrets: ['FIREBREAK_GITHUB_TOKEN'],
  // freeze and unfreeze share a group: an unfreeze never interleaves with a freeze.
  concurrency,
  note: 'Writes variables, workflows and environments with the App token in FIREBREAK_GITHUB_TOKEN (GITHUB_TOKEN cannot).',
  timeoutMinutes: 10,
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'freeze',
  title: 'Freeze deploys',
  summary: 'Sets INCIDENT_MODE=1, disables the deploy workflows and optionally locks the deploy environment; unfreeze restores the prior state',
  description:
    'Freezes deploys during an incident: sets INCIDENT_MODE=1 (repository or environment variable), disables the listed deploy workflows and optionally locks the deploy environment. The prior state is recorded first, so unfreeze restores exactly it.',
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
