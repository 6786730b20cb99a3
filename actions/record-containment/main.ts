import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { recordContainmentStep } from '../../src/capabilities/record-containment/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: recordContainmentStep, readInputs, buildPorts: buildIncidentPorts });
}
