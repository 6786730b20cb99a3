import type { InputReader } from '../../src/runtime/action-shell.js';

/** No inputs beyond the common ones: the incident comes from `incident-id`. */
export const INPUTS = {} as const;

export function readInputs(_read: InputReader): Record<string, unknown> {
  return {};
}
