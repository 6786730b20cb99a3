import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { postUpdateStep } from '../../src/capabilities/post-update/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: postUpdateStep, readInputs, buildPorts: buildIncidentPorts });
}
