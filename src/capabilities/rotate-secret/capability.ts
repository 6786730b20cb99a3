import type { CapabilityDefinition } from '../types.js';
import { rotateSecretInputs as inputs } from './inputs.js';

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'rotate-secret',
  title: 'Rotate a secret',
  summary:
    'Rotates a secret (Secrets Manager, GitHub Actions, Vault KV v2; an Atlas user password through Secrets Manager), revokes a Vault token or leases, locks out an Atlas user or drops an access-list entry, then restarts the ECS services that read it',
  description:
    'Rotates a secret to a new generated value and restarts the ECS services that read it: Secrets Manager (staged as AWSPENDING, optionally set as an Atlas database user password, promoted to AWSCURRENT, AWSPREVIOUS kept), GitHub Actions repository/environment secrets (sealed box), Vault KV v2 (one key, check-and-set). Also revokes a Vault token by accessor or leases by prefix, locks an Atlas database user out, removes an Atlas IP access-list entry. Rollback restores the previous version where the store keeps one. The value is never shown or recorded.',
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
    // FIREBREAK_GITHUB_TOKEN: GITHUB_TOKEN cannot write Actions secrets (docs/responders/rotate-secret.md).
    secrets: ['FIREBREAK_FINGERPRINT_KEY', 'FIREBREAK_GITHUB_TOKEN', 'VAULT_ADDR', 'VAULT_TOKEN', 'VAULT_NAMESPACE', 'FIREBREAK_ATLAS_CLIENT_ID', 'FIREBREAK_ATLAS_CLIENT_SECRET'],
    // One rotation per secret at a time; a second run of the same target waits, never interleaves.
    concurrency: 'firebreak-rotate-${{ inputs.environment }}-${{ inputs.target }}',
    // restart-timeout-minutes is at most 20; services are watched side by side.
    timeoutMinutes: 30,
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
