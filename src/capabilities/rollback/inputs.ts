import { defineInputs } from '../../core/inputs.js';

/** rollback's inputs: the one declaration the action, workflow and CLI shells are generated from. */
export const rollbackInputs = defineInputs({
  target: {
    kind: 'text',
    required: true,
    maxLength: 1024,
    description:
      'What to roll back: github:environment:<env>, github:branch:<branch>, aws:ecs-service:<cluster>/<service>, cloudflare:worker:<script>, argocd:application:<name>',
    cli: { positional: true, placeholder: 'TARGET' },
  },
  to: {
    kind: 'text',
    maxLength: 200,
    description:
      'The known-good version: a commit SHA (GitHub), a task definition revision, family:revision or ARN (ECS), a version id (Workers), a history id (Argo CD). Empty: the previous one.',
  },
  method: {
    kind: 'choice',
    options: ['deployment', 'pull-request', 'push'],
    default: 'deployment',
    description:
      'GitHub only: create a deployment of the known-good commit (your deploy workflow runs on `deployment`), open a pull request restoring its tree, or push that commit to the branch (refused by branch protection).',
  },
  branch: {
    kind: 'text',
    maxLength: 255,
    description: 'GitHub pull-request/push: the branch to restore the known-good tree on (default: the repository default branch).',
  },
  force: {
    kind: 'flag',
    default: false,
    description: 'Workers only: deploy the version even though secrets or bindings changed since it was live (Cloudflare error 10220).',
  },
  waitMinutes: {
    kind: 'text',
    default: '15',
    maxLength: 3,
    description: 'ECS only: how long to wait for the service to reach steady state (1-120 minutes).',
  },
  verify: {
    kind: 'text',
    maxLength: 1000,
    description: 'Health checks to run after the rollback is applied (names from firebreak.yml health:), "none", or empty for rollback.verify_after.',
  },
  rollbackId: {
    kind: 'text',
    maxLength: 128,
    description: 'Names this rollback so a re-run finishes it instead of rolling back twice. Default: the workflow run, else the incident.',
  },
});
