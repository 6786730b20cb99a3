import { cloudflareRegex, openRouteRecords, prepareRouteStep, routeCommon, routesOf, type RouteState } from '../../drill/runbook/edge-routes.js';
import { cloudflareClause, wafRegex } from '../../core/routes/compile.js';
import { targetsOf } from '../../drill/runbook/edge-kit.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { check, checkEqual } from '../../drill/scenario.js';

/**
 * enable-routes: with no routes given, everything the incident disabled comes back — the WAF regex
 * set and the Cloudflare kill-switch read back exactly as before the drill's first route step and
 * no open route record of the incident is left in the edge ledger; with routes given, exactly those
 * are gone from both. The `verify_after` checks passed. Refused: nothing changed.
 */
export const enableRoutesFixture: RunbookFixture = {
  prepare: (world, input) => prepareRouteStep(world, 'enable-routes', input),

  async verify(world, outcome) {
    const { kit, now, out, done } = await routeCommon(world, 'enable-routes', outcome);
    if (done) return out;
    const routes = routesOf(outcome.input);
    const targets = targetsOf(outcome.input);
    const regex = await cloudflareRegex(world);
    const recorded = await openRouteRecords(world, kit);
    if (routes.length === 0) {
      const baseline = await world.once<RouteState>('routes:baseline', async () => now);
      if (targets.waf) out.push(checkEqual('WAF kill-switch regex set is back to its state before the incident', now.waf, baseline.waf));
      if (targets.cloudflare) out.push(checkEqual('Cloudflare kill-switch is back to its state before the incident', now.cf, baseline.cf));
      out.push(check(`no route record of ${world.incidentId} is left open in the edge ledger`, recorded.length === 0, `still open: ${recorded.join(', ')}`));
      return out;
    }
    for (const r of targets.waf ? routes : []) out.push(check(`WAF kill-switch regex set no longer holds ${r.text}`, !now.waf.includes(wafRegex(r)), `set holds ${now.waf.join(', ')}`));
    for (const r of targets.cloudflare ? routes : []) out.push(check(`Cloudflare kill-switch no longer matches ${r.text}`, !(now.cf?.expression ?? '').includes(cloudflareClause(r, { regex }).clause), `expression ${now.cf?.expression}`));
    return out;
  },
};
