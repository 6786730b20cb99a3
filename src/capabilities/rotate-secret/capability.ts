import type { CapabilityDefinition } from '../types.js';
import { rotateSecretInputs as inputs } from './inputs.js';

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'rotate-secret',
  title: 'Rotate a secret',
  summary: 'Rotates an AWS Secrets Manager secret (or one JSON key) to a new random value; rollback restores the previous one',
  description:
    'Rotates an AWS Secrets Manager secret (or one key of a JSON secret) to a new random value: staged as AWSPENDING, promoted to AWSCURRENT, the old value kept as AWSPREVIOUS; rollback promotes it back. The value is never shown or recorded.',
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: true,
    environment: 'pick',
    secrets: ['FIREBREAK_FINGERPRINT_KEY'],
    // One rotation per secret at a time; a second run of the same target waits, never interleaves.
    concurrency: 'firebreak-rotate-${{ inputs.environment }}-${{ inputs.target }}',
    timeoutMinutes: 15,
  },
  iam: [
    'secretsmanager:DescribeSecret',
    'secretsmanager:GetSecretValue',
    'secretsmanager:ListSecretVersionIds',
    'secretsmanager:PutSecretValue',
    'secretsmanager:UpdateSecretVersionStage',
    'secretsmanager:GetRandomPassword',
    'ecs:UpdateService',
    'ecs:DescribeServices',
  ],
  kitVariables: ['awsRegion'],
  drill: 'rotate-secret',
};
