import type { RunbookFixture } from './fixture.js';
import { alertFixture } from './alert-step.js';
import { declareFixture } from '../../capabilities/declare/runbook-fixture.js';
import { classifyFixture } from '../../capabilities/classify/runbook-fixture.js';
import { closeIncidentFixture } from '../../capabilities/close-incident/runbook-fixture.js';
import { incidentTickFixture } from '../../capabilities/incident-tick/runbook-fixture.js';
import { notifyFixture } from '../../capabilities/notify/runbook-fixture.js';
import { postUpdateFixture } from '../../capabilities/post-update/runbook-fixture.js';
import { recordNotificationFixture } from '../../capabilities/record-notification/runbook-fixture.js';
import { writePostmortemFixture } from '../../capabilities/write-postmortem/runbook-fixture.js';
import { blockIpsFixture } from '../../capabilities/block-ips/runbook-fixture.js';
import { disableRoutesFixture } from '../../capabilities/disable-routes/runbook-fixture.js';
import { enableRoutesFixture } from '../../capabilities/enable-routes/runbook-fixture.js';
import { limitRateFixture } from '../../capabilities/limit-rate/runbook-fixture.js';
import { restoreRateFixture } from '../../capabilities/restore-rate/runbook-fixture.js';
import { verifyHealthFixture } from '../../capabilities/verify-health/runbook-fixture.js';
import { freezeFixture } from '../../capabilities/freeze/runbook-fixture.js';
import { unfreezeFixture } from '../../capabilities/unfreeze/runbook-fixture.js';
import { preserveEvidenceFixture } from '../../capabilities/preserve-evidence/runbook-fixture.js';
import { verifyEvidenceFixture } from '../../capabilities/verify-evidence/runbook-fixture.js';
import { triageFixture } from '../../capabilities/triage/runbook-fixture.js';
import { runCommandFixture } from '../../capabilities/run-command/runbook-fixture.js';
import { isolateFixture, releaseFixture } from '../../capabilities/isolate/runbook-fixture.js';
import { rollbackFixture } from '../../capabilities/rollback/runbook-fixture.js';
import { rotateSecretFixture } from '../../capabilities/rotate-secret/runbook-fixture.js';
import { revokeAccessFixture } from '../../capabilities/revoke-access/runbook-fixture.js';
import { restoreAccessFixture } from '../../capabilities/restore-access/runbook-fixture.js';
import { restartServiceFixture } from '../../capabilities/restart-service/runbook-fixture.js';
import { unblockIpsFixture } from '../../capabilities/unblock-ips/runbook-fixture.js';
import { sweepExpiredFixture } from '../../capabilities/sweep-expired/runbook-fixture.js';
import { recordContainmentFixture } from '../../capabilities/record-containment/runbook-fixture.js';

/**
 * Every capability a runbook drill can run, by slug: ONE line each, the fixture living in the
 * capability's folder (`src/capabilities/<slug>/runbook-fixture.ts`). A runbook whose plan names a
 * capability without a line here is refused before anything starts (RUNBOOK_NOT_DRILLABLE).
 */
export const RUNBOOK_FIXTURES: Readonly<Record<string, RunbookFixture>> = {
  alert: alertFixture,
  declare: declareFixture,
  classify: classifyFixture,
  'post-update': postUpdateFixture,
  'incident-tick': incidentTickFixture,
  'record-notification': recordNotificationFixture,
  'write-postmortem': writePostmortemFixture,
  'close-incident': closeIncidentFixture,
  notify: notifyFixture,
  'block-ips': blockIpsFixture,
  'disable-routes': disableRoutesFixture,
  'enable-routes': enableRoutesFixture,
  'limit-rate': limitRateFixture,
  'restore-rate': restoreRateFixture,
  'verify-health': verifyHealthFixture,
  freeze: freezeFixture,
  unfreeze: unfreezeFixture,
  'preserve-evidence': preserveEvidenceFixture,
  'verify-evidence': verifyEvidenceFixture,
  triage: triageFixture,
  'run-command': runCommandFixture,
  isolate: isolateFixture,
  release: releaseFixture,
  rollback: rollbackFixture,
  'rotate-secret': rotateSecretFixture,
  'revoke-access': revokeAccessFixture,
  'restore-access': restoreAccessFixture,
  'restart-service': restartServiceFixture,
  'unblock-ips': unblockIpsFixture,
  'sweep-expired': sweepExpiredFixture,
  'record-containment': recordContainmentFixture,
};
