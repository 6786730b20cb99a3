import { targetsOf } from '../../drill/runbook/edge-kit.js';
import { openRateRecords, prepareRateStep, rateCommon, type RateState } from '../../drill/runbook/edge-rate.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { check, checkEqual } from '../../drill/scenario.js';

/**
 * restore-rate: both rate rules read back exactly as before the drill's first rate step (the
 * production values limit-rate found), no rate record of the incident is left open in the edge
 * ledger, and the `verify_after` checks passed. Refused: both rules unchanged.
 */
export const restoreRateFixture: RunbookFixture = {
  prepare: (world, input) => prepareRateStep(world, 'restore-rate', input),

  async verify(world, outcome) {
    const { kit, now, out, done } = await rateCommon(world, 'restore-rate', outcome);
    if (done) return out;
    const baseline = await world.once<RateState>('rate:baseline', async () => now);
    const targets = targetsOf(outcome.input);
    if (targets.waf) out.push(checkEqual('WAF rate rule reads back exactly as before the incident', now.waf, baseline.waf));
    if (targets.cloudflare) out.push(checkEqual('Cloudflare rate rule reads back exactly as before the incident', now.cf, baseline.cf));
    const open = await openRateRecords(world, kit);
    out.push(check(`no rate record of ${world.incidentId} is left open in the edge ledger`, open === 0, `${open} still open`));
    return out;
  },
};
