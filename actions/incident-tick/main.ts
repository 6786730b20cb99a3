import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { incidentTickStep } from '../../src/capabilities/incident-tick/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: incidentTickStep, readInputs, buildPorts: buildIncidentPorts });
}
