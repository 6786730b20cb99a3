import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { closeIncidentStep } from '../../src/capabilities/close-incident/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: closeIncidentStep, readInputs, buildPorts: buildIncidentPorts });
}
