import type { ActionEnvironment, InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (the common ones live in COMMON_INPUTS); action.yml declares both. */
export const INPUTS = {
  target: 'target',
} as const;

export function readInputs(read: InputReader, _ctx: ActionEnvironment): Record<string, unknown> {
  return { target: read.get(INPUTS.target) };
}
