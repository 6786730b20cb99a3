import { readFile } from 'node:fs/promises';
import { check, type Expectation } from '../scenario.js';
import type { RunbookWorld } from './world.js';
import { recall, remember } from './fixture-support.js';

/** The forms a value could leak in: as is, JSON-escaped, base64, hex, URL-encoded. */
export function leakForms(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex'), encodeURIComponent(value)];
}

/**
 * No form of any of these values (a secret a fixture planted, the value a step generated) is in the
 * drill's audit chain. The detail names which value leaked by its position, never the value.
 */
export async function auditHoldsNone(world: RunbookWorld, name: string, values: ReadonlyArray<string | undefined>): Promise<Expectation> {
  let text = '';
  try {
    text = await readFile(world.auditFile, 'utf8');
  } catch {
    return check(name, false, 'no audit chain was written');
  }
  const present = values.map((v, i) => ({ v, i })).filter(({ v }) => v !== undefined && v.length > 0 && leakForms(v).some((f) => text.includes(f)));
  return check(name, present.length === 0, `value(s) #${present.map((p) => p.i + 1).join(', #')} found in ${world.auditFile}`);
}

/** Per-drill memory of what a fixture saw before a step, kept apart from other fixtures' keys. */
let namespaces = 0;
export function beforeStep<T>(): { set(world: RunbookWorld, key: string, value: T): void; get(world: RunbookWorld, key: string): T | undefined } {
  const ns = `before-step-${++namespaces}:`;
  return { set: (world, key, value) => remember(world, ns + key, value), get: (world, key) => recall<T>(world, ns + key) };
}

/**
 * The step was refused before it changed anything (a guard, bad input): its fixture checks that
 * nothing changed. A partial failure is not that: it is verified like a success, so the report
 * names what was not done.
 */
export function refusedWhole(outcome: { code: string | undefined }): boolean {
  return outcome.code !== undefined && outcome.code !== 'PARTIAL_FAILURE';
}
