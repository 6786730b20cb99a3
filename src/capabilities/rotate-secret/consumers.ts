import { InputError, asError } from '../../core/errors.js';
import type { Change, Outcome } from '../../core/plan.js';
import type { EcsServiceRef } from '../../core/ports/ecs.js';
import type { StepContext } from '../../core/step.js';
import { parseTarget } from '../../core/target.js';
import type { RotateSecretPorts } from './ports.js';

/**
 * The services that read a rotated secret: restarted (ECS force-new-deployment) once the new value is
 * current, so running tasks pick it up, and watched until steady by the `services-stable` rule of
 * src/core/ports/ecs.ts. A service that does not settle is named with what it was doing.
 */

export interface Consumer extends EcsServiceRef {
  region: string | undefined;
}

export const MAX_CONSUMERS = 20;

export function parseConsumers(text: string | undefined): Consumer[] {
  if (!text || text.trim() === '') return [];
  const items = text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  if (items.length > MAX_CONSUMERS) throw new InputError(`restart-services lists ${items.length} services; at most ${MAX_CONSUMERS} per run`, { field: 'restart-services', code: 'INPUT_TOO_MANY' });
  const seen = new Set<string>();
  return items.map((item) => {
    const t = parseTarget(`aws:ecs-service:${item}`, { field: 'restart-services', kinds: ['aws:ecs-service'] });
    if (t.scope.account) throw new InputError(`restart-services: ${item}: name a region, not an account (the run's credentials pick the account)`, { field: 'restart-services', code: 'TARGET_INVALID' });
    const [cluster, service] = t.id.split('/') as [string, string];
    const key = `${t.scope.region ?? ''}/${t.id}`;
    if (seen.has(key)) throw new InputError(`restart-services names ${item} twice`, { field: 'restart-services', code: 'INPUT_DUPLICATE' });
    seen.add(key);
    return { cluster, service, region: t.scope.region };
  });
}

export function consumerLabel(c: Consumer): string {
  return `aws:ecs-service:${c.cluster}/${c.service}${c.region ? `@${c.region}` : ''}`;
}

/** Checks every service exists and is ACTIVE before anything changes. */
export async function planConsumers(consumers: Consumer[], ports: RotateSecretPorts): Promise<Change[]> {
  if (consumers.length === 0) return [];
  if (!ports.ecs) throw new InputError('restart-services needs AWS credentials for ECS', { field: 'restart-services', code: 'PROVIDER_NOT_CONFIGURED' });
  const changes: Change[] = [];
  for (const c of consumers) {
    const state = await ports.ecs(c.region).describe(c);
    if (!state || state.status !== 'ACTIVE') {
      throw new InputError(`restart-services: ${c.cluster}/${c.service} ${state ? `is ${state.status}` : 'does not exist'}`, {
        field: 'restart-services',
        code: 'ECS_SERVICE_NOT_FOUND',
        hint: 'Check the cluster/service names and the @region; nothing was rotated.',
      });
    }
    changes.push({ target: consumerLabel(c), action: 'restart', subject: `${c.cluster}/${c.service}`, detail: { taskDefinition: state.taskDefinition, desiredCount: state.desiredCount } });
  }
  return changes;
}

export async function restartConsumers(consumers: Consumer[], ports: RotateSecretPorts, ctx: StepContext, timeoutMs: number, because: string): Promise<Outcome[]> {
  const why = (e: unknown) => ctx.redactor.scrub(asError(e).message);
  const out = (c: Consumer, status: Outcome['status'], reason: string): Outcome => ({ target: consumerLabel(c), action: 'restart', subject: `${c.cluster}/${c.service}`, status, reason });
  const started: Consumer[] = [];
  const outcomes = new Map<Consumer, Outcome>();
  for (const c of consumers) {
    try {
      await ports.ecs!(c.region).update(c, { kind: 'force-new-deployment' });
      started.push(c);
      ctx.logger.info(`${c.cluster}/${c.service}: new deployment started (${because})`);
    } catch (e) {
      outcomes.set(c, out(c, 'failed', `${because}, but the restart was not started: ${why(e)}. Running tasks still hold the old value. Re-run the same rotation: it restarts without rotating again.`));
    }
  }
  const waits = await Promise.all(
    started.map((c) =>
      ports.ecs!(c.region)
        .waitSteady(c, {
          timeoutMs,
          onProgress: (p) => ctx.logger.info(`${c.cluster}/${c.service}: ${p.runningCount}/${p.desiredCount} running, ${p.deployments} deployments, ${Math.round(p.waitedMs / 1000)} s`),
        })
        .then(
          (r) => ({ c, r, e: undefined }),
          (e: unknown) => ({ c, r: undefined, e }),
        ),
    ),
  );
  for (const { c, r, e } of waits) {
    if (e !== undefined || !r) outcomes.set(c, out(c, 'failed', `restart started, but its progress could not be read: ${why(e)}`));
    else if (r.settled) outcomes.set(c, out(c, 'applied', `steady after ${Math.round(r.waitedMs / 1000)} s on ${r.state?.taskDefinition ?? 'its task definition'}`));
    else {
      const s = r.state;
      const detail = s ? `${s.runningCount}/${s.desiredCount} running, ${s.deployments.length} deployments` : 'service gone';
      outcomes.set(c, out(c, 'failed', `did not settle (${r.reason}) after ${Math.round(r.waitedMs / 1000)} s: ${detail}. The new value is current; old tasks may still hold the old one. Check the service's events, then re-run: it restarts again without rotating.`));
    }
  }
  return consumers.map((c) => outcomes.get(c)!);
}
