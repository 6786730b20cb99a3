import { GuardError, InputError, asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import type { EcsServiceRef, EcsServices, EcsSettleResult } from '../../core/ports/ecs.js';
import type { StepDefinition } from '../../core/step.js';
import { formatTarget, parseTarget, type TargetRef } from '../../core/target.js';
import { healthAfter, parseVerify, plannedChecks, type VerifyAfterPorts } from '../shared/health-after.js';
import { inputs } from './capability.js';

/**
 * restart-service: seed 004's "restart the backend and scale it to 3", on ECS.
 *
 *   describe → [set the desired count] → [force a new deployment] → wait for steady state
 *
 * Steady is the SDK's services-stable rule (src/core/ports/ecs.ts). Re-runs: a count already at the
 * wanted value is not sent again, and a service still rolling out (more than one deployment) is
 * waited for instead of being restarted a second time. A restart of a steady service always
 * restarts: ECS keeps no id that would tell this run's restart from an earlier one.
 */

export interface RestartServicePorts {
  services(target: TargetRef): EcsServices;
  /** Poll interval override (tests); the adapter's default otherwise. */
  pollMs?: number | undefined;
  /** Health checks after applying; absent: no checks configured (a `verify` name is then refused). */
  verify?: VerifyAfterPorts | undefined;
}

export interface RestartInput {
  target: TargetRef;
  ref: EcsServiceRef;
  count: number | undefined;
  restart: boolean;
  wait: boolean;
  timeoutMs: number;
  /** Health checks after applying; null: restart_service.verify_after. */
  verify: string[] | null;
}

interface RestartMeta {
  label: string;
  scale: boolean;
  restart: boolean;
  wait: boolean;
  from: number;
  verify: string[];
}

export const MAX_DESIRED_COUNT = 1000;
/** A failed check after a restart or scale: the new tasks / count stay; nothing is undone. */
export const RESTART_LEFT_IN_PLACE = 'The restart/scale was applied and is left in place (nothing was undone): if the check is right, look at the new tasks, scale, or roll back';

export const restartServiceStep: StepDefinition<RestartInput, RestartServicePorts, RestartMeta> = {
  name: 'restart-service',
  description: 'Force a new ECS deployment and/or set the desired count, then wait for steady state',

  parse(raw) {
    const v = readInputs(inputs, raw);
    const target = parseTarget(v.target, { kinds: ['aws:ecs-service'] });
    const [cluster, service] = target.id.split('/') as [string, string];
    let count: number | undefined;
    if (v.count !== undefined && v.count.trim() !== '') {
      if (!/^\d{1,4}$/.test(v.count.trim()) || Number(v.count) > MAX_DESIRED_COUNT) throw new InputError(`count: "${v.count}" is not a whole number from 0 to ${MAX_DESIRED_COUNT}`, { field: 'count', code: 'INPUT_INVALID' });
      count = Number(v.count);
    }
    const minutes = Number(v.timeoutMinutes);
    if (!/^\d{1,2}$/.test(v.timeoutMinutes) || minutes < 1 || minutes > 60) throw new InputError(`timeout-minutes: "${v.timeoutMinutes}" is not 1-60`, { field: 'timeout-minutes', code: 'INPUT_INVALID' });
    if (count === undefined && !v.restart) throw new InputError('nothing to do: give count, or leave restart on', { field: 'restart', code: 'INPUT_MISSING' });
    return { target, ref: { cluster, service }, count, restart: v.restart, wait: v.wait, timeoutMs: minutes * 60_000, verify: parseVerify(v.verify) };
  },

  async plan(input, ports) {
    // Unknown check names are refused before anything is read or changed.
    const verify = plannedChecks(input.verify, ports.verify);
    const label = formatTarget(input.target);
    const state = await ports.services(input.target).describe(input.ref);
    if (!state || state.status !== 'ACTIVE') {
      throw new InputError(`service ${input.ref.service} in cluster ${input.ref.cluster} ${state ? `is ${state.status}` : 'does not exist'}`, { field: 'target', code: 'TARGET_NOT_FOUND' });
    }
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const scale = input.count !== undefined && input.count !== state.desiredCount;
    if (input.count !== undefined && !scale) unchanged.push({ target: label, subject: 'desired count', reason: `already ${input.count}` });
    if (scale) changes.push({ target: label, action: 'scale', subject: 'desired count', detail: { from: state.desiredCount, to: input.count } });
    const rolling = state.deployments.length > 1;
    const restart = input.restart && !rolling;
    if (input.restart && rolling) {
      warnings.push(`A rollout is already in progress (${state.deployments.length} deployments): waiting for it instead of starting another.`);
    }
    if (restart) changes.push({ target: label, action: 'restart', subject: input.ref.service, detail: { taskDefinition: state.taskDefinition, running: state.runningCount, desired: state.desiredCount } });
    const wait = input.wait && (changes.length > 0 || rolling);
    if (wait) changes.push({ target: label, action: 'wait-steady', subject: input.ref.service, detail: { timeoutMinutes: input.timeoutMs / 60_000 } });
    if (!restart && !scale && !rolling && input.restart === false) unchanged.push({ target: label, subject: input.ref.service, reason: 'steady; nothing to change' });
    return { step: 'restart-service', changes, unchanged, warnings, meta: { label, scale, restart, wait, from: state.desiredCount, verify } };
  },

  guard(plan, input) {
    // Scaling to zero is an outage by another name: possible, but only on purpose.
    if (plan.meta!.scale && input.count === 0) {
      throw new GuardError(`refused: scaling ${input.ref.service} to 0 stops every task (from ${plan.meta!.from})`, { code: 'SCALE_TO_ZERO' });
    }
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const ecs = ports.services(input.target);
    const out = (action: string, status: Outcome['status'], reason?: string): Outcome => ({ target: meta.label, action, subject: action === 'scale' ? 'desired count' : input.ref.service, status, ...(reason ? { reason: ctx.redactor.scrub(reason) } : {}) });
    const outcomes: Outcome[] = [];
    if (meta.scale) {
      try {
        const s = await ecs.update(input.ref, { kind: 'desired-count', desiredCount: input.count! });
        outcomes.push(out('scale', 'applied', `desired count ${meta.from} → ${s.desiredCount}`));
      } catch (e) {
        outcomes.push(out('scale', 'failed', `desired count still ${meta.from}: ${asError(e).message}`));
        if (meta.restart) outcomes.push(out('restart', 'skipped', 'not restarted: the scale failed'));
        return outcomes;
      }
    }
    if (meta.restart) {
      try {
        const s = await ecs.update(input.ref, { kind: 'force-new-deployment' });
        const primary = s.deployments.find((d) => d.status === 'PRIMARY');
        outcomes.push(out('restart', 'applied', `new deployment ${primary?.id ?? '(id not reported)'} started`));
      } catch (e) {
        outcomes.push(out('restart', 'failed', `not restarted: ${asError(e).message}`));
        return outcomes;
      }
    }
    if (meta.wait) {
      const report = (m: string) => (ctx.progress ? ctx.progress(m) : ctx.logger.info(m));
      let result: EcsSettleResult;
      try {
        result = await ecs.waitSteady(input.ref, {
          timeoutMs: input.timeoutMs,
          ...(ports.pollMs === undefined ? {} : { pollMs: ports.pollMs }),
          onProgress: (p) => report(`${input.ref.service}: ${p.runningCount} of ${p.desiredCount} running, ${p.deployments} deployment(s), waited ${Math.round(p.waitedMs / 1000)}s`),
        });
      } catch (e) {
        outcomes.push(out('wait-steady', 'failed', `could not read the service while waiting: ${asError(e).message}. The change stands; re-run with restart off to keep waiting.`));
        return outcomes;
      }
      const s = result.state;
      const facts = s ? `${s.runningCount} of ${s.desiredCount} running, ${s.deployments.length} deployment(s)` : 'service gone';
      outcomes.push(
        result.settled
          ? out('wait-steady', 'applied', `steady after ${Math.round(result.waitedMs / 1000)}s: ${facts}`)
          : out('wait-steady', 'failed', `not steady (${result.reason}) after ${Math.round(result.waitedMs / 1000)}s: ${facts}. What was changed stands; re-run with restart off to keep waiting.`),
      );
    }
    return outcomes;
  },

  async verify(plan, outcomes, _input, ports, ctx) {
    return [...outcomes, ...(await healthAfter(plan.meta!.verify, outcomes, ports.verify?.health, ctx, RESTART_LEFT_IN_PLACE))];
  },
};
