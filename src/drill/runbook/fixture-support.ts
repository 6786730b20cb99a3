import { readFile } from 'node:fs/promises';
import type { AuditRecord } from '../../core/audit.js';
import { readChainRecords } from '../../providers/local/file-audit-sink.js';
import { leakForms } from './kit-leaks.js';
import type { RunbookWorld } from './world.js';

/** Small helpers the runbook fixtures share: memory between prepare and verify, the step's audit record. */

/** A step ran and applied: the runner's definition of success, and every fixture's. */
export function applied(outcome: { exitCode: number; status: string }): boolean {
  return outcome.exitCode === 0 && ['applied', 'ok', 'noop', 'unchanged', 'declared', 'attached'].includes(outcome.status);
}

const memory = new WeakMap<RunbookWorld, Map<string, unknown>>();

/** What a fixture's prepare saw before its step ran, for its verify (one value per key per drill). */
export function remember(world: RunbookWorld, key: string, value: unknown): void {
  let m = memory.get(world);
  if (!m) memory.set(world, (m = new Map()));
  m.set(key, value);
}

export function recall<T>(world: RunbookWorld, key: string): T | undefined {
  return memory.get(world)?.get(key) as T | undefined;
}

/** The last audit record of a step in the drill's chain (failed runs included: their result is there too). */
export async function lastAuditRecord(world: RunbookWorld, step: string): Promise<AuditRecord | undefined> {
  return (await readChainRecords(world.auditFile)).filter((r) => r.step === step).pop();
}

/**
 * The credentials the step ran with (every `*TOKEN*` / `*SECRET*` variable of the drill's
 * environment) appear nowhere in the audit chain.
 */
export async function noCredentialInAudit(world: RunbookWorld, step: string): Promise<{ name: string; ok: boolean; detail?: string }> {
  const text = await readFile(world.auditFile, 'utf8').catch(() => '');
  const leaked = Object.entries(world.env)
    .filter(([k, v]) => /TOKEN|SECRET/.test(k) && v.length >= 8)
    .filter(([, v]) => leakForms(v).some((f) => text.includes(f)))
    .map(([k]) => k);
  const name = `${step}: no credential the step ran with is in the audit chain`;
  return leaked.length === 0 ? { name, ok: true } : { name, ok: false, detail: `the audit file holds the value of ${leaked.join(', ')}` };
}
