import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { writePostmortemStep } from '../../src/capabilities/write-postmortem/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: writePostmortemStep, readInputs, buildPorts: buildIncidentPorts });
}
