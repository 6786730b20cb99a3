import { InputError } from '../../core/errors.js';
import { FREEZE_RECORD_VARIABLE, type EnvironmentSettings, type WorkflowState } from './ports.js';

/**
 * What a freeze changed and what was there before: written to the repository (variable
 * FREEZE_RECORD_VARIABLE) before the first change, so unfreeze restores exactly the prior state from
 * wherever it runs, and a re-run of freeze never mistakes its own frozen state for the prior one.
 */
export interface FreezeRecord {
  v: 1;
  incidentId: string | null;
  actor: string;
  frozenAt: string;
  /** INCIDENT_MODE: where it was set and its value before (`null`: it did not exist). */
  variable: { environment: string | null; prior: string | null };
  workflows: { file: string; id: number; path: string; prior: WorkflowState }[];
  /** The locked environment and its settings before the lock; `null` when none was locked. */
  environment: { name: string; prior: EnvironmentSettings } | null;
}

export function serialiseRecord(record: FreezeRecord): string {
  return JSON.stringify(record);
}

/** Parses the stored record; a record that is not one of ours is refused rather than guessed at. */
export function parseRecord(text: string, where: string): FreezeRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable(where, 'it is not JSON');
  }
  const r = value as Partial<FreezeRecord> | null;
  if (!r || typeof r !== 'object' || r.v !== 1) throw unreadable(where, 'it is not a version 1 freeze record');
  if (!r.variable || typeof r.variable !== 'object' || !('prior' in r.variable)) throw unreadable(where, 'it has no variable section');
  if (!Array.isArray(r.workflows) || r.workflows.some((w) => typeof w?.id !== 'number' || typeof w.file !== 'string' || typeof w.prior !== 'string')) {
    throw unreadable(where, 'its workflows section is malformed');
  }
  if (r.environment !== null && (typeof r.environment?.name !== 'string' || typeof r.environment.prior !== 'object')) throw unreadable(where, 'its environment section is malformed');
  return r as FreezeRecord;
}

function unreadable(where: string, why: string): InputError {
  return new InputError(`the freeze record ${where} cannot be read: ${why}`, {
    field: FREEZE_RECORD_VARIABLE,
    code: 'FREEZE_RECORD_INVALID',
    hint: 'Nothing was changed. Inspect the variable; restore the prior state by hand if it was edited, then delete it.',
  });
}
