import { GuardError, InputError, asError } from '../../core/errors.js';
import type { Change, Outcome } from '../../core/plan.js';
import type { StepContext } from '../../core/step.js';
import type { ArgoApplications, ArgoHistoryEntry } from './ports.js';
import type { PlanPart, RollbackInput } from './shared.js';

/**
 * Argo CD rollback: `POST /api/v1/applications/{name}/rollback` with a history id from
 * `status.history`. The id: `to` when given, else the newest history entry with a revision other
 * than the one the app is synced to. Automated sync is refused up front: Argo CD refuses the
 * rollback then (and would re-sync over it anyway); turning it off is the team's decision.
 *
 * Re-runs: the Application is annotated `firebreak.io/rollback: <marker> <id>` before the call, so
 * a re-run keeps the same history id instead of taking the bad revision for "previous".
 */

export interface ArgoMeta {
  provider: 'argocd';
  name: string;
  namespace: string | undefined;
  from: string | undefined;
  to: ArgoHistoryEntry;
  marked: boolean;
  marker: string;
}

export const MARKER_ANNOTATION = 'firebreak.io/rollback';

export async function planArgo(input: RollbackInput, argo: ArgoApplications, marker: string, label: string): Promise<PlanPart<ArgoMeta>> {
  const name = input.target.id;
  const namespace = input.target.scope.account;
  const app = await argo.get(name, namespace);
  if (!app) throw new InputError(`Argo CD Application ${name}${namespace ? ` in ${namespace}` : ''} does not exist (or the token may not see it)`, { field: 'target', code: 'APPLICATION_NOT_FOUND' });
  if (app.autoSync) {
    throw new GuardError(`Application ${name} has automated sync: Argo CD refuses a rollback then, and would sync the bad revision back`, {
      code: 'ARGOCD_AUTO_SYNC',
      overridable: false,
      hint: `Nothing was changed. Turn automated sync off first (argocd app set ${name} --sync-policy none), then re-run; turn it back on once the fix is in git.`,
    });
  }
  if (app.history.length === 0) throw new InputError(`Application ${name} has no sync history`, { field: 'target', code: 'NO_PREVIOUS_VERSION' });
  const current = app.syncedRevision ?? app.history.at(-1)!.revision;
  const [annMarker, annId] = (app.annotations[MARKER_ANNOTATION] ?? '').split(' ');
  let to: ArgoHistoryEntry | undefined;
  let marked = false;
  if (annMarker === marker && annId !== undefined) {
    to = app.history.find((h) => h.id === Number(annId));
    marked = true;
    if (!to) throw new InputError(`history id ${annId} chosen by this rollback is no longer in the history of ${name}`, { field: 'to', code: 'HISTORY_ID_NOT_FOUND' });
  } else if (input.to !== undefined) {
    if (!/^\d{1,18}$/.test(input.to)) throw new InputError(`to: ${JSON.stringify(input.to.slice(0, 60))} is not an Argo CD history id`, { field: 'to', code: 'INPUT_INVALID' });
    to = app.history.find((h) => h.id === Number(input.to));
    if (!to) throw new InputError(`Application ${name} has no history id ${input.to} (ids: ${app.history.map((h) => h.id).join(', ')})`, { field: 'to', code: 'HISTORY_ID_NOT_FOUND' });
  } else {
    to = [...app.history].reverse().find((h) => h.revision !== current);
    if (!to) throw new InputError(`Application ${name}: every history entry is revision ${current}; nothing earlier to roll back to`, { field: 'target', code: 'NO_PREVIOUS_VERSION' });
  }
  const meta: ArgoMeta = { provider: 'argocd', name, namespace, from: current, to, marked, marker };
  if (current === to.revision) return { changes: [], unchanged: [{ target: label, subject: name, reason: `already synced to ${to.revision} (history id ${to.id})` }], warnings: [], meta };
  if (app.operationRunning) {
    return { changes: [], unchanged: [{ target: label, subject: name, reason: 'an operation is running on the Application; re-run once it finishes' }], warnings: ['Argo CD refuses a rollback while another operation runs.'], meta };
  }
  const change: Change = { target: label, action: 'rollback', subject: name, detail: { historyId: to.id, revision: to.revision, from: current } };
  return { changes: [change], unchanged: [], warnings: [], meta };
}

export async function applyArgo(meta: ArgoMeta, argo: ArgoApplications, change: Change, ctx: StepContext): Promise<Outcome[]> {
  const out = (status: Outcome['status'], reason: string): Outcome => ({ target: change.target, action: change.action, subject: change.subject, status, reason: ctx.redactor.scrub(reason) });
  if (!meta.marked) {
    try {
      await argo.annotate(meta.name, meta.namespace, MARKER_ANNOTATION, `${meta.marker} ${meta.to.id}`);
    } catch (e) {
      return [out('failed', `nothing changed: could not annotate ${meta.name} with the rollback marker: ${asError(e).message}`)];
    }
  }
  try {
    await argo.rollback(meta.name, meta.namespace, meta.to.id);
  } catch (e) {
    return [out('failed', `${meta.name} is still at ${meta.from}: ${asError(e).message}. Re-run the same rollback: it uses history id ${meta.to.id}, never an earlier one.`)];
  }
  return [out('applied', `${meta.name} rolled back to history id ${meta.to.id} (revision ${meta.to.revision}; was ${meta.from})`)];
}
