import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  target: {
    kind: 'text',
    required: true,
    maxLength: 1024,
    description: 'The service: aws:ecs-service:cluster/service[@account/region]',
    cli: { positional: true, placeholder: 'aws:ecs-service:CLUSTER/SERVICE' },
  },
  count: {
    kind: 'text',
    maxLength: 4,
    description: 'Set the desired count to this many tasks (0-1000). Empty: keep it.',
  },
  restart: {
    kind: 'flag',
    default: true,
    description: 'Force a new deployment: every task is replaced from the same task definition (picks up rotated secrets, clears a bad state).',
  },
  wait: {
    kind: 'flag',
    default: true,
    description: 'Wait until the service is steady (one deployment, running = desired), with progress.',
  },
  timeoutMinutes: {
    kind: 'text',
    default: '15',
    maxLength: 2,
    description: 'How long to wait for steady state (1-60 minutes).',
  },
  verify: {
    kind: 'text',
    maxLength: 1000,
    description: 'Health checks to run after the restart/scale is applied (names from firebreak.yml health:), "none", or empty for restart_service.verify_after.',
  },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'restart-service',
  title: 'Restart or scale a service',
  summary: 'Forces a new ECS deployment and/or sets the desired count, then waits for steady state with progress',
  description:
    'Restarts an ECS service (force a new deployment: every task replaced from the same definition) and/or sets its desired count, then waits until it is steady by the services-stable rule (one deployment, running = desired), reporting progress. A rollout already in progress is waited for, not restarted again.',
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
    concurrency: 'firebreak-restart-${{ inputs.environment }}-${{ inputs.target }}',
    timeoutMinutes: 75,
  },
  iam: ['ecs:DescribeServices', 'ecs:UpdateService'],
  kitVariables: ['awsRegion'],
  drill: 'restart-service',
};
