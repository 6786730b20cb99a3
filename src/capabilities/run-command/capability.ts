import { defineInputs } from '../../core/inputs.js';
import { CATALOGUE_NAMES } from '../../core/run-command/catalogue.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  document: {
    kind: 'choice',
    options: CATALOGUE_NAMES,
    default: 'host-health',
    description: `The vetted command to run: ${CATALOGUE_NAMES.join(', ')} (docs/responders/run-command.md lists their parameters).`,
    cli: { positional: true, placeholder: 'DOCUMENT' },
  },
  instances: {
    kind: 'text',
    required: true,
    maxLength: 4000,
    description: 'Hosts to run it on: aws:instance:i-… targets separated by spaces, commas or newlines (at most 50).',
    cli: { repeatable: true, placeholder: 'aws:instance:i-…' },
  },
  parameters: {
    kind: 'text',
    maxLength: 4000,
    description: 'The document’s parameters, name=value, one per line (checked against the document’s schema before anything is sent).',
    cli: { repeatable: true, placeholder: 'name=value' },
  },
  timeoutMinutes: {
    kind: 'text',
    default: '10',
    maxLength: 2,
    description: 'How long to wait for the output (1-60 minutes).',
  },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'run-command',
  title: 'Run a vetted host command',
  summary: 'Runs one of the kit’s vetted SSM documents (host health, docker compose restart, docker stats, long Postgres queries) on hosts, never free text; output into evidence and the summary',
  description:
    'Runs a vetted command on EC2 hosts through AWS Systems Manager Run Command, using an SSM document the kit provisions (a fixed catalogue with typed parameters), never free text. Refuses documents outside the catalogue or whose provisioned content differs from it, checks every parameter against the document’s schema and its own rules before sending, and collects each host’s output (clipped and redacted) into the summary and the evidence bucket.',
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
    // One command per document at a time: two restarts of the same service must not interleave.
    concurrency: 'firebreak-run-command-${{ inputs.environment }}-${{ inputs.document }}',
    timeoutMinutes: 75,
  },
  iam: ['ssm:GetDocument', 'ssm:SendCommand', 'ssm:GetCommandInvocation', 's3:PutObject', 'kms:GenerateDataKey'],
  kitVariables: ['awsRegion', 'ssmDocumentPrefix', 'evidenceBucket', 'evidencePrefix'],
  drill: 'run-command',
};
