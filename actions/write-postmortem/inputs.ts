import type { InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (step field → action input name); the common ones live in COMMON_INPUTS. */
export const INPUTS = {
  impact: 'impact',
  root_cause: 'root-cause',
  action_items: 'action-items',
} as const;

export function readInputs(read: InputReader): Record<string, unknown> {
  return {
    impact: read.get(INPUTS.impact),
    root_cause: read.get(INPUTS.root_cause),
    action_items: read.get(INPUTS.action_items).split('\n'),
  };
}
