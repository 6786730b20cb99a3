import { ACCESS_KIT_VARIABLES, accessWorkflow } from '../shared/access-capability.js';
import type { CapabilityDefinition } from '../types.js';
import { revokeAccessInputs as inputs } from './inputs.js';

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'revoke-access',
  title: 'Revoke access',
  summary: 'Cuts off IAM users and roles, Cognito users and GitHub organisation members, recording what changed so restore-access can put it back',
  description:
    'Revokes access: IAM users (deny-all inline policy, access keys inactive, console login deleted), IAM roles (sessions issued before now denied), Cognito users (password reset forced, signed out, disabled), GitHub users (invitations cancelled; removed from the organisation or teams, or made outside collaborators). What each change replaced is kept in the access ledger for restore-access.',
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
    'iam:PutUserPolicy',
    'iam:UpdateAccessKey',
    'iam:DeleteLoginProfile',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:PutRolePolicy',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminResetUserPassword',
    'cognito-idp:AdminUserGlobalSignOut',
    'cognito-idp:AdminDisableUser',
    'sts:GetCallerIdentity',
    's3:ListBucket',
    's3:GetObject',
    's3:PutObject',
    'kms:GenerateDataKey',
    'kms:Decrypt',
  ],
  kitVariables: ACCESS_KIT_VARIABLES,
  drill: 'revoke-access',
};
