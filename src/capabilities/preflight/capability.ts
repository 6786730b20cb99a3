import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  checks: { kind: 'text', description: 'Checks to run: aws, variables (comma or newline separated). Empty runs all.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'preflight',
  title: 'Preflight',
  summary: 'Checks, read-only, that a responder can act (AWS identity, kit variables)',
  description: 'Checks, read-only, that the responder can act (AWS identity, kit variables).',
  status: 'built',
  group: 'kit',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: { mode: 'hand-written', file: 'preflight.yml', aws: true, environment: 'pick', applyByDefault: true },
  iam: ['sts:GetCallerIdentity'],
  kitVariables: ['awsRegion', 'responderRoleArn'],
};
