import { defineInputs } from '../../core/inputs.js';
import { NOTIFY_SECRETS } from '../notify/secrets.js';
import { incidentCapability } from '../shared/incident-capability.js';

export const inputs = defineInputs({});

export const capability = incidentCapability({
  slug: 'incident-tick',
  title: 'Incident tick',
  summary: 'Posts due reminders, escalations, routes and deadline warnings (kit scheduler every few minutes, */15 fallback; idempotent)',
  description: 'Posts due cadence reminders, escalations, category routes and obligation warnings for open incidents (idempotent per notice and per tick slot; records how late each tick ran).',
  inputs,
  cliAliases: ['tick'],
  cli: 'hand-written',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  // Scheduled and fanned out over open incidents: more than the template. The notify hook runs
  // after each tick (an escalation rung, an overdue ack, a deadline warning pages), so the tick job
  // gets notify's secrets as env, like every incident step the hook follows.
  workflow: { mode: 'hand-written', file: 'incident-tick.yml', aws: false, environment: { name: 'firebreak-incident' }, permissions: { issues: 'write' }, applyByDefault: true, concurrency: 'firebreak-incident-tick-${{ inputs.incident-id }}', secrets: NOTIFY_SECRETS },
});
