import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIncidentPorts } from '../../src/runtime/ports/incident.js';
import { writePostmortemStep } from '../../src/steps/write-postmortem.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: writePostmortemStep, readInputs, buildPorts: buildIncidentPorts });
}
