import { FirebreakError, InputError } from '../core/errors.js';
import { publicName, readInputs } from '../core/inputs.js';
import type { CapabilityDefinition } from './types.js';

/** Inputs every entry point adds beside the schema (the incident a run belongs to). */
const ENTRY_INPUTS = new Set(['incident', 'incident-id', 'apply']);

/**
 * A runbook's `with:` (public names, as a responder types them on the CLI or in the workflow form)
 * as the schema's keys. Unknown names are refused: a typo would otherwise be silently dropped.
 */
export function schemaInput(cap: CapabilityDefinition, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const byName = new Map(Object.entries(cap.inputs).map(([key, field]) => [publicName(key, field), key] as const));
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (ENTRY_INPUTS.has(name)) continue;
    const key = byName.get(name) ?? (name in cap.inputs ? name : undefined);
    if (key === undefined) unknown.push(name);
    else out[key] = typeof value === 'number' ? String(value) : value;
  }
  if (unknown.length) {
    throw new InputError(`unknown input ${unknown.join(', ')}; ${cap.slug} takes ${[...byName.keys()].join(', ') || 'no inputs'}`, { code: 'INPUT_UNKNOWN' });
  }
  return out;
}

/** The refusal a drill step's inputs would get from the step's schema, or undefined when they pass. */
export function drillInputProblem(cap: CapabilityDefinition, given: Readonly<Record<string, unknown>>): string | undefined {
  try {
    readInputs(cap.inputs, schemaInput(cap, given));
    return undefined;
  } catch (error) {
    if (error instanceof FirebreakError) return error.message;
    throw error;
  }
}
