import type { DrillScenario } from '../scenario.js';
import { auditScenario, auditTrailScenario } from './audit.js';
import { blockIpsScenario } from './block-ips.js';
import { incidentScenario } from './incident.js';
import { rotateSecretScenario } from '../../capabilities/rotate-secret/drill.js';
import { revokeAccessScenario } from '../../capabilities/revoke-access/drill.js';
import { alertsScenario } from '../../alerts/drill.js';

/**
 * Every drill scenario, in run order. A capability keeps its scenario in its own folder
 * (`src/capabilities/<slug>/drill.ts`) and adds ONE line here.
 */
export const SCENARIOS: readonly DrillScenario[] = [
  auditScenario,
  blockIpsScenario,
  incidentScenario,
  rotateSecretScenario,
  revokeAccessScenario,
  alertsScenario,
  auditTrailScenario,
];
