import type { AuditRecord } from '../audit.js';

/**
 * When does the audit trail say that evidence of a resource was captured in this incident?
 *
 * Isolation that destroys evidence (StopTask deletes a task's tags and ends its process; swapping
 * an instance's security groups cuts the connections a responder might still want to observe) is
 * refused until a capture of that very resource is on record. The rule, shared by every step that
 * captures (isolate's own capture phase, preserve-evidence) and every step that checks:
 *
 *   a record of THIS incident (`incidentId` equal), not a dry run, whose `result.outcomes` hold an
 *   outcome with `action` in EVIDENCE_ACTIONS, `status` `applied` or `already`, and `target` equal
 *   to the resource's canonical target (`aws:instance:i-…`, `aws:ecs-task:cluster/task-id`,
 *   without the `@scope`) — or its bare provider id (`i-…`, the task id or task ARN).
 *
 * A refused, failed-before-apply or dry-run record never counts: nothing was captured then.
 */
export const EVIDENCE_ACTIONS: readonly string[] = ['capture', 'snapshot', 'preserve'];

export interface CaptureFound {
  step: string;
  time: string;
  action: string;
  subject: string;
}

interface OutcomeLike {
  target?: unknown;
  action?: unknown;
  subject?: unknown;
  status?: unknown;
}

/** The first capture of any of `names` (canonical target and bare ids) recorded in `incidentId`. */
export function findEvidenceCapture(records: readonly AuditRecord[], incidentId: string, names: readonly string[]): CaptureFound | undefined {
  const wanted = new Set(names.filter((n) => n !== ''));
  for (const record of records) {
    if (record.incidentId !== incidentId || record.dryRun) continue;
    const outcomes = (record.result as { outcomes?: unknown } | null)?.outcomes;
    if (!Array.isArray(outcomes)) continue;
    for (const o of outcomes as OutcomeLike[]) {
      if (typeof o?.action !== 'string' || !EVIDENCE_ACTIONS.includes(o.action)) continue;
      if (o.status !== 'applied' && o.status !== 'already') continue;
      if (typeof o.target === 'string' && wanted.has(stripScope(o.target))) {
        return { step: record.step, time: record.time, action: o.action, subject: typeof o.subject === 'string' ? o.subject : '' };
      }
    }
  }
  return undefined;
}

/** `aws:instance:i-1@123456789012/eu-west-1` → `aws:instance:i-1` (the scope is where, not what). */
export function stripScope(target: string): string {
  const at = target.lastIndexOf('@');
  return at > 0 && target.indexOf(':') < at ? target.slice(0, at) : target;
}
