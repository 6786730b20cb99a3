import { readInputs } from '../core/inputs.js';
import type { CapabilityDefinition, CapabilityRuntime } from './types.js';

/**
 * A capability's raw input as every entry point hands it to the step: checked against the schema
 * (presence, choices, flags, defaults), then through the capability's own `prepare`. One function,
 * so the action and the CLI cannot drift apart.
 */
export function capabilityInput(def: CapabilityDefinition, rt: CapabilityRuntime, raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const checked = readInputs(def.inputs, raw);
  return rt.prepare ? rt.prepare(checked, env) : checked;
}
