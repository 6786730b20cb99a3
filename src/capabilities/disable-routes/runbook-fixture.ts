import { targetsOf } from '../../drill/runbook/edge-kit.js';
import { cloudflareHolds, cloudflareRegex, openRouteRecords, prepareRouteStep, routeCommon, routesOf, wafHolds } from '../../drill/runbook/edge-routes.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { check } from '../../drill/scenario.js';

/**
 * disable-routes: every route is in the WAF kill-switch regex set (compiled as firebreak compiles
 * it) and matched by the enabled Cloudflare kill-switch rule, the edge ledger in the kit's evidence
 * bucket holds an open record naming them, and the `verify_after` checks passed against the app.
 * Refused: the regex set and the kill-switch are unchanged.
 */
export const disableRoutesFixture: RunbookFixture = {
  prepare: (world, input) => prepareRouteStep(world, 'disable-routes', input),

  async verify(world, outcome) {
    const { kit, now, out, done } = await routeCommon(world, 'disable-routes', outcome);
    if (done) return out;
    const routes = routesOf(outcome.input);
    const targets = targetsOf(outcome.input);
    const regex = await cloudflareRegex(world);
    for (const r of targets.waf ? routes : []) out.push(wafHolds(now, r));
    if (targets.cloudflare) out.push(check('Cloudflare kill-switch rule is enabled', now.cf?.enabled === true, JSON.stringify(now.cf)));
    for (const r of targets.cloudflare ? routes : []) out.push(cloudflareHolds(now, r, regex));
    const recorded = await openRouteRecords(world, kit);
    out.push(check(`the edge ledger (${kit.bucket}) holds an open record of these routes for ${world.incidentId}`, routes.every((r) => recorded.includes(r.text)), `open records name ${recorded.join(', ') || 'nothing'}`));
    return out;
  },
};
