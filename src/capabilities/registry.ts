import type { CapabilityDefinition, CapabilityGroup } from './types.js';
import { capability as blockIps } from './block-ips/capability.js';
import { capability as classify } from './classify/capability.js';
import { capability as closeIncident } from './close-incident/capability.js';
import { capability as declare } from './declare/capability.js';
import { capability as incidentTick } from './incident-tick/capability.js';
import { capability as notify } from './notify/capability.js';
import { capability as postUpdate } from './post-update/capability.js';
import { capability as preflight } from './preflight/capability.js';
import { capability as recordContainment } from './record-containment/capability.js';
import { capability as recordNotification } from './record-notification/capability.js';
import { capability as rotateSecret } from './rotate-secret/capability.js';
import { capability as sweepExpired } from './sweep-expired/capability.js';
import { capability as unblockIps } from './unblock-ips/capability.js';
import { capability as writePostmortem } from './write-postmortem/capability.js';

/**
 * Every capability, one line each, in the order the button list shows them. Adding a capability is
 * its folder (capability.ts with the input schema and shape, step.ts, ports, tests) plus a line
 * here; `npm run generate` writes its action.yml, README, workflow and the docs matrix.
 */
export const CAPABILITIES: readonly CapabilityDefinition[] = [
  blockIps,
  unblockIps,
  sweepExpired,
  rotateSecret,
  declare,
  classify,
  postUpdate,
  recordNotification,
  recordContainment,
  incidentTick,
  notify,
  closeIncident,
  writePostmortem,
  preflight,
];

/** Named in the open issues and in the seeds' runbooks; shown in the matrix as planned, never as buttons. */
export const PLANNED: ReadonlyArray<{ slug: string; title: string; group: CapabilityGroup; plannedIn: number }> = [
  { slug: 'rotate-secret (GitHub, Vault, Atlas; ECS restart)', title: 'Rotate GitHub, Vault and Atlas secrets and restart their consumers', group: 'containment', plannedIn: 11 },
  { slug: 'revoke-access', title: 'Revoke access (IAM, Cognito, GitHub) and restore it deliberately', group: 'containment', plannedIn: 11 },
  { slug: 'disable-routes', title: 'Disable and re-enable routes at the edge', group: 'containment', plannedIn: 12 },
  { slug: 'limit-rate', title: 'Tighten and restore rate limits', group: 'containment', plannedIn: 12 },
  { slug: 'rollback', title: 'Roll back a bad deploy', group: 'containment', plannedIn: 13 },
  { slug: 'isolate', title: 'Isolate and restart compute', group: 'containment', plannedIn: 13 },
  { slug: 'freeze-deploys', title: 'Freeze and unfreeze deploys', group: 'containment', plannedIn: 13 },
  { slug: 'preserve-evidence', title: 'Preserve evidence with a chain of custody', group: 'evidence', plannedIn: 14 },
  { slug: 'triage', title: 'Triage logs for indicators', group: 'evidence', plannedIn: 14 },
];

export function capabilityBySlug(slug: string): CapabilityDefinition | undefined {
  return CAPABILITIES.find((c) => c.slug === slug);
}
