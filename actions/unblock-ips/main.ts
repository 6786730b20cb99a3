import { runAction, type ActionRun } from '../../src/runtime/action-shell.js';
import { buildIpBlockPortsForAction } from '../../src/runtime/ip-block-ports.js';
import { unblockIpsStep } from '../../src/capabilities/unblock-ips/step.js';
import { readInputs } from './inputs.js';

export function run(): Promise<ActionRun> {
  return runAction({ step: unblockIpsStep, readInputs, buildPorts: buildIpBlockPortsForAction });
}
