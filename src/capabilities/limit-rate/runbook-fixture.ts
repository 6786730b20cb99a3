import type { RateBasedStatement } from '@aws-sdk/client-wafv2';
import { targetsOf } from '../../drill/runbook/edge-kit.js';
import { openRateRecords, prepareRateStep, rateCommon } from '../../drill/runbook/edge-rate.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { check, checkEqual } from '../../drill/scenario.js';

/** `60`, `1m`: seconds. */
function seconds(raw: unknown): number | null {
  const t = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!t) return null;
  return t.endsWith('m') ? Number(t.slice(0, -1)) * 60 : Number(t.replace(/s$/, ''));
}

/**
 * limit-rate: the WAF rate-based rule reads back the new limit and window, the Cloudflare rule the
 * same limit scaled to its counting period, the edge ledger holds an open rate record of the incident
 * (restore-rate's source), and the `verify_after` checks passed. Refused: both rules unchanged.
 */
export const limitRateFixture: RunbookFixture = {
  prepare: (world, input) => prepareRateStep(world, 'limit-rate', input),

  async verify(world, outcome) {
    const { kit, before, now, out, done } = await rateCommon(world, 'limit-rate', outcome);
    if (done) return out;
    const targets = targetsOf(outcome.input);
    const limit = Number(outcome.input.limit);
    const wafBefore = before.waf as RateBasedStatement | undefined;
    const window = seconds(outcome.input.window) ?? wafBefore?.EvaluationWindowSec ?? 60;
    if (targets.waf) {
      const waf = now.waf as RateBasedStatement | undefined;
      out.push(checkEqual(`WAF rate rule reads back ${limit} per ${window} s`, [waf?.Limit, waf?.EvaluationWindowSec], [limit, window]));
    }
    if (targets.cloudflare) {
      const rl = (now.cf?.ratelimit ?? {}) as Record<string, unknown>;
      const period = seconds(outcome.input['cloudflare-period'] ?? outcome.input.cloudflarePeriod) ?? ((before.cf?.ratelimit as Record<string, unknown> | undefined)?.period as number);
      const requests = Math.max(1, Math.round((limit * period) / window));
      out.push(checkEqual(`Cloudflare rate rule reads back ${requests} per ${period} s`, [rl.requests_per_period, rl.period], [requests, period]));
    }
    const open = await openRateRecords(world, kit);
    out.push(check(`the edge ledger (${kit.bucket}) holds an open rate record for ${world.incidentId}`, open > 0, 'no open rate record'));
    return out;
  },
};
