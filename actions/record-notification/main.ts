import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { recordNotificationStep } from '../../src/capabilities/record-notification/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: recordNotificationStep, readInputs, buildPorts: buildIncidentPorts });
}
