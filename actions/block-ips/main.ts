import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIpBlockPortsForAction } from '../../src/runtime/ip-block-ports.js';
import { blockIpsStep } from '../../src/capabilities/block-ips/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: blockIpsStep, readInputs, buildPorts: buildIpBlockPortsForAction });
}
