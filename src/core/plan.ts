/**
 * Plans and results: the pure description of what a step will change, and what happened.
 * A plan is shown in dry-run, in the job summary and in the audit record before anything changes.
 */

/** One intended change to one subject on one target, e.g. add 203.0.113.0/24 to waf:REGIONAL:ipv4. */
export interface Change {
  /** Stable target id: `<provider>:<resource>` such as `waf:REGIONAL:IPV4` or `cloudflare:list`. */
  target: string;
  /** Verb: add, remove, create, update, disable, enable, rotate, stop, snapshot … */
  action: string;
  /** The thing changed: an address, a route, a secret's name (never its value). */
  subject: string;
  detail?: Record<string, unknown> | undefined;
}

/** A subject already in the desired state: shown so a responder sees the plan is complete. */
export interface Unchanged {
  target: string;
  subject: string;
  reason: string;
}

/**
 * `M` is the step's own metadata type (what apply needs from plan, e.g. an expiry): typed per
 * step, so apply reads `plan.meta.expiresAt` without a cast. It must be plain JSON: it is recorded.
 */
export interface Plan<M = Record<string, unknown>> {
  step: string;
  changes: Change[];
  unchanged: Unchanged[];
  /** Facts a responder should read before approving (e.g. "widened 2001:db8::1 to its /64"). */
  warnings: string[];
  /** Step-specific data apply needs (e.g. lock tokens are NOT kept here: apply re-reads). */
  meta?: M | undefined;
}

export type OutcomeStatus = 'applied' | 'already' | 'failed' | 'skipped';

export interface Outcome {
  target: string;
  action: string;
  subject: string;
  status: OutcomeStatus;
  /** Why it failed or was skipped, in words a responder can act on. */
  reason?: string | undefined;
  retryable?: boolean | undefined;
  /** What the provider said it did (a message id, a channel), recorded as evidence; never a secret. */
  evidence?: Record<string, string> | undefined;
}

export type ResultStatus = 'ok' | 'noop' | 'partial' | 'failed';

export interface Result {
  status: ResultStatus;
  outcomes: Outcome[];
}

export function emptyPlan(step: string): Plan {
  return { step, changes: [], unchanged: [], warnings: [] };
}

export function summarise(outcomes: Outcome[]): Result {
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const applied = outcomes.filter((o) => o.status === 'applied').length;
  let status: ResultStatus;
  if (failed === 0) status = applied === 0 ? 'noop' : 'ok';
  else status = applied > 0 || outcomes.some((o) => o.status === 'already') ? 'partial' : 'failed';
  return { status, outcomes };
}

/** Groups outcomes by target with counts: the one-line-per-target part of a report. */
export function countByTarget(outcomes: Outcome[]): Map<string, Record<OutcomeStatus, number>> {
  const out = new Map<string, Record<OutcomeStatus, number>>();
  for (const o of outcomes) {
    const row = out.get(o.target) ?? { applied: 0, already: 0, failed: 0, skipped: 0 };
    row[o.status]++;
    out.set(o.target, row);
  }
  return out;
}
