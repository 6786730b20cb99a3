import { ConflictError, InputError, asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import type { Change, Outcome, Plan, Unchanged } from '../../core/plan.js';
import type { StepContext, StepDefinition } from '../../core/step.js';
import { freezeInputs } from './inputs.js';
import { FREEZE_RECORD_VARIABLE, INCIDENT_MODE_VARIABLE, LOCKED_POLICY, type DeployControls, type EnvironmentSettings, type WorkflowInfo } from './ports.js';
import { parseRecord, serialiseRecord, type FreezeRecord } from './record.js';

/**
 * freeze: stop deploys while an incident is open.
 *
 *   write the freeze record (prior state) → INCIDENT_MODE=1 → disable each listed deploy workflow →
 *   optionally lock the deploy environment (deployment branch policy: custom, none listed).
 *
 * The record goes first: every later change has its prior state stored, so a partial freeze is
 * still exactly reversible, and a re-run keeps the record's priors instead of reading its own
 * frozen state as "before". unfreeze (../unfreeze) reads it back.
 */

export interface FreezeInput {
  workflows: string[];
  variableEnvironment: string | undefined;
  lockEnvironment: string | undefined;
}

export interface FreezeMeta {
  record: FreezeRecord;
  /** Whether the stored record must be (re)written before the changes. */
  writeRecord: boolean;
}

const NAME = 'freeze';
const WORKFLOW_FILE = /^[\w.-]+\.ya?ml$/;

export function repoTarget(controls: DeployControls): string {
  return `github:repository:${controls.repository}`;
}

export function variableTarget(controls: DeployControls, environment: string | null | undefined): string {
  return environment ? `github:environment:${environment}@${controls.repository}` : repoTarget(controls);
}

export async function readFreezeRecord(controls: DeployControls): Promise<FreezeRecord | undefined> {
  const text = await controls.getVariable({}, FREEZE_RECORD_VARIABLE);
  return text === undefined ? undefined : parseRecord(text, `${FREEZE_RECORD_VARIABLE} in ${controls.repository}`);
}

export const freezeStep: StepDefinition<FreezeInput, DeployControls, FreezeMeta> = {
  name: NAME,
  description: 'Freeze deploys: INCIDENT_MODE=1, deploy workflows disabled, deploy environment optionally locked; the prior state is recorded for unfreeze',

  parse(raw) {
    const v = readInputs(freezeInputs, raw);
    const workflows = [...new Set((v.workflows ?? '').split(/[\s,]+/).filter((w) => w !== ''))];
    for (const w of workflows) {
      if (!WORKFLOW_FILE.test(w)) throw new InputError(`workflows: ${JSON.stringify(w.slice(0, 80))} is not a workflow file name (deploy.yml)`, { field: 'workflows', code: 'INPUT_INVALID' });
    }
    for (const [field, value] of [['variable-environment', v.variableEnvironment], ['lock-environment', v.lockEnvironment]] as const) {
      if (value !== undefined && !/^[^/\s][^/]{0,254}$/.test(value)) throw new InputError(`${field}: ${JSON.stringify(value.slice(0, 80))} is not an environment name`, { field, code: 'INPUT_INVALID' });
    }
    return { workflows, variableEnvironment: v.variableEnvironment, lockEnvironment: v.lockEnvironment };
  },

  async plan(input, controls, ctx) {
    const existing = await readFreezeRecord(controls);
    const scope = { environment: input.variableEnvironment };
    if (existing && existing.variable.environment !== (input.variableEnvironment ?? null)) {
      throw new InputError(
        `a freeze is already in place with ${INCIDENT_MODE_VARIABLE} on ${existing.variable.environment ? `environment ${existing.variable.environment}` : 'the repository'}; this run asks for ${input.variableEnvironment ? `environment ${input.variableEnvironment}` : 'the repository'}`,
        { field: 'variable-environment', code: 'FREEZE_IN_PLACE', hint: 'Nothing was changed. Re-run with the same variable-environment, or unfreeze first.' },
      );
    }
    if (existing?.environment && input.lockEnvironment && existing.environment.name !== input.lockEnvironment) {
      throw new InputError(`a freeze already locks environment ${existing.environment.name}; this run asks to lock ${input.lockEnvironment}`, {
        field: 'lock-environment',
        code: 'FREEZE_IN_PLACE',
        hint: 'Nothing was changed. One freeze locks one environment: re-run with the same lock-environment, or unfreeze first.',
      });
    }
    if (input.variableEnvironment && !(await controls.environment(input.variableEnvironment))) {
      throw new InputError(`environment ${input.variableEnvironment} does not exist in ${controls.repository}`, { field: 'variable-environment', code: 'ENVIRONMENT_NOT_FOUND' });
    }

    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const record: FreezeRecord = existing
      ? structuredClone(existing)
      : { v: 1, incidentId: ctx.incidentId, actor: ctx.actor, frozenAt: ctx.clock.now().toISOString(), variable: { environment: input.variableEnvironment ?? null, prior: null }, workflows: [], environment: null };
    let writeRecord = !existing;

    const current = await controls.getVariable(scope, INCIDENT_MODE_VARIABLE);
    if (!existing) record.variable.prior = current ?? null;
    const varTarget = variableTarget(controls, input.variableEnvironment);
    if (current === '1') unchanged.push({ target: varTarget, subject: INCIDENT_MODE_VARIABLE, reason: `${INCIDENT_MODE_VARIABLE} is already 1` });
    else changes.push({ target: varTarget, action: 'set-variable', subject: INCIDENT_MODE_VARIABLE, detail: { value: '1', prior: current ?? null } });

    const found: WorkflowInfo[] = [];
    const missing: string[] = [];
    for (const file of input.workflows) {
      const wf = await controls.workflow(file);
      if (!wf) missing.push(file);
      else found.push(wf);
    }
    if (missing.length > 0) {
      throw new InputError(`no workflow ${missing.join(', ')} in ${controls.repository}`, { field: 'workflows', code: 'WORKFLOW_NOT_FOUND', hint: 'Nothing was changed. Name workflows by their file under .github/workflows (deploy.yml).' });
    }
    for (const [i, wf] of found.entries()) {
      const file = input.workflows[i]!;
      let recorded = record.workflows.find((r) => r.id === wf.id);
      if (!recorded) {
        recorded = { file, id: wf.id, path: wf.path, prior: wf.state };
        record.workflows.push(recorded);
        writeRecord = true;
      }
      const target = `github:workflow:${wf.path}@${controls.repository}`;
      if (wf.state === 'active') changes.push({ target, action: 'disable-workflow', subject: file, detail: { id: wf.id, prior: recorded.prior } });
      else unchanged.push({ target, subject: file, reason: recorded.prior === 'active' ? 'already disabled by this freeze' : `was already ${wf.state} before the freeze; unfreeze leaves it so` });
    }

    if (input.lockEnvironment) {
      const env = await controls.environment(input.lockEnvironment);
      if (!env) throw new InputError(`environment ${input.lockEnvironment} does not exist in ${controls.repository}`, { field: 'lock-environment', code: 'ENVIRONMENT_NOT_FOUND' });
      const target = `github:environment:${input.lockEnvironment}@${controls.repository}`;
      const locked = isLocked(env);
      if (!record.environment) {
        if (env.deploymentBranchPolicy?.custom_branch_policies) {
          throw new InputError(`environment ${input.lockEnvironment} already limits deployments with custom branch policies; freeze's lock (custom policies, none listed) would need them deleted`, {
            field: 'lock-environment',
            code: 'LOCK_NOT_POSSIBLE',
            hint: 'Nothing was changed. Freeze without lock-environment (INCIDENT_MODE and the disabled workflows still stop deploys), or remove the branch policies by hand.',
          });
        }
        record.environment = { name: input.lockEnvironment, prior: env };
        writeRecord = true;
      }
      if (locked && existing?.environment) unchanged.push({ target, subject: input.lockEnvironment, reason: 'already locked by this freeze' });
      else changes.push({ target, action: 'lock-environment', subject: input.lockEnvironment, detail: { deploymentBranchPolicy: LOCKED_POLICY, prior: record.environment.prior.deploymentBranchPolicy } });
    }

    if (changes.length === 0 && !writeRecord) warnings.push('Already frozen: nothing to change.');
    // The record is written only together with real changes: an all-unchanged plan is a no-op.
    if (changes.length === 0) writeRecord = false;
    if (writeRecord) changes.unshift({ target: repoTarget(controls), action: 'write-freeze-record', subject: FREEZE_RECORD_VARIABLE, detail: { workflows: record.workflows.length, environment: record.environment?.name ?? null } });
    return { step: NAME, changes, unchanged, warnings, meta: { record, writeRecord } };
  },

  async apply(plan, input, controls, ctx) {
    const meta = plan.meta!;
    const outcomes: Outcome[] = [];
    const why = (e: unknown) => ctx.redactor.scrub(asError(e).message);
    const out = (c: Change, status: Outcome['status'], reason: string): Outcome => ({ target: c.target, action: c.action, subject: c.subject, status, reason });
    for (const c of plan.changes) {
      if (c.action === 'write-freeze-record') {
        try {
          await writeRecordGuarded(controls, meta.record);
          outcomes.push(out(c, 'applied', `prior state recorded in ${FREEZE_RECORD_VARIABLE}`));
        } catch (e) {
          // Without the record nothing may change: unfreeze would not know what to restore.
          outcomes.push(out(c, 'failed', `nothing changed: ${why(e)}`));
          for (const rest of plan.changes.filter((x) => x !== c)) outcomes.push(out(rest, 'skipped', 'the freeze record was not written'));
          return outcomes;
        }
        continue;
      }
      try {
        if (c.action === 'set-variable') await controls.setVariable({ environment: input.variableEnvironment }, INCIDENT_MODE_VARIABLE, '1');
        else if (c.action === 'disable-workflow') await controls.setWorkflowEnabled(c.detail!['id'] as number, false);
        else if (c.action === 'lock-environment') await controls.putEnvironment(c.subject, { ...meta.record.environment!.prior, deploymentBranchPolicy: LOCKED_POLICY });
        outcomes.push(out(c, 'applied', describeApplied(c)));
      } catch (e) {
        outcomes.push(out(c, 'failed', `${why(e)}. Re-run the same freeze: the record keeps the prior state.`));
      }
    }
    return outcomes;
  },
};

/** Writes the record unless another freeze wrote one since the plan (then its priors win; re-plan). */
async function writeRecordGuarded(controls: DeployControls, record: FreezeRecord): Promise<void> {
  const now = await controls.getVariable({}, FREEZE_RECORD_VARIABLE);
  if (now !== undefined) {
    const stored = parseRecord(now, FREEZE_RECORD_VARIABLE);
    const known = (id: number) => stored.workflows.some((w) => w.id === id);
    if (stored.frozenAt !== record.frozenAt || !record.workflows.filter((w) => known(w.id)).every((w) => stored.workflows.find((s) => s.id === w.id)!.prior === w.prior)) {
      throw new ConflictError(`another freeze wrote ${FREEZE_RECORD_VARIABLE} since the plan`, { code: 'FREEZE_RACED', hint: 'Re-run: the plan will build on the stored record.' });
    }
  }
  await controls.setVariable({}, FREEZE_RECORD_VARIABLE, serialiseRecord(record));
}

function describeApplied(c: Change): string {
  if (c.action === 'set-variable') return `${INCIDENT_MODE_VARIABLE}=1 (was ${c.detail!['prior'] === null ? 'unset' : JSON.stringify(c.detail!['prior'])})`;
  if (c.action === 'disable-workflow') return 'disabled';
  return 'locked: no branch or tag may deploy to it';
}

export function isLocked(env: EnvironmentSettings): boolean {
  return env.deploymentBranchPolicy?.custom_branch_policies === true && env.deploymentBranchPolicy.protected_branches === false;
}
