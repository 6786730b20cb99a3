import { AUDIT_FORMAT_VERSION, type AuditRecord, type AuditSink, type AuditStatus, type SealedEntry } from './audit.js';
import { canonicalJson } from './canonical-json.js';
import { recordedError } from './error-view.js';
import { GuardError, PartialFailureError } from './errors.js';
import { summarise, type Outcome, type Plan, type Result } from './plan.js';
import { Redactor } from './redact.js';
import type { Clock, Logger, Sleep } from './runtime.js';

/**
 * The step contract. Every capability is a StepDefinition run by `runStep`:
 *
 *   parse (validate) → plan → guard → [dry-run stops here] → apply → verify → audit
 *
 * `parse` and `guard` throw typed errors before anything changes. `apply` returns one Outcome per
 * change and must not throw for a single target's failure: it reports it, so a partial failure says
 * exactly what was and was not applied. Applying the same plan twice changes nothing the second time.
 * An audit record is appended for every run, including refused and failed ones.
 */
export interface StepDefinition<I, P, M = Record<string, unknown>> {
  /** Slug shared by the step, its action, its workflow and its runbook references. */
  name: string;
  description: string;
  /** Input fields that hold secrets: replaced in audit records, masked by the action shell. */
  secretInputs?: readonly string[];
  parse(raw: Record<string, unknown>, ctx: StepContext): I;
  plan(input: I, ports: P, ctx: StepContext): Promise<Plan<M>>;
  guard?(plan: Plan<M>, input: I, ctx: StepContext): void | Promise<void>;
  apply(plan: Plan<M>, input: I, ports: P, ctx: StepContext): Promise<Outcome[]>;
  /** Reads back and downgrades outcomes that did not take; optional. */
  verify?(plan: Plan<M>, outcomes: Outcome[], input: I, ports: P, ctx: StepContext): Promise<Outcome[]>;
}

/** A check every step passes through before apply, e.g. a blast-radius cap. Throws GuardError. */
export type Guard = (plan: Plan<unknown>, ctx: StepContext) => void | Promise<void>;

export interface GuardOverride {
  /** The GuardError code being overridden, e.g. `BREADTH_EXCEEDED`. */
  guard: string;
  reason: string;
}

export interface StepContext {
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  /** Who pressed the button: GitHub actor or local user. */
  actor: string;
  incidentId: string | null;
  runUrl: string | null;
  dryRun: boolean;
  audit: AuditSink;
  redactor: Redactor;
  guards?: Guard[];
  overrides?: GuardOverride[];
  /** Reports progress while a slow provider operation is polled. */
  progress?: (message: string) => void;
}

export interface StepRun<I> {
  input: I | undefined;
  plan: Plan<unknown> | undefined;
  result: Result | undefined;
  entry: SealedEntry;
  overridden: GuardOverride[];
}

/** Builds a context with sane defaults; entry points override what they know. */
export function makeContext(partial: Partial<StepContext> & Pick<StepContext, 'audit' | 'clock' | 'sleep' | 'logger'>): StepContext {
  return {
    actor: 'unknown',
    incidentId: null,
    runUrl: null,
    dryRun: true,
    redactor: new Redactor(),
    guards: [],
    overrides: [],
    ...partial,
  };
}

/**
 * Runs one step end to end and audits it. Returns the run on success or dry-run; throws a typed
 * error otherwise (after the audit record is written). PartialFailureError carries the Result.
 */
export async function runStep<I, P, M>(step: StepDefinition<I, P, M>, raw: Record<string, unknown>, ports: P, ctx: StepContext): Promise<StepRun<I>> {
  let input: I | undefined;
  let plan: Plan<M> | undefined;
  let result: Result | undefined;
  let status: AuditStatus = 'refused';
  let failure: unknown;
  // A flag, not `failure !== undefined`: `throw undefined` must fail the run too.
  let threw = false;
  const overridden: GuardOverride[] = [];

  for (const field of step.secretInputs ?? []) {
    const v = raw[field];
    if (typeof v === 'string') ctx.redactor.register(v);
  }

  try {
    input = step.parse(raw, ctx);
    plan = await step.plan(input, ports, ctx);
    await runGuards(step, plan, input, ctx, overridden);
    for (const w of plan.warnings) ctx.logger.warn(w);

    if (ctx.dryRun) {
      status = 'planned';
    } else if (plan.changes.length === 0) {
      result = summarise(plan.unchanged.map((u) => ({ target: u.target, action: 'none', subject: u.subject, status: 'already' as const, reason: u.reason })));
      status = 'noop';
    } else {
      status = 'failed';
      let outcomes = await step.apply(plan, input, ports, ctx);
      if (step.verify) outcomes = await step.verify(plan, outcomes, input, ports, ctx);
      const already = plan.unchanged.map((u) => ({ target: u.target, action: 'none', subject: u.subject, status: 'already' as const, reason: u.reason }));
      result = summarise([...outcomes, ...already]);
      status = result.status === 'ok' ? 'applied' : result.status === 'noop' ? 'noop' : result.status;
      if (result.status === 'partial' || result.status === 'failed') {
        throw new PartialFailureError(describeFailure(step.name, result), result, {
          hint: 'Nothing applied is rolled back. Fix the cause named per target and re-run the same step: it converges.',
        });
      }
    }
  } catch (thrown) {
    threw = true;
    failure = thrown;
    if (status === 'planned' || status === 'noop') status = 'failed';
  }

  const record: AuditRecord = {
    v: AUDIT_FORMAT_VERSION,
    time: ctx.clock.now().toISOString(),
    incidentId: ctx.incidentId,
    actor: ctx.actor,
    runUrl: ctx.runUrl,
    step: step.name,
    status,
    dryRun: ctx.dryRun,
    // `input` is the step's normalised view (what incident state and auditors read); `given` is
    // what the responder typed, so a record shows both when normalising changed anything.
    input: ctx.redactor.redact(input ?? raw, step.secretInputs),
    ...givenInput(raw, input, step.secretInputs, ctx.redactor),
    plan: plan ? ctx.redactor.redact(plan) : null,
    result: result ? ctx.redactor.redact(result) : null,
    error: threw ? recordedError(failure, ctx.redactor) : null,
    override: overridden[0],
    ...(overridden.length ? { overrides: overridden } : {}),
  };
  const entry = await ctx.audit.append(record);
  if (threw) throw failure;
  return { input, plan, result, entry, overridden };
}

async function runGuards<I, P, M>(step: StepDefinition<I, P, M>, plan: Plan<M>, input: I, ctx: StepContext, overridden: GuardOverride[]): Promise<void> {
  const checks: Array<() => void | Promise<void>> = [
    ...(ctx.guards ?? []).map((g) => () => g(plan, ctx)),
    ...(step.guard ? [() => step.guard!(plan, input, ctx)] : []),
  ];
  for (const check of checks) {
    try {
      await check();
    } catch (error) {
      // A guard that cannot be overridden stays refused whatever the responder passed.
      const override = error instanceof GuardError && error.overridable ? ctx.overrides?.find((o) => o.guard === error.code && o.reason.trim() !== '') : undefined;
      if (!override) throw error;
      // Logged once with the plan's other warnings, right after the guards.
      plan.warnings.push(`Guard ${override.guard} overridden by ${ctx.actor}: ${override.reason}`);
      overridden.push(override);
    }
  }
}

function describeFailure(step: string, result: Result): string {
  const failed = result.outcomes.filter((o) => o.status === 'failed');
  const applied = result.outcomes.filter((o) => o.status === 'applied');
  const byTarget = new Map<string, string[]>();
  for (const o of failed) byTarget.set(o.target, [...(byTarget.get(o.target) ?? []), o.reason ?? 'unknown reason']);
  const reasons = [...byTarget].map(([t, rs]) => `${t}: ${[...new Set(rs)].join('; ')}`).join(' | ');
  return `${step}: ${failed.length} change(s) failed, ${applied.length} applied. Failed on ${reasons}`;
}

/** The responder's own input, when the step's normalised view says it differently. */
function givenInput(raw: Record<string, unknown>, input: unknown, secretFields: readonly string[] | undefined, redactor: Redactor): { given?: unknown } {
  if (input === undefined) return {};
  const given = redactor.redact(raw, secretFields);
  return canonicalJson(given) === canonicalJson(redactor.redact(input, secretFields)) ? {} : { given };
}

/** A guard that caps how many changes one run may make (blast radius). */
export function maxChangesGuard(limit: number): Guard {
  return (plan) => {
    if (plan.changes.length > limit) {
      throw new GuardError(`plan has ${plan.changes.length} changes, more than the blast-radius cap of ${limit}`, {
        code: 'BLAST_RADIUS',
        hint: 'Split the run, raise `limits.max_changes_per_run` in firebreak.yml, or override with a reason.',
      });
    }
  };
}
