import type { CapabilityDefinition } from '../types.js';
import { rollbackInputs as inputs } from './inputs.js';

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'rollback',
  title: 'Roll back a bad deploy',
  summary: 'Rolls back to the last known-good version: GitHub deployment or restoring PR, ECS task definition, Workers version, Argo CD history',
  description:
    'Rolls a bad deploy back to the last known-good version: a GitHub deployment of the last good commit (or a pull request / push restoring its tree), the previous ACTIVE ECS task definition revision (waiting for steady state), the previous Workers version at 100%, or an earlier Argo CD history id. A re-run of an applied rollback changes nothing.',
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
    // A deployment created with GITHUB_TOKEN starts no workflow: the App token's does.
    secrets: ['FIREBREAK_GITHUB_TOKEN', 'CLOUDFLARE_API_TOKEN', 'ARGOCD_AUTH_TOKEN'],
    concurrency: 'firebreak-rollback-${{ inputs.target }}',
    note: 'GitHub writes use the App token in FIREBREAK_GITHUB_TOKEN: a deployment created with GITHUB_TOKEN would not start the deploy workflow.',
    timeoutMinutes: 130,
  },
  iam: ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions', 'ecs:ListTagsForResource', 'ecs:TagResource'],
  kitVariables: ['awsRegion', 'cloudflareAccountId', 'argocdServer'],
  drill: 'rollback',
};
