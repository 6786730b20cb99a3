import { defineInputs } from '../../core/inputs.js';

/** freeze's inputs: the declaration the action, workflow and CLI shells are generated from. */
export const freezeInputs = defineInputs({
  workflows: {
    kind: 'text',
    maxLength: 4000,
    description: 'Deploy workflows to disable, by file name (deploy.yml), comma or newline separated. Empty: INCIDENT_MODE only.',
    cli: { repeatable: true, placeholder: 'FILE' },
  },
  variableEnvironment: {
    kind: 'text',
    maxLength: 255,
    description: 'Set INCIDENT_MODE=1 on this GitHub environment instead of the repository.',
  },
  lockEnvironment: {
    kind: 'text',
    maxLength: 255,
    description: 'Lock this deploy environment: no branch or tag may deploy to it until unfreeze (its deployment branch policy becomes "custom, none listed").',
  },
});

export const unfreezeInputs = defineInputs({});
