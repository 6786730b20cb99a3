import type { InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (step field → action input name); the common ones live in COMMON_INPUTS. */
export const INPUTS = {
  action: 'action',
  note: 'note',
} as const;

export function readInputs(read: InputReader): Record<string, unknown> {
  return {
    action: read.required(INPUTS.action),
    note: read.get(INPUTS.note),
  };
}
