import { InputError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import type { Outcome, Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { formatTarget, parseTarget } from '../../core/target.js';
import { healthAfter, parseVerify, plannedChecks } from '../shared/health-after.js';
import { applyArgo, planArgo, type ArgoMeta } from './argocd.js';
import { applyEcs, planEcs, type EcsMeta } from './ecs.js';
import { applyGitHub, planGitHub, type GitHubMeta } from './github.js';
import { rollbackInputs } from './inputs.js';
import type { RollbackPorts } from './ports.js';
import { rollbackMarker, type PlanPart, type RollbackInput } from './shared.js';
import { applyWorkers, planWorkers, type WorkersMeta } from './workers.js';

/**
 * rollback: put the last known-good version of a deploy back, on the provider the target names.
 * Each provider's rules live in its own module (github.ts, ecs.ts, workers.ts, argocd.ts); all of
 * them leave the run's marker where the provider allows, so a re-run of an applied rollback plans
 * nothing and a half-done one finishes instead of stepping back again.
 */

export const ROLLBACK_KINDS = ['github:environment', 'github:branch', 'aws:ecs-service', 'cloudflare:worker', 'argocd:application'] as const;

/** The provider's meta plus the health checks to run after applying. */
export type RollbackMeta = (GitHubMeta | EcsMeta | WorkersMeta | ArgoMeta) & { verify: string[] };

const NAME = 'rollback';
/** A failed check after a rollback: the known-good version stays deployed; nothing is undone. */
export const ROLLBACK_LEFT_IN_PLACE = 'The rollback was applied and is left in place (nothing was undone): if the check is right, roll back further with `to`, or deploy a fix';
const MAX_WAIT_MINUTES = 120;

export const rollbackStep: StepDefinition<RollbackInput, RollbackPorts, RollbackMeta> = {
  name: NAME,
  description: 'Roll back a bad deploy to the last known-good version (GitHub deployment or restoring commit, ECS task definition, Workers version, Argo CD history)',

  parse(raw) {
    const v = readInputs(rollbackInputs, raw);
    const target = parseTarget(v.target, { kinds: ROLLBACK_KINDS });
    const github = target.provider === 'github';
    if (!github && v.method !== 'deployment') throw new InputError(`method ${v.method} is for GitHub targets only`, { field: 'method', code: 'INPUT_CONFLICT' });
    if (!github && v.branch) throw new InputError('branch is for GitHub targets only', { field: 'branch', code: 'INPUT_CONFLICT' });
    if (target.kind === 'branch' && v.method === 'deployment') throw new InputError('a branch target is rolled back by method pull-request or push', { field: 'method', code: 'INPUT_CONFLICT' });
    if (v.force && target.provider !== 'cloudflare') throw new InputError('force is for Workers targets only', { field: 'force', code: 'INPUT_CONFLICT' });
    if (v.branch) parseTarget(`github:branch:${v.branch}`, { field: 'branch' });
    const minutes = Number(v.waitMinutes);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_WAIT_MINUTES) {
      throw new InputError(`wait-minutes must be a whole number from 1 to ${MAX_WAIT_MINUTES}; got ${JSON.stringify(v.waitMinutes)}`, { field: 'wait-minutes', code: 'INPUT_INVALID' });
    }
    return {
      target,
      to: v.to,
      method: v.method as RollbackInput['method'],
      branch: v.branch,
      force: v.force,
      waitMs: minutes * 60_000,
      rollbackId: v.rollbackId,
      verify: parseVerify(v.verify),
    };
  },

  async plan(input, ports, ctx) {
    // Unknown check names are refused before anything is read or changed.
    const verify = plannedChecks(input.verify, ports.verify);
    const marker = rollbackMarker(input, ctx);
    const label = formatTarget(input.target);
    let part: PlanPart<GitHubMeta | EcsMeta | WorkersMeta | ArgoMeta>;
    switch (input.target.provider) {
      case 'github':
        part = await planGitHub(input, ports.github(input.target.scope.account), marker, label);
        break;
      case 'aws':
        part = await planEcs(input, ports.ecs(input.target.scope), marker, label);
        break;
      case 'cloudflare':
        part = await planWorkers(input, ports.workers(input.target.scope.account), marker, label);
        break;
      default:
        part = await planArgo(input, ports.argocd(), marker, label);
    }
    const plan: Plan<RollbackMeta> = { step: NAME, ...part, meta: { ...part.meta, verify } };
    return plan;
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const change = plan.changes[0]!;
    let outcomes: Outcome[];
    if (meta.provider === 'github') outcomes = await applyGitHub(meta, ports.github(input.target.scope.account), change, ctx);
    else if (meta.provider === 'ecs') outcomes = await applyEcs(meta, ports.ecs(input.target.scope), change, input, ctx);
    else if (meta.provider === 'workers') outcomes = await applyWorkers(meta, ports.workers(input.target.scope.account), change, ctx);
    else outcomes = await applyArgo(meta, ports.argocd(), change, ctx);
    return outcomes;
  },

  async verify(plan, outcomes, _input, ports, ctx) {
    return [...outcomes, ...(await healthAfter(plan.meta!.verify, outcomes, ports.verify?.health, ctx, ROLLBACK_LEFT_IN_PLACE))];
  },
};
