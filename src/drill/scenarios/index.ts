import type { DrillScenario } from '../scenario.js';
import { auditScenario, auditTrailScenario } from './audit.js';
import { blockIpsScenario } from './block-ips.js';
import { incidentScenario } from './incident.js';

/**
 * Every drill scenario, in run order. A capability adds `src/drill/scenarios/<slug>.ts` exporting a
 * DrillScenario and ONE line here.
 */
export const SCENARIOS: readonly DrillScenario[] = [
  auditScenario,
  blockIpsScenario,
  incidentScenario,
  auditTrailScenario,
];
