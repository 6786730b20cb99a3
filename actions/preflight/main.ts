import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildPreflightPorts } from '../../src/runtime/ports/preflight.js';
import { preflightStep } from '../../src/capabilities/preflight/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: preflightStep, readInputs, buildPorts: buildPreflightPorts });
}
