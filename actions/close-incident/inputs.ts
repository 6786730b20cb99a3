import type { InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (step field → action input name); the common ones live in COMMON_INPUTS. */
export const INPUTS = {
  fix_pr: 'fix-pr',
  summary: 'summary',
} as const;

export function readInputs(read: InputReader): Record<string, unknown> {
  return {
    fix_pr: read.get(INPUTS.fix_pr),
    summary: read.get(INPUTS.summary),
  };
}
