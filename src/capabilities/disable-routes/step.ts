import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import { parseRoutes, type Route } from '../../core/routes/syntax.js';
import type { StepDefinition } from '../../core/step.js';
import { parseIncident } from '../block-ips/step.js';
import {
  CF_ROUTES_TARGET,
  enforceGuards,
  LEDGER_TARGET,
  parseEdgeTarget,
  parseText,
  parseVerify,
  resolveHealth,
  routesFromDescription,
  WAF_RESPONSE_TARGET,
  WAF_ROUTES_TARGET,
  type EdgePorts,
  type EdgeTargetSelection,
} from '../shared/edge-support.js';
import { EDGE_LEFT_IN_PLACE, healthAfter } from '../shared/health-after.js';
import {
  capacityGuard,
  cloudflareDrift,
  compileCloudflare,
  ctxActor,
  guardsOf,
  judgeRoutes,
  planWaf,
  putLedger,
  resolveRouteTargets,
  setWafResponse,
  writeCloudflareRoutes,
  writeWafPatterns,
  type RouteMeta,
} from '../shared/route-targets.js';

/**
 * disable-routes: answers routes at the edge with the kill-switch (WAF: a custom 503 with
 * `retry-after`; Cloudflare: 403, the only kind of status a custom rule may block with).
 *
 *   parse (route syntax) → plan (each target read once; WAF patterns compiled, linear and within
 *   WAF's limits; the Cloudflare expression rebuilt from the whole list; breadth, protected routes
 *   and hand edits found) → guard (ROUTE_TOO_BROAD, ROUTE_PROTECTED, CLOUDFLARE_RULE_CHANGED:
 *   overridable with an audited reason; PROVIDER_LIMIT not) → apply (both targets, the response and
 *   the ledger in parallel) → verify (read back, then the configured health checks).
 */
export interface DisableRoutesInput {
  routes: Route[];
  target: EdgeTargetSelection;
  reason: string;
  incidentId: string;
  /** null: routes.verify_after. */
  verify: string[] | null;
}

export const disableRoutesStep: StepDefinition<DisableRoutesInput, EdgePorts, RouteMeta> = {
  name: 'disable-routes',
  description: "Disable routes at the edge: the kit's WAF regex pattern set (503 + retry-after) and the Cloudflare kill-switch rule (403).",

  parse(raw, ctx) {
    return {
      routes: parseRoutes(raw.routes),
      target: parseEdgeTarget(raw.target),
      reason: parseText(raw.reason, 'reason'),
      incidentId: parseIncident(raw.incident, ctx) as string,
      verify: parseVerify(raw.verify),
    };
  },

  async plan(input, ports) {
    const targets = resolveRouteTargets(input.target, ports);
    const verify = input.verify ?? ports.settings.routesVerifyAfter;
    resolveHealth(verify, ports.health);
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const findings = judgeRoutes(input.routes, ports.settings.protectedRoutes, 'routes');
    const meta: RouteMeta = { targets, wafPatterns: {}, verify, findings };

    const [patterns, response, cfState] = await Promise.all([
      targets.waf ? ports.waf!.regexSet!.read() : Promise.resolve([]),
      targets.waf && ports.waf!.ruleGroup ? ports.waf!.ruleGroup.readRouteResponse() : Promise.resolve(null),
      targets.cloudflare ? ports.cloudflare!.killSwitch!.read() : Promise.resolve(null),
    ]);

    if (targets.waf) {
      meta.wafPatterns = planWaf(input.routes, patterns, 'add', changes, unchanged);
      const over = capacityGuard(patterns.length, changes.filter((c) => c.target === WAF_ROUTES_TARGET).length);
      if (over) findings.push({ code: over.code, message: over.message, overridable: false });
      const want = ports.settings.wafResponse;
      if (!ports.waf!.ruleGroup) warnings.push('WAF: no rule group configured (FIREBREAK_WAF_RULE_GROUP_ARN): the kill-switch response is not checked');
      else if (response && (response.status !== want.status || response.retryAfterSeconds !== want.retryAfterSeconds)) {
        changes.push({ target: WAF_RESPONSE_TARGET, action: 'set', subject: `${want.status}, retry-after ${want.retryAfterSeconds}`, detail: { before: response } });
      }
    }

    if (cfState) {
      const before = routesFromDescription(cfState);
      const after = [...before];
      for (const r of input.routes) {
        if (before.includes(r.text)) unchanged.push({ target: CF_ROUTES_TARGET, subject: r.text, reason: 'already disabled' });
        else {
          after.push(r.text);
          changes.push({ target: CF_ROUTES_TARGET, action: 'add', subject: r.text });
        }
      }
      const compiled = compileCloudflare(after, ports);
      warnings.push(...compiled.warnings);
      // What Cloudflare will really match (widened when a parameter needs a regex) is judged too.
      const widened = compiled.effective.filter((e, i) => e.text !== after[i] && input.routes.some((r) => r.text === after[i]));
      findings.push(...judgeRoutes(widened, ports.settings.protectedRoutes, 'Cloudflare'));
      const drift = cloudflareDrift(cfState, ports);
      if (drift) findings.push({ code: 'CLOUDFLARE_RULE_CHANGED', message: `Cloudflare kill-switch rule: ${drift}; writing would replace it`, overridable: true });
      meta.cloudflare = { before, after, expression: compiled.expression, enabled: compiled.enabled, drift };
    }

    // The ledger records what this incident wants off, including routes already off for another
    // incident: enabling that one by incident must then leave them off for this one.
    const wanted = requestedPerTarget(input.routes, targets);
    if (ports.ledger) {
      const mine = (await ports.ledger.list('routes')).filter((r) => r.incidentId === input.incidentId);
      const claimed = Object.entries(wanted).some(([target, texts]) => texts.some((t) => !mine.some((r) => r.routes?.[target]?.includes(t))));
      if (claimed || changes.some((c) => c.target === WAF_ROUTES_TARGET || c.target === CF_ROUTES_TARGET)) {
        changes.push({ target: LEDGER_TARGET, action: 'record', subject: `routes disabled for ${input.incidentId}` });
      }
    } else if (changes.length) warnings.push('No edge ledger (FIREBREAK_EVIDENCE_BUCKET): enable-routes --incident will not find these; enable them by route.');
    return { step: 'disable-routes', changes, unchanged, warnings, meta };
  },

  guard(plan, _input, ctx) {
    enforceGuards(guardsOf(plan.meta!.findings), plan, ctx);
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const work: Array<Promise<Outcome[]>> = [];
    const wafAdds = plan.changes.filter((c) => c.target === WAF_ROUTES_TARGET).map((c) => meta.wafPatterns[c.subject]!);
    const routeOf = Object.fromEntries(Object.entries(meta.wafPatterns).map(([r, p]) => [p, r]));
    if (wafAdds.length) work.push(writeWafPatterns(ports, wafAdds, [], routeOf));
    if (plan.changes.some((c) => c.target === WAF_RESPONSE_TARGET)) work.push(setWafResponse(ports));
    const cfAdds = plan.changes.filter((c) => c.target === CF_ROUTES_TARGET).map((c) => c.subject);
    if (cfAdds.length) work.push(writeCloudflareRoutes(ports, (live) => [...live, ...cfAdds.filter((r) => !live.includes(r))], cfAdds, 'add'));
    const results = (await Promise.all(work)).flat();
    if (plan.changes.some((c) => c.target === LEDGER_TARGET)) {
      const routes: Record<string, string[]> = {};
      for (const [target, texts] of Object.entries(requestedPerTarget(input.routes, meta.targets))) {
        const kept = texts.filter((t) => !results.some((o) => o.target === target && o.subject === t && o.status === 'failed'));
        if (kept.length) routes[target] = kept;
      }
      if (Object.keys(routes).length) results.push(...(await putLedger(ports, { kind: 'routes', incidentId: input.incidentId, reason: input.reason, routes, ...ctxActor(ctx) }, `routes disabled for ${input.incidentId}`)));
    }
    return results;
  },

  async verify(plan, outcomes, _input, ports, ctx) {
    return [...(await readBackRoutes(plan.meta!, outcomes, ports, 'add')), ...(await healthAfter(plan.meta!.verify, outcomes, ports.health, ctx, EDGE_LEFT_IN_PLACE))];
  },
};

/** Downgrades outcomes whose route is not (or, for removals, still) live on the edge. */
export async function readBackRoutes(meta: RouteMeta, outcomes: Outcome[], ports: EdgePorts, mode: 'add' | 'remove'): Promise<Outcome[]> {
  const [patterns, cf] = await Promise.all([
    meta.targets.waf && outcomes.some((o) => o.target === WAF_ROUTES_TARGET) ? ports.waf!.regexSet!.read() : Promise.resolve(null),
    meta.targets.cloudflare && outcomes.some((o) => o.target === CF_ROUTES_TARGET) ? ports.cloudflare!.killSwitch!.read() : Promise.resolve(null),
  ]);
  return outcomes.map((o) => {
    if (o.status !== 'applied') return o;
    let live: boolean | undefined;
    if (o.target === WAF_ROUTES_TARGET && patterns) live = patterns.includes(meta.wafPatterns[o.subject] ?? '');
    if (o.target === CF_ROUTES_TARGET && cf) {
      const list = routesFromDescription(cf);
      const expected = compileCloudflare(list, ports);
      const consistent = cf.expression === expected.expression && cf.enabled === expected.enabled;
      // The expression must be exactly the one rebuilt from the list, or the list proves nothing.
      live = consistent ? list.includes(o.subject) : mode === 'remove';
    }
    if (live === undefined) return o;
    const ok = mode === 'add' ? live : !live;
    return ok ? o : { ...o, status: 'failed' as const, reason: `read back: the ${o.target === CF_ROUTES_TARGET ? 'rule' : 'set'} does not show it ${mode === 'add' ? 'disabled' : 'enabled'}` };
  });
}

function requestedPerTarget(routes: readonly Route[], targets: RouteMeta['targets']): Record<string, string[]> {
  return {
    ...(targets.waf ? { [WAF_ROUTES_TARGET]: routes.map((r) => r.text) } : {}),
    ...(targets.cloudflare ? { [CF_ROUTES_TARGET]: routes.map((r) => r.text) } : {}),
  };
}
