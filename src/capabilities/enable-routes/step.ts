import type { EdgeRecord } from '../../core/edge/ports.js';
import { InputError } from '../../core/errors.js';
import { parseIncidentId } from '../../core/incident-id.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import { parseRoute, parseRoutes, type Route } from '../../core/routes/syntax.js';
import type { StepDefinition } from '../../core/step.js';
import { readBackRoutes } from '../disable-routes/step.js';
import { EDGE_LEFT_IN_PLACE, healthAfter } from '../shared/health-after.js';
import { describeError } from '../shared/ip-block-targets.js';
import {
  CF_ROUTES_TARGET,
  enforceGuards,
  LEDGER_TARGET,
  parseEdgeTarget,
  parseText,
  parseVerify,
  resolveHealth,
  routesFromDescription,
  WAF_ROUTES_TARGET,
  type EdgePorts,
  type EdgeTargetSelection,
} from '../shared/edge-support.js';
import { cloudflareDrift, compileCloudflare, guardsOf, planWaf, resolveRouteTargets, writeCloudflareRoutes, writeWafPatterns, type RouteMeta } from '../shared/route-targets.js';

/**
 * enable-routes: removes exactly what disable-routes switched off — the routes given (their exact
 * WAF patterns; their entries in the Cloudflare list, the expression rebuilt from what remains), or
 * every route an incident disabled (from the edge ledger). A route another open incident also
 * disabled stays off when enabling by incident, and the plan says so. Patterns firebreak did not
 * write are never touched.
 */
export interface EnableRoutesInput {
  /** Empty: everything `incidentId` disabled. */
  routes: Route[];
  target: EdgeTargetSelection;
  reason: string;
  incidentId: string | null;
  verify: string[] | null;
}

interface EnableMeta extends RouteMeta {
  /** Ledger records this run closes. */
  closes: string[];
}

export const enableRoutesStep: StepDefinition<EnableRoutesInput, EdgePorts, EnableMeta> = {
  name: 'enable-routes',
  description: 'Re-enable routes disabled by disable-routes: by route, or everything an incident disabled.',

  parse(raw, ctx) {
    const given = typeof raw.routes === 'string' && raw.routes.trim() !== '';
    const incidentRaw = typeof raw.incident === 'string' && raw.incident.trim() !== '' ? raw.incident : ctx.incidentId;
    const incidentId = parseIncidentId(incidentRaw, { field: 'incident', required: !given });
    if (!given && !incidentId) throw new InputError('give routes, or an incident to enable everything it disabled', { field: 'routes', code: 'ROUTE_EMPTY' });
    return { routes: given ? parseRoutes(raw.routes) : [], target: parseEdgeTarget(raw.target), reason: parseText(raw.reason, 'reason'), incidentId, verify: parseVerify(raw.verify) };
  },

  async plan(input, ports) {
    const targets = resolveRouteTargets(input.target, ports);
    const verify = input.verify ?? ports.settings.routesVerifyAfter;
    resolveHealth(verify, ports.health);
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const findings: RouteMeta['findings'] = [];
    const meta: EnableMeta = { targets, wafPatterns: {}, verify, findings, closes: [] };

    const records = ports.ledger ? await ports.ledger.list('routes') : [];
    if (!ports.ledger && input.routes.length === 0) throw new InputError('no edge ledger (FIREBREAK_EVIDENCE_BUCKET): name the routes to enable', { field: 'routes', code: 'LEDGER_MISSING' });
    const perTarget = wantedPerTarget(input, records, warnings);
    meta.closes = closable(input, records, perTarget);

    const [patterns, cfState] = await Promise.all([targets.waf ? ports.waf!.regexSet!.read() : Promise.resolve([]), targets.cloudflare ? ports.cloudflare!.killSwitch!.read() : Promise.resolve(null)]);
    if (targets.waf) {
      const wafRoutes = (perTarget[WAF_ROUTES_TARGET] ?? []).filter((r) => !r.methods && !r.host);
      meta.wafPatterns = planWaf(wafRoutes, patterns, 'remove', changes, unchanged);
    }
    if (cfState) {
      const before = routesFromDescription(cfState);
      const drop = new Set((perTarget[CF_ROUTES_TARGET] ?? []).map((r) => r.text));
      for (const r of drop) {
        if (before.includes(r)) changes.push({ target: CF_ROUTES_TARGET, action: 'remove', subject: r });
        else unchanged.push({ target: CF_ROUTES_TARGET, subject: r, reason: 'not disabled' });
      }
      const after = before.filter((r) => !drop.has(r));
      const compiled = compileCloudflare(after, ports);
      const drift = cloudflareDrift(cfState, ports);
      if (drift) findings.push({ code: 'CLOUDFLARE_RULE_CHANGED', message: `Cloudflare kill-switch rule: ${drift}; writing would replace it`, overridable: true });
      meta.cloudflare = { before, after, expression: compiled.expression, enabled: compiled.enabled, drift };
      if (!compiled.enabled && changes.some((c) => c.target === CF_ROUTES_TARGET)) warnings.push('Cloudflare: no route left, the kill-switch rule will be disabled');
    }
    if (meta.closes.length && ports.ledger) changes.push({ target: LEDGER_TARGET, action: 'close', subject: `${meta.closes.length} record(s)` });
    return { step: 'enable-routes', changes, unchanged, warnings, meta };
  },

  guard(plan, _input, ctx) {
    enforceGuards(guardsOf(plan.meta!.findings), plan, ctx);
  },

  async apply(plan, _input, ports, ctx) {
    const meta = plan.meta!;
    const work: Array<Promise<Outcome[]>> = [];
    const removes = plan.changes.filter((c) => c.target === WAF_ROUTES_TARGET).map((c) => meta.wafPatterns[c.subject]!);
    const routeOf = Object.fromEntries(Object.entries(meta.wafPatterns).map(([r, p]) => [p, r]));
    if (removes.length) work.push(writeWafPatterns(ports, [], removes, routeOf));
    const cfDrops = plan.changes.filter((c) => c.target === CF_ROUTES_TARGET).map((c) => c.subject);
    if (cfDrops.length) work.push(writeCloudflareRoutes(ports, (live) => live.filter((r) => !cfDrops.includes(r)), cfDrops, 'remove'));
    const results = (await Promise.all(work)).flat();
    // Records are closed only when every removal succeeded: a failed one must stay findable.
    if (meta.closes.length && ports.ledger) {
      const subject = `${meta.closes.length} record(s)`;
      if (results.some((o) => o.status === 'failed')) results.push({ target: LEDGER_TARGET, action: 'close', subject, status: 'skipped', reason: 'a removal failed; the records stay open so a re-run finds them' });
      else {
        try {
          for (const id of meta.closes) await ports.ledger.close(id, { actor: ctx.actor, at: ctx.clock.now().toISOString(), runUrl: ctx.runUrl });
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
    return [...(await readBackRoutes(plan.meta!, outcomes, ports, 'remove')), ...(await healthAfter(plan.meta!.verify, outcomes, ports.health, ctx, EDGE_LEFT_IN_PLACE))];
  },
};

/** The routes to enable per target: the given ones on every target, or what the incident's records name. */
function wantedPerTarget(input: EnableRoutesInput, records: readonly EdgeRecord[], warnings: string[]): Record<string, Route[]> {
  if (input.routes.length) return { [WAF_ROUTES_TARGET]: input.routes, [CF_ROUTES_TARGET]: input.routes };
  const mine = records.filter((r) => r.incidentId === input.incidentId);
  if (mine.length === 0) warnings.push(`the edge ledger holds no open route record for ${input.incidentId}`);
  const others = records.filter((r) => r.incidentId !== input.incidentId);
  const out: Record<string, Route[]> = {};
  for (const target of [WAF_ROUTES_TARGET, CF_ROUTES_TARGET]) {
    const texts = new Set(mine.flatMap((r) => r.routes?.[target] ?? []));
    for (const t of [...texts]) {
      const holder = others.find((r) => r.routes?.[target]?.includes(t));
      if (holder) {
        texts.delete(t);
        warnings.push(`${target}: "${t}" stays disabled: incident ${holder.incidentId} disabled it too`);
      }
    }
    out[target] = [...texts].map((t) => parseRoute(t));
  }
  return out;
}

/**
 * Records this run closes. By incident: all of the incident's (a route another incident holds stays
 * on for that incident's record, not this one's). By route: records whose every route it enables.
 */
function closable(input: EnableRoutesInput, records: readonly EdgeRecord[], perTarget: Record<string, Route[]>): string[] {
  if (input.routes.length === 0) return records.filter((r) => r.incidentId === input.incidentId).map((r) => r.id);
  return records
    .filter((r) => Object.entries(r.routes ?? {}).every(([target, texts]) => texts.every((t) => (perTarget[target] ?? []).some((x) => x.text === t))))
    .map((r) => r.id);
}
