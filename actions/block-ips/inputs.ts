import type { ActionEnvironment, InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (the common ones live in COMMON_INPUTS); action.yml declares both. */
export const INPUTS = {
  addresses: 'addresses',
  reason: 'reason',
  ttl: 'ttl',
  target: 'target',
} as const;

export function readInputs(read: InputReader, _ctx: ActionEnvironment): Record<string, unknown> {
  return {
    addresses: read.required(INPUTS.addresses),
    reason: read.required(INPUTS.reason),
    ttl: read.get(INPUTS.ttl),
    target: read.get(INPUTS.target),
  };
}
