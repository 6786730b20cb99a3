import { readKitVariables } from '../../src/core/names.js';
import type { ActionEnvironment, InputReader } from '../../src/runtime/action-shell.js';

/** This action's own inputs (the common ones live in COMMON_INPUTS); action.yml declares both. */
export const INPUTS = {
  /** Which checks to run: `aws`, `variables` (comma or newline separated); empty = all. */
  checks: 'checks',
} as const;

export function readInputs(read: InputReader, ctx: ActionEnvironment): Record<string, unknown> {
  const checks = read.list(INPUTS.checks);
  return { ...(checks.length ? { checks } : {}), variables: readKitVariables(ctx.env) };
}
