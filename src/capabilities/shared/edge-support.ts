import type { FirebreakConfig } from '../../core/config/schema.js';
import type { CloudflareRateRule, CloudflareRouteRule, CloudflareRouteRuleState, EdgeLedger, WafRegexSet, WafRuleGroup } from '../../core/edge/ports.js';
import { ConfigError, GuardError, InputError } from '../../core/errors.js';
import { runCheck, watchAlarm, type AlarmReader, type AlarmWatch, type HealthCheck, type HttpProber } from '../../core/health/probe.js';
import type { Outcome, Plan } from '../../core/plan.js';
import { parseRoute, type Route } from '../../core/routes/syntax.js';
import type { StepContext } from '../../core/step.js';

/**
 * Plumbing shared by disable-routes / enable-routes, limit-rate / restore-rate and verify-health:
 * the ports, which targets a run touches, the guard bookkeeping and the health checks a change can
 * run after applying.
 */

export const WAF_ROUTES_TARGET = 'waf:route-regex-set';
export const WAF_RESPONSE_TARGET = 'waf:kill-switch-response';
export const WAF_RATE_TARGET = 'waf:rate-rule';
export const CF_ROUTES_TARGET = 'cloudflare:kill-switch';
export const CF_RATE_TARGET = 'cloudflare:rate-limit';
export const LEDGER_TARGET = 'ledger';
export const HEALTH_TARGET = 'health';

export type EdgeTargetSelection = 'all' | 'waf' | 'cloudflare';

export interface EdgeSettings {
  protectedRoutes: Route[];
  cloudflareRegex: boolean;
  wafResponse: { status: number; retryAfterSeconds: number };
  routesVerifyAfter: string[];
  rateVerifyAfter: string[];
  minLimit: number;
}

export interface HealthPorts {
  prober: HttpProber;
  alarms?: AlarmReader | undefined;
  checks: HealthCheck[];
  alarmWatches: AlarmWatch[];
  alarmWaitMs: number;
  alarmPollMs: number;
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

export function healthChecksFromConfig(config: FirebreakConfig): Pick<HealthPorts, 'checks' | 'alarmWatches' | 'alarmWaitMs' | 'alarmPollMs'> {
  return {
    checks: config.health.checks.map((c) => ({
      name: c.name,
      url: c.url,
      method: c.method,
      expectStatus: c.expect_status,
      json: c.json,
      bodyPattern: c.body_pattern,
      headers: c.headers,
      timeoutMs: c.timeout_ms,
      retries: c.retries,
      backoffMs: c.backoff_ms,
      consecutive: c.consecutive,
      insecureTls: c.insecure_tls,
    })),
    alarmWatches: config.health.alarms.map((a) => ({ name: a.name, alarmName: a.alarm_name })),
    alarmWaitMs: config.health.alarm_wait_seconds * 1000,
    alarmPollMs: config.health.alarm_poll_seconds * 1000,
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

/** `verify`: check names (commas, spaces or newlines), `none`, or empty for the configured default. */
export function parseVerify(raw: unknown): string[] | null {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return null;
  if (text.toLowerCase() === 'none') return [];
  const names = text.split(/[\s,]+/).filter(Boolean);
  for (const n of names) if (!/^[\w.-]{1,64}$/.test(n)) throw new InputError(`verify: "${n}" is not a check name`, { field: 'verify', code: 'VERIFY_INVALID' });
  return [...new Set(names)];
}

export function notConfigured(what: string, variables: string): ConfigError {
  return new ConfigError(`${what} not configured: set ${variables} (written by \`pulumi up\`), or choose another target`, [], { hint: 'Run `pulumi up` for the kit, or pick target waf/cloudflare.' });
}

/** Checks the names exist; returns what will run. */
export function resolveHealth(names: readonly string[], health: HealthPorts): { checks: HealthCheck[]; alarms: AlarmWatch[] } {
  const known = new Set([...health.checks.map((c) => c.name), ...health.alarmWatches.map((a) => a.name)]);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new InputError(`unknown health check(s): ${unknown.join(', ')}; firebreak.yml health.checks / health.alarms name ${[...known].join(', ') || 'none'}`, { field: 'verify', code: 'VERIFY_UNKNOWN' });
  }
  return { checks: health.checks.filter((c) => names.includes(c.name)), alarms: health.alarmWatches.filter((a) => names.includes(a.name)) };
}

/**
 * Runs checks and alarm watches in parallel; one outcome each. `afterChange` words the failure for
 * a step that changed something: the change stays, and the outcome says so.
 */
export async function runHealth(names: readonly string[], health: HealthPorts, ctx: StepContext, afterChange?: string): Promise<Outcome[]> {
  const { checks, alarms } = resolveHealth(names, health);
  if (alarms.length && !health.alarms) throw new ConfigError('a CloudWatch alarm check needs AWS credentials and FIREBREAK_AWS_REGION', []);
  const results = await Promise.all([
    ...checks.map((c) => runCheck(c, health.prober, ctx.sleep)),
    ...alarms.map((a) => watchAlarm(a, health.alarms!, { clock: ctx.clock, sleep: ctx.sleep, waitMs: health.alarmWaitMs, pollMs: health.alarmPollMs })),
  ]);
  return results.map((r) => ({
    target: HEALTH_TARGET,
    action: 'verify',
    subject: r.name,
    status: r.ok ? ('applied' as const) : ('failed' as const),
    reason: r.ok ? r.detail : `${r.detail}${afterChange ? `. ${afterChange}` : ''}`,
  }));
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
