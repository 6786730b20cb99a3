import { InputError, ProviderError, asError } from '../../core/errors.js';
import { steadiness, type EcsServiceRef } from '../../core/ports/ecs.js';
import type { Change, Outcome } from '../../core/plan.js';
import type { StepContext } from '../../core/step.js';
import type { EcsRollbackPorts } from './ports.js';
import type { PlanPart, RollbackInput } from './shared.js';

/**
 * ECS rollback: move the service to an earlier ACTIVE task definition revision and wait for steady
 * state (the services-stable rule), reporting progress.
 *
 * The revision: `to` when given (a number in the service's family, family:revision, or an ARN),
 * else the newest ACTIVE revision of the family below the current one. An INACTIVE (deregistered)
 * revision is refused: ECS cannot start tasks from it. When the revision right below the current
 * one is INACTIVE the step refuses too, rather than silently jumping to an older build.
 *
 * Re-runs: the service is tagged `firebreak-rollback = <marker> <revision ARN>` before the update,
 * so a re-run of the same rollback keeps its revision (and only waits if the service is not steady
 * yet) instead of stepping back once more.
 */

export interface EcsMeta {
  provider: 'ecs';
  ref: EcsServiceRef;
  serviceArn: string;
  from: string;
  to: string;
  marked: boolean;
  /** Already on `to`, but not steady yet: only wait. */
  waitOnly: boolean;
  marker: string;
}

export function parseServiceRef(id: string): EcsServiceRef {
  const [cluster, service] = id.split('/');
  return { cluster: cluster!, service: service! };
}

const revisionOf = (arn: string) => Number(arn.split(':').pop());
const familyOf = (arn: string) => arn.split('/').pop()!.split(':')[0]!;
const nameOf = (arn: string) => arn.split('/').pop()!;

export async function planEcs(input: RollbackInput, ports: EcsRollbackPorts, marker: string, label: string): Promise<PlanPart<EcsMeta>> {
  const ref = parseServiceRef(input.target.id);
  const state = await ports.services.describe(ref);
  if (!state || state.status === 'INACTIVE') throw new InputError(`service ${ref.service} does not exist in cluster ${ref.cluster}`, { field: 'target', code: 'SERVICE_NOT_FOUND' });
  const current = state.taskDefinition;
  const family = familyOf(current);
  const warnings: string[] = [];

  if (!state.arn) throw new ProviderError(`ecs:DescribeServices returned no ARN for ${ref.service}`, { provider: 'aws', operation: 'ecs:DescribeServices', retryable: false });
  const tag = await ports.marker(state.arn);
  const [tagMarker, tagTo] = (tag ?? '').split(' ');
  let to: string;
  let marked = false;
  if (tagMarker === marker && tagTo) {
    to = tagTo;
    marked = true;
  } else if (input.to) {
    const wanted = /^\d+$/.test(input.to) ? `${family}:${input.to}` : input.to;
    const td = await ports.services.describeTaskDefinition(wanted);
    if (!td) throw new InputError(`task definition ${wanted} does not exist`, { field: 'to', code: 'TASK_DEFINITION_NOT_FOUND' });
    if (td.status !== 'ACTIVE') throw inactive(`${td.family}:${td.revision}`, 'to');
    if (td.family !== family) warnings.push(`${td.family}:${td.revision} is of family ${td.family}; the service runs family ${family}.`);
    to = td.arn;
  } else {
    const active = await ports.services.listTaskDefinitions(family, 'ACTIVE');
    const inactiveList = await ports.services.listTaskDefinitions(family, 'INACTIVE');
    const below = (arns: string[]) => arns.filter((a) => revisionOf(a) < revisionOf(current));
    const previousActive = below(active)[0];
    const previousInactive = below(inactiveList)[0];
    if (previousInactive && (!previousActive || revisionOf(previousInactive) > revisionOf(previousActive))) {
      throw inactive(nameOf(previousInactive), 'target', previousActive ? `The newest ACTIVE revision below it is ${nameOf(previousActive)}: pass \`to: ${revisionOf(previousActive)}\` if that build is good.` : undefined);
    }
    if (!previousActive) {
      throw new InputError(`service ${ref.service} runs ${nameOf(current)}; family ${family} has no ACTIVE revision below it to roll back to`, {
        field: 'target',
        code: 'NO_PREVIOUS_VERSION',
        hint: 'Nothing was changed. Register the known-good task definition again and pass it as `to`.',
      });
    }
    to = previousActive;
  }

  const meta: EcsMeta = { provider: 'ecs', ref, serviceArn: state.arn, from: current, to, marked, waitOnly: false, marker };
  if (current === to) {
    if (steadiness(state).steady) return { changes: [], unchanged: [{ target: label, subject: ref.service, reason: `already runs ${nameOf(to)} and is steady` }], warnings, meta };
    const change: Change = { target: label, action: 'wait-steady', subject: ref.service, detail: { taskDefinition: to, runningCount: state.runningCount, desiredCount: state.desiredCount } };
    return { changes: [change], unchanged: [], warnings, meta: { ...meta, waitOnly: true } };
  }
  const change: Change = { target: label, action: 'rollback', subject: ref.service, detail: { from: nameOf(current), to: nameOf(to), waitMinutes: Math.round(input.waitMs / 60_000) } };
  return { changes: [change], unchanged: [], warnings, meta };
}

export async function applyEcs(meta: EcsMeta, ports: EcsRollbackPorts, change: Change, input: RollbackInput, ctx: StepContext): Promise<Outcome[]> {
  const out = (status: Outcome['status'], reason: string): Outcome => ({ target: change.target, action: change.action, subject: change.subject, status, reason: ctx.redactor.scrub(reason) });
  const why = (e: unknown) => asError(e).message;
  if (!meta.waitOnly) {
    if (!meta.marked) {
      try {
        // The mark first: once the service moves, "the revision below the current one" is another one.
        await ports.setMarker(meta.serviceArn, `${meta.marker} ${meta.to}`);
      } catch (e) {
        return [out('failed', `nothing changed: could not tag ${meta.ref.service} with the rollback marker: ${why(e)}`)];
      }
    }
    try {
      await ports.services.update(meta.ref, { kind: 'task-definition', taskDefinition: meta.to });
    } catch (e) {
      return [out('failed', `the service still runs ${nameOf(meta.from)}: ${why(e)}. Re-run the same rollback: it moves to ${nameOf(meta.to)}, never further back.`)];
    }
  }
  const report = (message: string) => {
    ctx.logger.info(message);
    ctx.progress?.(message);
  };
  let settled;
  try {
    settled = await ports.services.waitSteady(meta.ref, {
      timeoutMs: input.waitMs,
      onProgress: (p) => report(`${meta.ref.service}: ${p.runningCount}/${p.desiredCount} running, ${p.deployments} deployment(s), ${Math.round(p.waitedMs / 1000)} s`),
    });
  } catch (e) {
    return [out('failed', `moved to ${nameOf(meta.to)}, but reading its progress failed: ${why(e)}. Re-run to wait again.`)];
  }
  if (settled.settled) return [out('applied', `${meta.ref.service} runs ${nameOf(meta.to)} (was ${nameOf(meta.from)}), steady after ${Math.round(settled.waitedMs / 1000)} s`)];
  const s = settled.state;
  return [
    out(
      'failed',
      `moved to ${nameOf(meta.to)} but not steady (${settled.reason}${s ? `: ${s.runningCount}/${s.desiredCount} running, ${s.deployments.length} deployment(s)` : ''}) after ${Math.round(settled.waitedMs / 1000)} s. ECS keeps rolling out; re-run the same rollback to wait again.`,
    ),
  ];
}

function inactive(name: string, field: string, more?: string): InputError {
  return new InputError(`task definition ${name} is INACTIVE (deregistered): ECS cannot start tasks from it`, {
    field,
    code: 'TASK_DEFINITION_INACTIVE',
    hint: `Nothing was changed. Register that task definition again (its JSON from describe-task-definition) and roll back to the new revision.${more ? ` ${more}` : ''}`,
  });
}
