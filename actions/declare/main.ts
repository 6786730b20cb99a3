import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { declareStep } from '../../src/capabilities/declare/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: declareStep, readInputs, buildPorts: buildIncidentPorts });
}
