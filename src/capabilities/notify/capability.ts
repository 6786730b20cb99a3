import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';
import type { CapabilityDefinition } from '../types.js';
import { NOTIFY_SECRETS } from './secrets.js';

export const inputs = defineInputs({
  event: { kind: 'text', description: 'Only this event key (declared, closed, escalate:<role>:<rung>, …); default: every event not yet delivered.' },
});

export { NOTIFY_SECRETS };

export const capability: CapabilityDefinition<typeof inputs> = {
  ...incidentCapability({
  slug: 'notify',
  title: 'Page people and post status',
  summary: 'Pages and posts what happened to the incident (Slack, PagerDuty, Google Chat, SMS, e-mail, Statuspage, webhook), each delivery once',
  description:
    'Delivers the incident events firebreak.yml routes (declared, severity changed, update, ack overdue, escalation rung, deadline warning, resolved, closed) to Slack, PagerDuty, Google Chat, SNS SMS/topics, SES e-mail, Statuspage and signed webhooks. Deliveries already made are skipped; failed ones are retried by running again.',
  inputs,
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    // The bookkeeping jobs' audit-writer role (no reviewers), which the kit gives notify's SNS/SES
    // grants too; the responder role is only for the reviewed environment.
    aws: false,
    environment: { name: 'firebreak-incident' },
    applyByDefault: true,
    permissions: { issues: 'write' },
    secrets: NOTIFY_SECRETS,
    concurrency: 'firebreak-notify-${{ inputs.incident-id }}',
    note: 'Paging must not wait for a reviewer: the environment has no reviewers. SNS and SES go through\nthe audit-writer role (sns:Publish, ses:SendEmail on listed topics/identities only).',
  },
  }),
  // The kit role grants exactly these for notify (infra/components/responder-role.ts).
  iam: ['sns:Publish', 'ses:SendEmail'],
  drill: 'notify',
};
