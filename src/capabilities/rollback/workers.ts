import { InputError, ProviderError, asError } from '../../core/errors.js';
import type { Change, Outcome } from '../../core/plan.js';
import type { StepContext } from '../../core/step.js';
import { WorkerSecretsChangedError, type WorkersDeploys } from './ports.js';
import type { PlanPart, RollbackInput } from './shared.js';

/**
 * Workers rollback: deploy an earlier version at 100% (Versions and Deployments API), as
 * `wrangler rollback` does. The version: `to` when given, else the one the previous deployment
 * served. Only the last 100 versions are eligible. Cloudflare refuses (code 10220) when secrets or
 * bindings changed since that version was live; `force` deploys it anyway (it then runs with
 * today's secrets and bindings: say so in the incident).
 *
 * The deployment message carries the run's marker, so a re-run sees its own rollback is live.
 */

export interface WorkersMeta {
  provider: 'workers';
  script: string;
  from: { id: string; number: number | undefined } | null;
  to: { id: string; number: number };
  marker: string;
  force: boolean;
}

export const VERSION_WINDOW = 100;

export async function planWorkers(input: RollbackInput, workers: WorkersDeploys, marker: string, label: string): Promise<PlanPart<WorkersMeta>> {
  const script = input.target.id;
  const deployments = await workers.deployments(script);
  const live = deployments[0];
  if (!live) throw new InputError(`worker ${script} has no deployment`, { field: 'target', code: 'NO_DEPLOYMENT' });
  const versions = await workers.versions(script, VERSION_WINDOW);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const main = (d: (typeof deployments)[number]) => [...d.versions].sort((a, b) => b.percentage - a.percentage)[0]?.versionId;
  const liveVersion = main(live);
  const warnings: string[] = [];
  if (live.versions.length > 1) warnings.push(`The live deployment splits traffic (${live.versions.map((v) => `${v.versionId} ${v.percentage}%`).join(', ')}); the rollback replaces it with one version at 100%.`);

  const mine = deployments.find((d) => d.message?.includes(`[${marker}]`));
  if (mine) {
    const v = byId.get(main(mine) ?? '');
    const reason = mine === live ? `already rolled back by this run: version ${v?.number ?? main(mine)} is live at 100%` : `already rolled back by this run (deployment ${mine.id}); a later deployment replaced it since`;
    return {
      changes: [],
      unchanged: [{ target: label, subject: script, reason }],
      warnings: mine === live ? warnings : [...warnings, 'To roll back again, run with a new rollback-id.'],
      meta: { provider: 'workers', script, from: null, to: { id: main(mine) ?? '', number: v?.number ?? 0 }, marker, force: input.force },
    };
  }

  let targetId: string;
  if (input.to) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(input.to)) throw new InputError(`to: ${JSON.stringify(input.to.slice(0, 60))} is not a Workers version id`, { field: 'to', code: 'INPUT_INVALID' });
    targetId = input.to;
  } else {
    const previous = deployments.slice(1).map(main).find((id) => id !== undefined && id !== liveVersion);
    if (!previous) {
      throw new InputError(`worker ${script} has no earlier deployment of another version to roll back to`, { field: 'target', code: 'NO_PREVIOUS_VERSION', hint: 'Nothing was changed. Pass `to` with a version id.' });
    }
    targetId = previous;
  }
  const target = byId.get(targetId);
  if (!target) {
    throw new InputError(`version ${targetId} is not one of the last ${VERSION_WINDOW} versions of ${script}: Cloudflare cannot roll back to it`, {
      field: 'to',
      code: 'VERSION_NOT_ELIGIBLE',
      hint: 'Nothing was changed. Upload that build again (wrangler versions upload) and deploy it.',
    });
  }
  const fromV = liveVersion ? { id: liveVersion, number: byId.get(liveVersion)?.number } : null;
  const meta: WorkersMeta = { provider: 'workers', script, from: fromV, to: { id: target.id, number: target.number }, marker, force: input.force };
  if (live.versions.length === 1 && liveVersion === target.id) {
    return { changes: [], unchanged: [{ target: label, subject: script, reason: `version ${target.number} is already live at 100%` }], warnings, meta };
  }
  if (input.force) warnings.push('force: the version is deployed even if secrets or bindings changed since it was live.');
  const change: Change = { target: label, action: 'deploy-version', subject: script, detail: { version: target.id, number: target.number, from: fromV, percentage: 100, force: input.force } };
  return { changes: [change], unchanged: [], warnings, meta };
}

export async function applyWorkers(meta: WorkersMeta, workers: WorkersDeploys, change: Change, ctx: StepContext): Promise<Outcome[]> {
  const out = (status: Outcome['status'], reason: string): Outcome => ({ target: change.target, action: change.action, subject: change.subject, status, reason: ctx.redactor.scrub(reason) });
  const message = `firebreak rollback [${meta.marker}] to v${meta.to.number}${ctx.incidentId ? ` ${ctx.incidentId}` : ''}`;
  try {
    const d = await workers.deploy(meta.script, meta.to.id, message, meta.force);
    return [out('applied', `deployment ${d.id}: version ${meta.to.number} serves 100%${meta.from?.number ? ` (was ${meta.from.number})` : ''}`)];
  } catch (e) {
    if (e instanceof WorkerSecretsChangedError) {
      return [
        out(
          'failed',
          `Cloudflare refused (code 10220): secrets or bindings of ${meta.script} changed since version ${meta.to.number}; nothing changed. If that version works with today's secrets and bindings, re-run with force.`,
        ),
      ];
    }
    const status = e instanceof ProviderError ? e.status : undefined;
    if (status !== undefined && status >= 400 && status < 500) {
      // E.g. the bound KV namespaces or D1 databases changed since that version: Cloudflare documents
      // that such a version cannot be deployed again, `force` or not.
      return [out('failed', `Cloudflare refused version ${meta.to.number}: ${asError(e).message}; nothing changed. Roll back to another version (\`to\`) or deploy a fixed build.`)];
    }
    return [out('failed', `nothing changed (or the answer was lost): ${asError(e).message}. Re-run the same rollback: it recognises its own deployment.`)];
  }
}
