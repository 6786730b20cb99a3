import type { InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (step field → action input name); the common ones live in COMMON_INPUTS. */
export const INPUTS = {
  answers: 'answers',
  severity: 'severity',
  workaround: 'workaround',
  unsure: 'unsure',
} as const;

export function readInputs(read: InputReader): Record<string, unknown> {
  return {
    answers: read.get(INPUTS.answers),
    severity: read.get(INPUTS.severity),
    workaround: read.get(INPUTS.workaround),
    unsure: read.get(INPUTS.unsure),
  };
}
