import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  indicators: {
    kind: 'text',
    required: true,
    maxLength: 200_000,
    description: 'Indicators, one per line as kind:value: ip, cidr, user, account, token, event, correlation, text, regex.',
    cli: { file: true, placeholder: 'file' },
  },
  sources: {
    kind: 'text',
    required: true,
    maxLength: 20_000,
    description:
      'What to search, one per line (or comma separated): a local file or folder (.gz read as gzip), evidence:<path> (objects the incident preserved, e.g. evidence:logs/), or logs:<group> (a CloudWatch Logs Insights query over from/to).',
  },
  subjectField: { kind: 'text', maxLength: 200, description: 'Field naming the affected person (user_id, patient_id, participant_id; dotted for nested). Their distinct count is reported; the list goes to evidence only.' },
  sourceField: { kind: 'text', maxLength: 200, description: 'Field counted as a hit\'s source (e.g. src_ip, host). Default: the file or object.' },
  timeField: { kind: 'text', maxLength: 200, description: 'Field holding the record time. Default: timestamp, time, @timestamp, ts, eventTime, date.' },
  from: { kind: 'text', maxLength: 40, description: 'logs: sources only: start of the window (ISO 8601 with offset).' },
  to: { kind: 'text', maxLength: 40, description: 'logs: sources only: end of the window. Empty: now.' },
  factsField: { kind: 'choice', options: ['none', 'eu_subjects'], default: 'none', description: 'Write the affected count into an incident facts file under this key (for post-update --facts and the clocks).' },
  out: { kind: 'text', maxLength: 1024, description: 'Local folder for the report, the subject list and the facts file when there is no evidence bucket or incident (default .firebreak/triage).' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'triage',
  title: 'Triage logs',
  summary: 'Searches logs (files, gzip, preserved evidence, CloudWatch) for indicators and counts the distinct people affected',
  description:
    'Streams NDJSON, nested JSON and plain-text logs (local files, gzip, evidence-store objects, or a CloudWatch Logs Insights query) for indicators: addresses and CIDRs, user and account ids, tokens, event types, correlation ids, regexes. Reports hits per indicator, first and last seen, top sources, and the number of distinct affected subjects; the subject list goes to the evidence store, never onto the issue.',
  status: 'built',
  group: 'evidence',
  inputs,
  incident: 'optional',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: true,
    environment: 'pick',
    applyByDefault: true,
    // Each run keeps its own report folder; one triage per incident at a time keeps the facts file unambiguous.
    concurrency: 'firebreak-triage-${{ inputs.environment }}-${{ inputs.incident-id }}',
    timeoutMinutes: 120,
  },
  iam: ['s3:ListBucket', 's3:GetObject', 's3:PutObject', 'kms:Decrypt', 'kms:GenerateDataKey', 'logs:StartQuery', 'logs:GetQueryResults'],
  kitVariables: ['awsRegion', 'evidenceBucket', 'evidencePrefix'],
  drill: 'evidence',
};
