import { ACCESS_KIT_VARIABLES, accessWorkflow } from '../shared/access-capability.js';
import type { CapabilityDefinition } from '../types.js';
import { restoreAccessInputs as inputs } from './inputs.js';

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'restore-access',
  title: 'Restore access',
  summary: 'Puts back exactly what revoke-access recorded for a principal, with a reason; says what cannot be restored',
  description:
    "Restores access that revoke-access removed, from the access ledger and compared with the live state: reactivates the keys that were active, detaches firebreak's policies, enables the Cognito user, invites the GitHub user back with their role and teams. A console password, signed-out sessions and a forced password reset are not restorable; the result says so.",
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: accessWorkflow('firebreak-access-${{ inputs.environment }}'),
  iam: [
    'iam:GetUser',
    'iam:ListAccessKeys',
    'iam:GetLoginProfile',
    'iam:GetUserPolicy',
    'iam:DeleteUserPolicy',
    'iam:UpdateAccessKey',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminEnableUser',
    's3:ListBucket',
    's3:GetObject',
    's3:PutObject',
    'kms:GenerateDataKey',
    'kms:Decrypt',
  ],
  kitVariables: ACCESS_KIT_VARIABLES,
  drill: 'revoke-access',
};
