import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { recordNotificationStep } from '../../src/steps/record-notification.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: recordNotificationStep, readInputs, buildPorts: buildIncidentPorts });
}
