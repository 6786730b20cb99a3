import { asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { unfreezeInputs } from '../freeze/inputs.js';
import { FREEZE_RECORD_VARIABLE, INCIDENT_MODE_VARIABLE, type DeployControls } from '../freeze/ports.js';
import type { FreezeRecord } from '../freeze/record.js';
import { isLocked, readFreezeRecord, repoTarget, variableTarget } from '../freeze/step.js';

/**
 * unfreeze: puts back exactly what freeze changed, from the record freeze wrote. A variable that
 * existed gets its old value back (one that did not is deleted); a workflow that was disabled
 * before the freeze stays disabled; the environment gets its prior settings. The record is deleted
 * last, and only when everything else is restored, so a partial unfreeze can simply be re-run.
 */

export interface UnfreezeMeta {
  record: FreezeRecord | null;
}

const NAME = 'unfreeze';

export const unfreezeStep: StepDefinition<Record<string, never>, DeployControls, UnfreezeMeta> = {
  name: NAME,
  description: 'Unfreeze deploys: restore INCIDENT_MODE, the deploy workflows and the deploy environment exactly as they were before the freeze',

  parse(raw) {
    readInputs(unfreezeInputs, raw);
    return {};
  },

  async plan(_input, controls) {
    const record = await readFreezeRecord(controls);
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    if (!record) {
      unchanged.push({ target: repoTarget(controls), subject: FREEZE_RECORD_VARIABLE, reason: 'no freeze in place (no freeze record): nothing to restore' });
      return { step: NAME, changes, unchanged, warnings: [], meta: { record: null } };
    }
    const scope = { environment: record.variable.environment ?? undefined };
    const varTarget = variableTarget(controls, record.variable.environment);
    const current = await controls.getVariable(scope, INCIDENT_MODE_VARIABLE);
    const prior = record.variable.prior;
    if ((current ?? null) === prior) unchanged.push({ target: varTarget, subject: INCIDENT_MODE_VARIABLE, reason: prior === null ? 'already unset, as before the freeze' : `already ${JSON.stringify(prior)}, as before the freeze` });
    else changes.push({ target: varTarget, action: prior === null ? 'delete-variable' : 'restore-variable', subject: INCIDENT_MODE_VARIABLE, detail: { value: prior } });

    for (const w of record.workflows) {
      const target = `github:workflow:${w.path}@${controls.repository}`;
      if (w.prior !== 'active') {
        unchanged.push({ target, subject: w.file, reason: `was ${w.prior} before the freeze; stays so` });
        continue;
      }
      const now = await controls.workflow(String(w.id));
      if (!now) unchanged.push({ target, subject: w.file, reason: 'the workflow no longer exists' });
      else if (now.state === 'active') unchanged.push({ target, subject: w.file, reason: 'already enabled' });
      else changes.push({ target, action: 'enable-workflow', subject: w.file, detail: { id: w.id } });
    }

    if (record.environment) {
      const target = `github:environment:${record.environment.name}@${controls.repository}`;
      const now = await controls.environment(record.environment.name);
      if (!now) unchanged.push({ target, subject: record.environment.name, reason: 'the environment no longer exists' });
      else if (!isLocked(now)) unchanged.push({ target, subject: record.environment.name, reason: 'not locked (restored already, or changed by hand since the freeze: left as it is)' });
      else changes.push({ target, action: 'restore-environment', subject: record.environment.name, detail: { deploymentBranchPolicy: record.environment.prior.deploymentBranchPolicy } });
    }
    changes.push({ target: repoTarget(controls), action: 'delete-freeze-record', subject: FREEZE_RECORD_VARIABLE, detail: { frozenAt: record.frozenAt, incidentId: record.incidentId } });
    return { step: NAME, changes, unchanged, warnings: [], meta: { record } };
  },

  async apply(plan, _input, controls, ctx) {
    const record = plan.meta!.record!;
    const scope = { environment: record.variable.environment ?? undefined };
    const outcomes: Outcome[] = [];
    const out = (c: Change, status: Outcome['status'], reason: string): Outcome => ({ target: c.target, action: c.action, subject: c.subject, status, reason });
    for (const c of plan.changes) {
      if (c.action === 'delete-freeze-record') {
        if (outcomes.some((o) => o.status === 'failed')) {
          outcomes.push(out(c, 'skipped', 'kept: not everything was restored; re-run unfreeze to finish'));
          continue;
        }
        try {
          await controls.deleteVariable({}, FREEZE_RECORD_VARIABLE);
          outcomes.push(out(c, 'applied', 'freeze record deleted'));
        } catch (e) {
          outcomes.push(out(c, 'failed', `everything is restored but the record could not be deleted: ${ctx.redactor.scrub(asError(e).message)}. Re-run unfreeze.`));
        }
        continue;
      }
      try {
        if (c.action === 'delete-variable') await controls.deleteVariable(scope, INCIDENT_MODE_VARIABLE);
        else if (c.action === 'restore-variable') await controls.setVariable(scope, INCIDENT_MODE_VARIABLE, record.variable.prior!);
        else if (c.action === 'enable-workflow') await controls.setWorkflowEnabled(c.detail!['id'] as number, true);
        else if (c.action === 'restore-environment') await controls.putEnvironment(c.subject, record.environment!.prior);
        outcomes.push(out(c, 'applied', 'restored to its state before the freeze'));
      } catch (e) {
        outcomes.push(out(c, 'failed', `${ctx.redactor.scrub(asError(e).message)}. Re-run unfreeze: the record is kept until everything is restored.`));
      }
    }
    return outcomes;
  },
};
