import type { FirebreakConfig } from '../../core/config/schema.js';
import type { CloudflareRateRule, CloudflareRouteRule, CloudflareRouteRuleState, EdgeLedger, WafRegexSet, WafRuleGroup } from '../../core/edge/ports.js';
import { ConfigError, GuardError, InputError } from '../../core/errors.js';
import type { HealthPorts } from './health-after.js';
import type { Plan } from '../../core/plan.js';
import { parseRoute, type Route } from '../../core/routes/syntax.js';
import type { StepContext } from '../../core/step.js';

/**
 * Plumbing shared by disable-routes / enable-routes, limit-rate / restore-rate and verify-health:
 * the ports, which targets a run touches and the guard bookkeeping. The health checks a change runs
 * after applying live in ./health-after.ts (re-exported here for the edge steps).
 */

export { HEALTH_TARGET, healthChecksFromConfig, parseVerify, resolveHealth, runHealth, type HealthPorts } from './health-after.js';

export const WAF_ROUTES_TARGET = 'waf:route-regex-set';
export const WAF_RESPONSE_TARGET = 'waf:kill-switch-response';
export const WAF_RATE_TARGET = 'waf:rate-rule';
export const CF_ROUTES_TARGET = 'cloudflare:kill-switch';
export const CF_RATE_TARGET = 'cloudflare:rate-limit';
export const LEDGER_TARGET = 'ledger';

export type EdgeTargetSelection = 'all' | 'waf' | 'cloudflare';

export interface EdgeSettings {
  protectedRoutes: Route[];
  cloudflareRegex: boolean;
  wafResponse: { status: number; retryAfterSeconds: number };
  routesVerifyAfter: string[];
  rateVerifyAfter: string[];
  minLimit: number;
}

export interface EdgePorts {
  settings: EdgeSettings;
  waf?: { regexSet?: WafRegexSet | undefined; ruleGroup?: WafRuleGroup | undefined } | undefined;
  cloudflare?: { killSwitch?: CloudflareRouteRule | undefined; rateLimit?: CloudflareRateRule | undefined } | undefined;
  ledger?: EdgeLedger | undefined;
  health: HealthPorts;
  newId?: () => string;
}

export function edgeSettingsFromConfig(config: FirebreakConfig): EdgeSettings {
  return {
    protectedRoutes: config.routes.protected.map((r, i) => {
      try {
        return parseRoute(r, `routes.protected[${i}]`);
      } catch (error) {
        throw new ConfigError(`firebreak.yml routes.protected[${i}]: ${(error as Error).message}`, []);
      }
    }),
    cloudflareRegex: config.routes.cloudflare_regex,
    wafResponse: { status: config.routes.waf_response.status, retryAfterSeconds: config.routes.waf_response.retry_after_seconds },
    routesVerifyAfter: config.routes.verify_after,
    rateVerifyAfter: config.rate_limits.verify_after,
    minLimit: config.rate_limits.min_limit,
  };
}

export function parseEdgeTarget(raw: unknown): EdgeTargetSelection {
  const v = (typeof raw === 'string' ? raw.trim().toLowerCase() : '') || 'all';
  if (v !== 'all' && v !== 'waf' && v !== 'cloudflare') throw new InputError('target must be one of all, waf, cloudflare', { field: 'target', code: 'TARGET_INVALID' });
  return v;
}

export function parseText(raw: unknown, field: string, min = 3): string {
  const text = typeof raw === 'string' ? raw.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200) : '';
  if (text.length < min) throw new InputError(`${field} is required (a few words for the record)`, { field, code: 'REASON_MISSING' });
  return text;
}

export function notConfigured(what: string, variables: string): ConfigError {
  return new ConfigError(`${what} not configured: set ${variables} (written by \`pulumi up\`), or choose another target`, [], { hint: 'Run `pulumi up` for the kit, or pick target waf/cloudflare.' });
}

/**
 * Throws the first violation not overridden; when all are overridden, notes the others in the plan
 * and throws the first for the runner to record (the runner records one override per throw).
 */
export function enforceGuards(violations: readonly GuardError[], plan: Plan<unknown>, ctx: StepContext): void {
  if (violations.length === 0) return;
  const stop = violations.find((v) => !v.overridable || !ctx.overrides?.some((o) => o.guard === v.code && o.reason.trim() !== ''));
  if (stop) throw stop;
  for (const v of violations.slice(1)) {
    const o = ctx.overrides?.find((x) => x.guard === v.code);
    plan.warnings.push(`Guard ${v.code} overridden by ${ctx.actor}: ${o?.reason ?? ''}`);
  }
  throw violations[0];
}

// ---- The Cloudflare kill-switch's route list, kept in the rule's description ----

const ROUTES_MARK = ' routes: ';
const DESCRIPTION_HEAD = 'firebreak: route kill-switch (managed by disable-routes / enable-routes).';

/**
 * The route list lives in the rule's description, as JSON after `routes: `: the expression is
 * rebuilt from it on every change, and a dashboard reader sees in words what is switched off.
 */
export function routesFromDescription(state: CloudflareRouteRuleState): string[] {
  const at = state.description.indexOf(ROUTES_MARK);
  if (at < 0) return [];
  try {
    const list = JSON.parse(state.description.slice(at + ROUTES_MARK.length)) as unknown;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export function describeRoutes(routes: readonly string[]): string {
  return routes.length ? `${DESCRIPTION_HEAD}${ROUTES_MARK}${JSON.stringify(routes)}` : DESCRIPTION_HEAD;
}
