import type { DrillScenario } from '../scenario.js';
import { auditScenario, auditTrailScenario } from './audit.js';
import { blockIpsScenario } from './block-ips.js';
import { fleetScenario } from './fleet.js';
import { incidentScenario } from './incident.js';
import { rotateSecretScenario } from '../../capabilities/rotate-secret/drill.js';
import { revokeAccessScenario } from '../../capabilities/revoke-access/drill.js';
import { rollbackScenario } from '../../capabilities/rollback/drill.js';
import { freezeScenario } from '../../capabilities/freeze/drill.js';
import { isolateScenario } from '../../capabilities/isolate/drill.js';
import { restartServiceScenario } from '../../capabilities/restart-service/drill.js';
import { runCommandScenario } from '../../capabilities/run-command/drill.js';
import { routesAndRateScenario } from '../../capabilities/disable-routes/drill.js';
import { evidenceScenario } from '../../capabilities/preserve-evidence/drill.js';
import { notifyScenario } from '../../capabilities/notify/drill.js';
import { alertsScenario } from '../../alerts/drill.js';

/**
 * Every drill scenario, in run order. A capability keeps its scenario in its own folder
 * (`src/capabilities/<slug>/drill.ts`) and adds ONE line here.
 */
export const SCENARIOS: readonly DrillScenario[] = [
  auditScenario,
  blockIpsScenario,
  fleetScenario,
  incidentScenario,
  rotateSecretScenario,
  revokeAccessScenario,
  rollbackScenario,
  freezeScenario,
  isolateScenario,
  restartServiceScenario,
  runCommandScenario,
  routesAndRateScenario,
  // Before evidence: notify reads what SNS/SES sent from moto's /moto-api/data.json, which moto 5.2.1
  // cannot serialise (HTTP 500) once the evidence scenario's snapshots exist.
  notifyScenario,
  evidenceScenario,
  alertsScenario,
  auditTrailScenario,
];
