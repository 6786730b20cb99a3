import { cloudflareClause, wafRegex } from '../../core/routes/compile.js';
import { parseRoutes, type Route } from '../../core/routes/syntax.js';
import { check, checkEqual, type Expectation } from '../scenario.js';
import type { StepOutcome } from './fixture.js';
import { cloudflareKillSwitch, ensureEdgeKit, openEdgeRecords, targetsOf, wafRoutePatterns, type RunbookEdgeKit } from './edge-kit.js';
import { applied, noCredentialInAudit, recall, remember } from './fixture-support.js';
import { ensureHealthChecks, healthChecksPassed, probeCounts, verifyAfterNames } from './health-app.js';
import type { RunbookWorld } from './world.js';

/**
 * What the route fixtures (disable-routes, enable-routes) share: the kill-switch state before the
 * drill's first route step (the baseline enable-routes must return to), the state before each step,
 * and the health checks the step runs after applying.
 */
export interface RouteState {
  waf: string[];
  cf: { expression: string; enabled: boolean } | undefined;
}

interface Before extends RouteState {
  names: string[];
  probes: Record<string, number>;
}

export async function routeState(kit: RunbookEdgeKit): Promise<RouteState> {
  const rule = cloudflareKillSwitch(kit);
  return { waf: await wafRoutePatterns(kit), cf: rule ? { expression: rule.expression, enabled: rule.enabled } : undefined };
}

export async function prepareRouteStep(world: RunbookWorld, step: string, input: Readonly<Record<string, unknown>>): Promise<void> {
  const kit = await ensureEdgeKit(world);
  await world.once('routes:baseline', () => routeState(kit));
  const names = await verifyAfterNames(world, input, 'routes');
  const probes = names.length ? probeCounts(await ensureHealthChecks(world, names), names) : {};
  remember(world, step, { ...(await routeState(kit)), names, probes } satisfies Before);
}

/** Shared by both route steps: a refusal changed nothing; an applied run passed its after-checks. */
export async function routeCommon(world: RunbookWorld, step: string, outcome: StepOutcome): Promise<{ kit: RunbookEdgeKit; before: Before; now: RouteState; out: Expectation[]; done: boolean }> {
  const kit = await ensureEdgeKit(world);
  const before = recall<Before>(world, step)!;
  const now = await routeState(kit);
  const out: Expectation[] = [await noCredentialInAudit(world, step)];
  if (!applied(outcome)) {
    out.push(checkEqual(`${step} refused: the WAF regex set and the Cloudflare kill-switch are unchanged`, now, { waf: before.waf, cf: before.cf }));
    return { kit, before, now, out, done: true };
  }
  const targets = targetsOf(outcome.input);
  if (!targets.waf) out.push(checkEqual(`target cloudflare: the WAF regex set is untouched`, now.waf, before.waf));
  if (!targets.cloudflare) out.push(checkEqual(`target waf: the Cloudflare kill-switch is untouched`, now.cf, before.cf));
  out.push(...(await healthChecksPassed(world, step, before.names, before.probes, { afterChange: true })));
  return { kit, before, now, out, done: false };
}

export function routesOf(input: Readonly<Record<string, unknown>>): Route[] {
  // As the step reads them: one route per line (a method and its path are separated by a space).
  const raw = Array.isArray(input.routes) ? input.routes.map(String).join('\n') : typeof input.routes === 'string' ? input.routes : '';
  return raw.trim() ? parseRoutes(raw) : [];
}

export async function cloudflareRegex(world: RunbookWorld): Promise<boolean> {
  return (await world.configValue(['routes', 'cloudflare_regex'])) === true;
}

export function wafHolds(now: RouteState, route: Route): Expectation {
  const pattern = wafRegex(route);
  return check(`WAF kill-switch regex set holds ${route.text} (${pattern})`, now.waf.includes(pattern), `set holds ${now.waf.join(', ') || 'nothing'}`);
}

export function cloudflareHolds(now: RouteState, route: Route, regex: boolean): Expectation {
  const { clause } = cloudflareClause(route, { regex });
  return check(`Cloudflare kill-switch matches ${route.text}`, now.cf?.expression.includes(clause) === true, `expression ${now.cf?.expression}`);
}

export async function openRouteRecords(world: RunbookWorld, kit: RunbookEdgeKit): Promise<string[]> {
  return (await openEdgeRecords(world, kit, 'routes')).filter((r) => r.incidentId === world.incidentId).flatMap((r) => Object.values(r.routes ?? {}).flat());
}
