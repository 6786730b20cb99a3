import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIpBlockPortsForAction } from '../../src/runtime/ip-block-ports.js';
import { sweepExpiredStep } from '../../src/capabilities/sweep-expired/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: sweepExpiredStep, readInputs, buildPorts: buildIpBlockPortsForAction });
}
