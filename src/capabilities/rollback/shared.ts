import { createHash } from 'node:crypto';
import { InputError } from '../../core/errors.js';
import type { Change, Unchanged } from '../../core/plan.js';
import type { StepContext } from '../../core/step.js';
import { formatTarget, type TargetRef } from '../../core/target.js';

export interface RollbackInput {
  target: TargetRef;
  to: string | undefined;
  method: 'deployment' | 'pull-request' | 'push';
  branch: string | undefined;
  force: boolean;
  waitMs: number;
  rollbackId: string | undefined;
  /** Health checks after applying; null: rollback.verify_after. */
  verify: string[] | null;
}

/** What a provider's planner returns; the step wraps it into the Plan. */
export interface PlanPart<M> {
  changes: Change[];
  unchanged: Unchanged[];
  warnings: string[];
  meta: M;
}

/**
 * The run's marker: a short hash of the target and the run (rollback-id, else the workflow run,
 * else the incident). Written where the provider lets it be (a deployment payload, a branch name,
 * a commit trailer, a tag, an annotation, a deployment message), it lets a re-run recognise its own
 * rollback instead of treating the restored version as "current" and rolling back further.
 */
export function rollbackMarker(input: RollbackInput, ctx: StepContext): string {
  let runKey: string;
  if (input.rollbackId) runKey = `id:${input.rollbackId}`;
  else if (ctx.runUrl) runKey = `run:${ctx.runUrl}`;
  else if (ctx.incidentId) runKey = `incident:${ctx.incidentId}`;
  else {
    throw new InputError('rollback-id is required outside a workflow run and an incident: a re-run needs it to recognise this rollback instead of rolling back twice', {
      field: 'rollback-id',
      code: 'INPUT_MISSING',
    });
  }
  return createHash('sha256').update(`firebreak-rollback\u0000${formatTarget(input.target)}\u0000${runKey}`, 'utf8').digest('hex').slice(0, 16);
}
