import { defineInputs } from '../../core/inputs.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({
  obligation: { kind: 'text', required: true, description: 'Obligation id, e.g. gdpr-authority.' },
  recipient: { kind: 'text', description: 'Who was notified.' },
  sent_at: { kind: 'text', description: 'ISO time with offset (default: now).' },
  reference: { kind: 'text', description: 'Confirmation or case number.' },
  waive_reason: { kind: 'text', description: 'Waive the obligation, with the reason.' },
  delivery: { kind: 'text', description: 'A notify delivery key (nfy-…): its evidence fills recipient, sent_at and reference.' },
});

export const capability = incidentCapability({
  slug: 'record-notification',
  title: 'Record a notification',
  summary: 'Records a regulatory or contractual notification as sent, or waived with a reason',
  description: 'Records that a notification was sent (recipient, time, reference) or waived with a reason.',
  inputs,
  runtime: () => import('./runtime.js').then((m) => m.runtime),
});
