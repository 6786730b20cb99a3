import { checkEqual, type Expectation } from '../scenario.js';
import type { StepOutcome } from './fixture.js';
import { cloudflareRateRule, ensureEdgeKit, openEdgeRecords, targetsOf, wafRateRule, type RunbookEdgeKit } from './edge-kit.js';
import { applied, noCredentialInAudit, recall, remember } from './fixture-support.js';
import { ensureHealthChecks, healthChecksPassed, probeCounts, verifyAfterNames } from './health-app.js';
import type { RunbookWorld } from './world.js';

/**
 * What the rate fixtures (limit-rate, restore-rate) share: both rate rules before the drill's first
 * rate step (what restore-rate must put back), before each step, and the after-checks.
 */
export interface RateState {
  waf: unknown;
  cf: Record<string, unknown> | undefined;
}

interface Before extends RateState {
  names: string[];
  probes: Record<string, number>;
}

export async function rateState(kit: RunbookEdgeKit): Promise<RateState> {
  return { waf: structuredClone(await wafRateRule(kit)), cf: cloudflareRateRule(kit) };
}

export async function prepareRateStep(world: RunbookWorld, step: string, input: Readonly<Record<string, unknown>>): Promise<void> {
  const kit = await ensureEdgeKit(world);
  await world.once('rate:baseline', () => rateState(kit));
  const names = await verifyAfterNames(world, input, 'rate_limits');
  const probes = names.length ? probeCounts(await ensureHealthChecks(world, names), names) : {};
  remember(world, step, { ...(await rateState(kit)), names, probes } satisfies Before);
}

export async function rateCommon(world: RunbookWorld, step: string, outcome: StepOutcome): Promise<{ kit: RunbookEdgeKit; before: Before; now: RateState; out: Expectation[]; done: boolean }> {
  const kit = await ensureEdgeKit(world);
  const before = recall<Before>(world, step)!;
  const now = await rateState(kit);
  const out: Expectation[] = [await noCredentialInAudit(world, step)];
  if (!applied(outcome)) {
    out.push(checkEqual(`${step} refused: both rate rules are unchanged`, now, { waf: before.waf, cf: before.cf }));
    return { kit, before, now, out, done: true };
  }
  const targets = targetsOf(outcome.input);
  if (!targets.waf) out.push(checkEqual('target cloudflare: the WAF rate rule is untouched', now.waf, before.waf));
  if (!targets.cloudflare) out.push(checkEqual('target waf: the Cloudflare rate rule is untouched', now.cf, before.cf));
  out.push(...(await healthChecksPassed(world, step, before.names, before.probes, { afterChange: true })));
  return { kit, before, now, out, done: false };
}

export async function openRateRecords(world: RunbookWorld, kit: RunbookEdgeKit): Promise<number> {
  return (await openEdgeRecords(world, kit, 'rate')).filter((r) => r.incidentId === world.incidentId).length;
}
