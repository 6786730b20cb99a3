import type { EdgeRecord } from '../../core/edge/ports.js';
import { InputError } from '../../core/errors.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { parseIncident } from '../block-ips/step.js';
import { EDGE_LEFT_IN_PLACE, healthAfter } from '../shared/health-after.js';
import { describeError } from '../shared/ip-block-targets.js';
import { CF_RATE_TARGET, enforceGuards, LEDGER_TARGET, parseEdgeTarget, parseText, parseVerify, resolveHealth, WAF_RATE_TARGET, type EdgePorts, type EdgeTargetSelection } from '../shared/edge-support.js';
import { guardsOf } from '../shared/route-targets.js';
import { describeRate, readBackRates, readRates, resolveRateTargets, sameRate, writeRate, type RateValues } from '../shared/rate-targets.js';
import type { RateMeta } from '../limit-rate/step.js';

/**
 * restore-rate: puts back exactly the values limit-rate found, from the edge ledger: per target, the
 * values before the first open change (for the incident, when given). When a target no longer holds
 * what the last limit-rate set, someone changed it by hand in between: the plan says what it holds
 * and the run needs an audited override (RATE_CHANGED_BY_HAND) to overwrite it.
 */
export interface RestoreRateInput {
  target: EdgeTargetSelection;
  reason: string;
  incidentId: string | null;
  verify: string[] | null;
}

interface RestoreMeta extends RateMeta {
  closes: string[];
}

export const restoreRateStep: StepDefinition<RestoreRateInput, EdgePorts, RestoreMeta> = {
  name: 'restore-rate',
  description: 'Restore the rate limits limit-rate changed to exactly their previous values (from the edge ledger).',

  parse(raw, ctx) {
    return { target: parseEdgeTarget(raw.target), reason: parseText(raw.reason, 'reason'), incidentId: parseIncident(raw.incident, ctx, false), verify: parseVerify(raw.verify) };
  },

  async plan(input, ports) {
    if (!ports.ledger) throw new InputError('restore-rate needs the edge ledger (FIREBREAK_EVIDENCE_BUCKET): the previous values are kept there', { field: 'target', code: 'LEDGER_MISSING' });
    const targets = resolveRateTargets(input.target, ports);
    const verify = input.verify ?? ports.settings.rateVerifyAfter;
    resolveHealth(verify, ports.health);
    const records = (await ports.ledger.list('rate')).filter((r) => input.incidentId === null || r.incidentId === input.incidentId);
    const live = await readRates(targets, ports);
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const findings: RateMeta['findings'] = [];
    const before: RateValues = {};
    const after: RateValues = {};
    const closes = new Set<string>();
    for (const target of [WAF_RATE_TARGET, CF_RATE_TARGET] as const) {
      if (!(target in live)) continue;
      const mine = records.filter((r) => r.rate?.[target]);
      if (mine.length === 0) {
        unchanged.push({ target, subject: describeRate(target, live[target]), reason: `no open limit-rate record${input.incidentId ? ` for ${input.incidentId}` : ''}` });
        continue;
      }
      mine.forEach((r) => closes.add(r.id));
      const first = mine[0]!.rate![target]!;
      const last = mine[mine.length - 1]!.rate![target]!;
      (before as Record<string, unknown>)[target] = live[target];
      (after as Record<string, unknown>)[target] = first.before;
      if (sameRate(live[target], first.before)) {
        unchanged.push({ target, subject: describeRate(target, first.before), reason: 'already at the recorded previous values' });
        continue;
      }
      if (!sameRate(live[target], last.after)) {
        findings.push({
          code: 'RATE_CHANGED_BY_HAND',
          message: `${target} holds ${describeRate(target, live[target])}, not the ${describeRate(target, last.after)} limit-rate set (${recordLabel(mine[mine.length - 1]!)}): it was changed by hand since; restoring overwrites that`,
          overridable: true,
        });
      }
      changes.push({ target, action: 'restore', subject: describeRate(target, first.before), detail: { now: describeRate(target, live[target]) } });
    }
    if (records.length === 0) warnings.push(`the edge ledger holds no open limit-rate record${input.incidentId ? ` for ${input.incidentId}` : ''}: nothing to restore`);
    if (closes.size) changes.push({ target: LEDGER_TARGET, action: 'close', subject: `${closes.size} record(s)` });
    return { step: 'restore-rate', changes, unchanged, warnings, meta: { targets, before, after, verify, findings, closes: [...closes] } };
  },

  guard(plan, _input, ctx) {
    enforceGuards(guardsOf(plan.meta!.findings), plan, ctx);
  },

  async apply(plan, _input, ports, ctx) {
    const meta = plan.meta!;
    const sets = plan.changes.filter((c) => c.target === WAF_RATE_TARGET || c.target === CF_RATE_TARGET);
    const results: Outcome[] = await Promise.all(sets.map((c) => writeRate(c.target, meta.after[c.target as keyof RateValues], ports, 'restore')));
    if (meta.closes.length) {
      const subject = `${meta.closes.length} record(s)`;
      if (results.some((o) => o.status === 'failed')) results.push({ target: LEDGER_TARGET, action: 'close', subject, status: 'skipped', reason: 'a restore failed; the records stay open so a re-run finds them' });
      else {
        try {
          for (const id of meta.closes) await ports.ledger!.close(id, { actor: ctx.actor, at: ctx.clock.now().toISOString(), runUrl: ctx.runUrl });
          results.push({ target: LEDGER_TARGET, action: 'close', subject, status: 'applied' });
        } catch (error) {
          const { reason, retryable } = describeError(error);
          results.push({ target: LEDGER_TARGET, action: 'close', subject, status: 'failed', reason, retryable });
        }
      }
    }
    return results;
  },

  async verify(plan, outcomes, _input, ports, ctx) {
    const read = await readBackRates(outcomes, plan.meta!.after, plan.meta!.targets, ports);
    return [...read, ...(await healthAfter(plan.meta!.verify, outcomes, ports.health, ctx, EDGE_LEFT_IN_PLACE))];
  },
};

function recordLabel(r: EdgeRecord): string {
  return `${r.incidentId}, ${r.createdAt} by ${r.actor}`;
}
