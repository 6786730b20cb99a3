import type { InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (step field → action input name); the common ones live in COMMON_INPUTS. */
export const INPUTS = {
  obligation: 'obligation',
  recipient: 'recipient',
  sent_at: 'sent-at',
  reference: 'reference',
  waive_reason: 'waive-reason',
} as const;

export function readInputs(read: InputReader): Record<string, unknown> {
  return {
    obligation: read.required(INPUTS.obligation),
    recipient: read.get(INPUTS.recipient),
    sent_at: read.get(INPUTS.sent_at),
    reference: read.get(INPUTS.reference),
    waive_reason: read.get(INPUTS.waive_reason),
  };
}
