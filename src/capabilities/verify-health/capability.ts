import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  checks: { kind: 'text', description: 'Checks to run (names from firebreak.yml health.checks / health.alarms); empty runs all.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'verify-health',
  title: 'Verify health',
  summary: 'Probes the configured health endpoints and CloudWatch alarms in parallel, read-only',
  description:
    'Probes the health endpoints in firebreak.yml (method, expected status, JSON path or body pattern, headers, timeout, retries with back-off, N successes in a row) and waits for CloudWatch alarms to be OK, in parallel. Read-only.',
  status: 'built',
  group: 'kit',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  // Read-only, but it holds the responder role: one check run per environment at a time.
  workflow: { mode: 'generated', aws: true, environment: 'pick', applyByDefault: true, concurrency: 'firebreak-verify-health-${{ inputs.environment }}', timeoutMinutes: 20 },
  iam: ['cloudwatch:DescribeAlarms'],
  kitVariables: ['awsRegion'],
  drill: 'routes-and-rate',
};
