import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { classifyStep } from '../../src/capabilities/classify/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: classifyStep, readInputs, buildPorts: buildIncidentPorts });
}
