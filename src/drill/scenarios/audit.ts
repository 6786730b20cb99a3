import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GuardError, InputError, PartialFailureError } from '../../core/errors.js';
import type { Outcome } from '../../core/plan.js';
import { maxChangesGuard, runStep, type StepDefinition } from '../../core/step.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../scenario.js';

/**
 * The drill's self-test of the step engine and the audit chain, with no emulator: a tiny real step
 * (`drill-checkpoint`: write named marker files into a directory) runs through `runStep` in dry-run,
 * apply, re-apply (converges to noop), refused-by-guard, override, bad input and partial failure,
 * and every run must leave exactly one audit record. It keeps the drill honest even before any
 * provider scenario exists, and its records are part of the chain the drill verifies at the end.
 */

interface CheckpointInput {
  dir: string;
  names: string[];
}

interface CheckpointPorts {
  /** Names that refuse to be written (simulates one target failing). */
  failing: Set<string>;
}

export const checkpointStep: StepDefinition<CheckpointInput, CheckpointPorts> = {
  name: 'drill-checkpoint',
  description: 'write marker files (drill self-test)',
  secretInputs: ['token'],
  parse(raw) {
    const names = raw.names;
    if (typeof raw.dir !== 'string' || raw.dir === '') throw new InputError('dir is required', { field: 'dir' });
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !/^[a-z0-9-]+$/.test(n))) {
      throw new InputError('names must be lowercase slugs', { field: 'names' });
    }
    return { dir: raw.dir, names: [...new Set(names as string[])] };
  },
  async plan(input) {
    const changes = [];
    const unchanged = [];
    for (const name of input.names) {
      const exists = await readFile(join(input.dir, name), 'utf8').then(() => true, () => false);
      if (exists) unchanged.push({ target: 'fs:markers', subject: name, reason: 'already written' });
      else changes.push({ target: 'fs:markers', action: 'create', subject: name });
    }
    return { step: 'drill-checkpoint', changes, unchanged, warnings: [] };
  },
  async apply(plan, input, ports) {
    await mkdir(input.dir, { recursive: true });
    const out: Outcome[] = [];
    for (const c of plan.changes) {
      if (ports.failing.has(c.subject)) {
        out.push({ ...c, status: 'failed', reason: 'refused by the test port', retryable: true });
        continue;
      }
      await writeFile(join(input.dir, c.subject), 'checkpoint\n');
      out.push({ ...c, status: 'applied' });
    }
    return out;
  },
};

export const auditScenario: DrillScenario = {
  name: 'audit',
  description: 'step engine and audit chain: dry-run, apply, converge, guard, override, partial failure',
  needs: [],
  async run(env) {
    const dir = join(env.workDir, 'markers');
    const ports: CheckpointPorts = { failing: new Set() };
    const results: Expectation[] = [];
    const recordsBefore = await countRecords(env.auditFile);

    const dry = await runStep(checkpointStep, { dir, names: ['a', 'b'], token: 's3cret-value' }, ports, env.context({ dryRun: true }));
    results.push(checkEqual('dry-run plans 2 creates', dry.plan?.changes.map((c) => c.subject), ['a', 'b']));
    results.push(check('dry-run changes nothing', !(await exists(join(dir, 'a')))));
    results.push(check('secret input is redacted in the audit record', !JSON.stringify(dry.entry.record).includes('s3cret-value')));

    const applied = await runStep(checkpointStep, { dir, names: ['a', 'b'] }, ports, env.context());
    results.push(checkEqual('apply reports applied', applied.result?.status, 'ok'));
    results.push(check('apply wrote the markers', (await exists(join(dir, 'a'))) && (await exists(join(dir, 'b')))));

    const again = await runStep(checkpointStep, { dir, names: ['a', 'b'] }, ports, env.context());
    results.push(checkEqual('re-apply converges (noop)', again.entry.record.status, 'noop'));

    const refused = await runStep(checkpointStep, { dir, names: ['c', 'd'] }, ports, env.context({ guards: [maxChangesGuard(1)] })).then(
      () => undefined,
      (e: unknown) => e,
    );
    results.push(check('blast-radius guard refuses 2 changes over a cap of 1', refused instanceof GuardError && refused.code === 'BLAST_RADIUS', String(refused)));
    results.push(check('refused run changed nothing', !(await exists(join(dir, 'c')))));

    const overridden = await runStep(checkpointStep, { dir, names: ['c', 'd'] }, ports, env.context({ guards: [maxChangesGuard(1)], overrides: [{ guard: 'BLAST_RADIUS', reason: 'drill' }] }));
    results.push(checkEqual('override with a reason is recorded', overridden.entry.record.override, { guard: 'BLAST_RADIUS', reason: 'drill' }));

    const bad = await runStep(checkpointStep, { dir, names: ['Bad Name'] }, ports, env.context()).then(() => undefined, (e: unknown) => e);
    results.push(check('bad input is a typed InputError', bad instanceof InputError && bad.field === 'names', String(bad)));

    ports.failing.add('f');
    const partial = await runStep(checkpointStep, { dir, names: ['e', 'f'] }, ports, env.context()).then(() => undefined, (e: unknown) => e);
    results.push(check('one failing target is a PartialFailureError', partial instanceof PartialFailureError, String(partial)));
    results.push(check('the other target was applied', await exists(join(dir, 'e'))));
    ports.failing.clear();
    const healed = await runStep(checkpointStep, { dir, names: ['e', 'f'] }, ports, env.context());
    results.push(checkEqual('re-run after the fault applies only the missing target', healed.result?.outcomes.map((o) => `${o.subject}:${o.status}`), ['f:applied', 'e:already']));

    results.push(checkEqual('every run wrote exactly one audit record', (await countRecords(env.auditFile)) - recordsBefore, 8));

    // A memory chain of the same records links and verifies independently of the file.
    const mem = new MemoryAuditSink();
    await runStep(checkpointStep, { dir, names: ['a'] }, ports, env.context({ audit: mem }));
    results.push(checkEqual('memory sink starts its own chain at seq 1', mem.head.seq, 1));
    return results;
  },
};

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(() => true, () => false);
}

async function countRecords(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim() !== '').length;
}
