import { defineInputs } from '../../core/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const inputs = defineInputs({
  obligation: { kind: 'text', required: true, description: 'Obligation id, e.g. gdpr-authority.' },
  recipient: { kind: 'text', description: 'Who was notified.' },
  sent_at: { kind: 'text', description: 'ISO time with offset (default: now).' },
  reference: { kind: 'text', description: 'Confirmation or case number.' },
  waive_reason: { kind: 'text', description: 'Waive the obligation, with the reason.' },
});

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'record-notification',
  title: 'Record a notification',
  summary: 'Records a regulatory or contractual notification as sent, or waived with a reason',
  description: 'Records that a notification was sent (recipient, time, reference) or waived with a reason.',
  status: 'built',
  group: 'incident',
  inputs,
  incident: 'required',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: false,
    environment: { name: 'firebreak-incident' },
    applyByDefault: true,
    note: 'Incident bookkeeping only writes to issues and PRs: the environment has no reviewers, so a\nresponder is never blocked at 3 a.m.; it scopes the token\'s use and shows runs per incident.',
    permissions: { issues: 'write' },
    concurrency: 'firebreak-incident-${{ inputs.incident-id }}',
  },
  iam: [],
  kitVariables: [],
  drill: 'incident',
};
