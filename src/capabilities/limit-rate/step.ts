import type { CloudflareRateSettings, WafRateSettings } from '../../core/edge/ports.js';
import { InputError } from '../../core/errors.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import { cloudflareExpression, wafRegex } from '../../core/routes/compile.js';
import { ROUTE_LIMITS } from '../../core/routes/limits.js';
import { parseRoutes, type Route } from '../../core/routes/syntax.js';
import type { StepDefinition } from '../../core/step.js';
import { parseIncident } from '../block-ips/step.js';
import { EDGE_LEFT_IN_PLACE, healthAfter } from '../shared/health-after.js';
import { CF_RATE_TARGET, enforceGuards, LEDGER_TARGET, parseEdgeTarget, parseText, parseVerify, resolveHealth, WAF_RATE_TARGET, type EdgePorts, type EdgeTargetSelection } from '../shared/edge-support.js';
import { ctxActor, guardsOf, judgeRoutes, putLedger, type RouteMeta } from '../shared/route-targets.js';
import { describeRate, readBackRates, readRates, resolveRateTargets, sameRate, writeRate, type RateTargets, type RateValues } from '../shared/rate-targets.js';

/**
 * limit-rate: tightens (or loosens) the kit's per-IP rate limit on the WAF rate-based rule (limit,
 * window, scope-down) and the Cloudflare rate-limiting rule, remembering the values before in the
 * audit record (the plan) and the edge ledger, so restore-rate puts exactly them back.
 */
export interface LimitRateInput {
  limit: number;
  /** null: keep the WAF rule's window. */
  windowSec: number | null;
  /** null: keep the rules' current scope. */
  scope: Route[] | null;
  /** null: keep Cloudflare's period. */
  cloudflarePeriod: number | null;
  target: EdgeTargetSelection;
  reason: string;
  incidentId: string;
  verify: string[] | null;
}

export interface RateMeta {
  targets: RateTargets;
  before: RateValues;
  after: RateValues;
  verify: string[];
  findings: RouteMeta['findings'];
}

export function parsePositiveInt(raw: unknown, field: string): number | null {
  const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
  if (text === '') return null;
  const m = /^(\d{1,10})\s*(?:\/\s*(?:min|minute|m))?$/i.exec(text);
  if (!m) throw new InputError(`${field} must be a whole number, got "${text}"`, { field, code: 'RATE_INVALID' });
  return Number(m[1]);
}

function parseWindow(raw: unknown): number | null {
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (text === '') return null;
  const m = /^(\d{1,4})\s*(s|m)?$/.exec(text);
  const seconds = m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : NaN;
  if (!(ROUTE_LIMITS.waf.rateWindows as readonly number[]).includes(seconds)) {
    throw new InputError(`window must be one of ${ROUTE_LIMITS.waf.rateWindows.join(', ')} seconds (what WAF rate-based rules accept), got "${text}"`, { field: 'window', code: 'RATE_WINDOW_INVALID' });
  }
  return seconds;
}

export const limitRateStep: StepDefinition<LimitRateInput, EdgePorts, RateMeta> = {
  name: 'limit-rate',
  description: "Change the kit's per-IP rate limit on the WAF rate-based rule and the Cloudflare rate-limiting rule, remembering the values before.",

  parse(raw, ctx) {
    const limit = parsePositiveInt(raw.limit, 'limit');
    if (limit === null) throw new InputError('limit is required: requests per window per client IP, e.g. 20', { field: 'limit', code: 'RATE_INVALID' });
    const { min, max } = ROUTE_LIMITS.waf.rateLimit;
    if (limit < min || limit > max) throw new InputError(`limit must be ${min}–${max} (what WAF rate-based rules accept), got ${limit}`, { field: 'limit', code: 'RATE_INVALID' });
    const period = parsePositiveInt(raw.cloudflarePeriod, 'cloudflare-period');
    if (period !== null && !(ROUTE_LIMITS.cloudflare.ratePeriods as readonly number[]).includes(period)) {
      throw new InputError(`cloudflare-period must be one of ${ROUTE_LIMITS.cloudflare.ratePeriods.join(', ')} seconds, got ${period}`, { field: 'cloudflare-period', code: 'RATE_WINDOW_INVALID' });
    }
    const scopeText = typeof raw.scope === 'string' ? raw.scope.trim() : '';
    return {
      limit,
      windowSec: parseWindow(raw.window),
      scope: scopeText ? parseRoutes(scopeText, 'scope') : null,
      cloudflarePeriod: period,
      target: parseEdgeTarget(raw.target),
      reason: parseText(raw.reason, 'reason'),
      incidentId: parseIncident(raw.incident, ctx) as string,
      verify: parseVerify(raw.verify),
    };
  },

  async plan(input, ports) {
    const targets = resolveRateTargets(input.target, ports);
    const verify = input.verify ?? ports.settings.rateVerifyAfter;
    resolveHealth(verify, ports.health);
    const before = await readRates(targets, ports);
    const after: RateValues = {};
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = [];
    const findings: RouteMeta['findings'] = [];
    if (input.limit < ports.settings.minLimit) {
      findings.push({ code: 'RATE_TOO_LOW', message: `limit ${input.limit} is below rate_limits.min_limit (${ports.settings.minLimit}): real users may be blocked`, overridable: true });
    }
    // A scope-down that would exempt a protected route is fine; one that is match-everything is pointless but harmless. Judge breadth only as information.
    if (input.scope) findings.push(...judgeRoutes(input.scope, [], 'scope').filter((f) => f.code === 'ROUTE_TOO_BROAD').map((f) => ({ ...f, code: 'RATE_SCOPE_TOO_BROAD' })));

    const waf = before[WAF_RATE_TARGET];
    if (waf && input.scope && input.scope.length > ROUTE_LIMITS.waf.rateScopeMaxRoutes) {
      throw new InputError(
        `scope names ${input.scope.length} routes; the kit's rule group has room for ${ROUTE_LIMITS.waf.rateScopeMaxRoutes} regex scope-down statements (23 WCUs each, capacity ${ROUTE_LIMITS.waf.ruleGroupCapacity}, 49 used by the kit). Use a common prefix.`,
        { field: 'scope', code: 'RATE_SCOPE_TOO_MANY' },
      );
    }
    if (waf) {
      const windowSec = input.windowSec ?? waf.windowSec;
      after[WAF_RATE_TARGET] = { limit: input.limit, windowSec, scopeDown: input.scope ? wafScopeDown(input.scope) : waf.scopeDown };
    }
    const cf = before[CF_RATE_TARGET];
    if (cf) {
      const windowSec = input.windowSec ?? waf?.windowSec ?? 60;
      const period = input.cloudflarePeriod ?? cf.period;
      const requests = Math.max(1, Math.round((input.limit * period) / windowSec));
      if (period !== windowSec) warnings.push(`Cloudflare counts per ${period} s: ${input.limit} per ${windowSec} s is ${requests} per ${period} s there`);
      let expression = cf.expression;
      if (input.scope) {
        const compiled = cloudflareExpression(input.scope, { regex: ports.settings.cloudflareRegex });
        warnings.push(...compiled.warnings);
        expression = compiled.expression;
      }
      after[CF_RATE_TARGET] = { requestsPerPeriod: requests, period, mitigationTimeout: cf.mitigationTimeout, expression } satisfies CloudflareRateSettings;
    }
    for (const [target, value] of Object.entries(after)) {
      const was = before[target as keyof RateValues];
      if (sameRate(was, value)) unchanged.push({ target, subject: describeRate(target, value), reason: 'already set' });
      else changes.push({ target, action: 'set', subject: describeRate(target, value), detail: { before: describeRate(target, was) } });
    }
    if (changes.length) {
      if (ports.ledger) changes.push({ target: LEDGER_TARGET, action: 'record', subject: `previous rates for ${input.incidentId}` });
      else warnings.push('No edge ledger (FIREBREAK_EVIDENCE_BUCKET): restore-rate cannot find the previous values; they are in this audit record only.');
    }
    if (ports.ledger) {
      const open = (await ports.ledger.list('rate')).filter((r) => Object.keys(r.rate ?? {}).some((t) => t in after));
      if (open.length) warnings.push(`${open.length} earlier limit-rate change(s) are not restored yet (${[...new Set(open.map((r) => r.incidentId))].join(', ')}); restore-rate goes back to the values before the first`);
    }
    return { step: 'limit-rate', changes, unchanged, warnings, meta: { targets, before, after, verify, findings } };
  },

  guard(plan, _input, ctx) {
    enforceGuards(guardsOf(plan.meta!.findings), plan, ctx);
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const sets = plan.changes.filter((c) => c.target === WAF_RATE_TARGET || c.target === CF_RATE_TARGET);
    const results: Outcome[] = await Promise.all(sets.map((c) => writeRate(c.target, meta.after[c.target as keyof RateValues], ports, 'set')));
    if (plan.changes.some((c) => c.target === LEDGER_TARGET)) {
      const rate: Record<string, { before: unknown; after: unknown }> = {};
      for (const o of results) if (o.status === 'applied') rate[o.target] = { before: meta.before[o.target as keyof RateValues], after: meta.after[o.target as keyof RateValues] };
      if (Object.keys(rate).length) results.push(...(await putLedger(ports, { kind: 'rate', incidentId: input.incidentId, reason: input.reason, rate, ...ctxActor(ctx) }, `previous rates for ${input.incidentId}`)));
    }
    return results;
  },

  async verify(plan, outcomes, _input, ports, ctx) {
    const read = await readBackRates(outcomes, plan.meta!.after, plan.meta!.targets, ports);
    return [...read, ...(await healthAfter(plan.meta!.verify, outcomes, ports.health, ctx, EDGE_LEFT_IN_PLACE))];
  },
};

/** WAF scope-down: only requests on these paths count (decoded and normalised, as the kill-switch). */
export function wafScopeDown(routes: readonly Route[]): WafRateSettings['scopeDown'] {
  const statements = routes.map((r) => ({
    RegexMatchStatement: {
      RegexString: wafRegex(r),
      FieldToMatch: { UriPath: {} },
      TextTransformations: [
        { Priority: 0, Type: 'URL_DECODE' },
        { Priority: 1, Type: 'NORMALIZE_PATH' },
      ],
    },
  }));
  return statements.length === 1 ? statements[0]! : { OrStatement: { Statements: statements } };
}

