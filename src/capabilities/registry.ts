import type { CapabilityDefinition, CapabilityGroup } from './types.js';
import { capability as blockIps } from './block-ips/capability.js';
import { capability as classify } from './classify/capability.js';
import { capability as closeIncident } from './close-incident/capability.js';
import { capability as declare } from './declare/capability.js';
import { capability as freeze } from './freeze/capability.js';
import { capability as incidentTick } from './incident-tick/capability.js';
import { capability as isolate } from './isolate/capability.js';
import { capability as disableRoutes } from './disable-routes/capability.js';
import { capability as enableRoutes } from './enable-routes/capability.js';
import { capability as limitRate } from './limit-rate/capability.js';
import { capability as notify } from './notify/capability.js';
import { capability as postUpdate } from './post-update/capability.js';
import { capability as preflight } from './preflight/capability.js';
import { capability as preserveEvidence } from './preserve-evidence/capability.js';
import { capability as recordContainment } from './record-containment/capability.js';
import { capability as recordNotification } from './record-notification/capability.js';
import { capability as restoreAccess } from './restore-access/capability.js';
import { capability as revokeAccess } from './revoke-access/capability.js';
import { capability as rollback } from './rollback/capability.js';
import { capability as release } from './release/capability.js';
import { capability as restartService } from './restart-service/capability.js';
import { capability as restoreRate } from './restore-rate/capability.js';
import { capability as rotateSecret } from './rotate-secret/capability.js';
import { capability as runCommand } from './run-command/capability.js';
import { capability as sweepExpired } from './sweep-expired/capability.js';
import { capability as triage } from './triage/capability.js';
import { capability as unblockIps } from './unblock-ips/capability.js';
import { capability as unfreeze } from './unfreeze/capability.js';
import { capability as verifyHealth } from './verify-health/capability.js';
import { capability as verifyEvidence } from './verify-evidence/capability.js';
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
  revokeAccess,
  restoreAccess,
  rollback,
  freeze,
  unfreeze,
  isolate,
  release,
  restartService,
  runCommand,
  disableRoutes,
  enableRoutes,
  limitRate,
  restoreRate,
  verifyHealth,
  preserveEvidence,
  verifyEvidence,
  triage,
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
];

export function capabilityBySlug(slug: string): CapabilityDefinition | undefined {
  return CAPABILITIES.find((c) => c.slug === slug);
}
