import { randomUUID } from 'node:crypto';
import type { EdgeRecord } from '../../core/edge/ports.js';
import { GuardError } from '../../core/errors.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import { cloudflareExpression, wafRegex } from '../../core/routes/compile.js';
import { ROUTE_LIMITS } from '../../core/routes/limits.js';
import { coveredProtected, tooBroad } from '../../core/routes/protect.js';
import { parseRoute, type Route } from '../../core/routes/syntax.js';
import type { StepContext } from '../../core/step.js';
import { describeError } from './ip-block-targets.js';
import {
  CF_ROUTES_TARGET,
  describeRoutes,
  LEDGER_TARGET,
  notConfigured,
  routesFromDescription,
  WAF_RESPONSE_TARGET,
  WAF_ROUTES_TARGET,
  type EdgePorts,
  type EdgeTargetSelection,
} from './edge-support.js';

/**
 * The route kill-switch on both edges, as disable-routes and enable-routes see it: what each
 * target holds now, what it will hold, and writing it (WAF patterns by exact text, the Cloudflare
 * expression rebuilt from the route list).
 */

export interface RouteTargets {
  waf: boolean;
  cloudflare: boolean;
}

export function resolveRouteTargets(selection: EdgeTargetSelection, ports: EdgePorts): RouteTargets {
  const out = { waf: selection !== 'cloudflare', cloudflare: selection !== 'waf' };
  if (out.waf && !ports.waf?.regexSet) throw notConfigured('the WAF route regex pattern set', 'FIREBREAK_WAF_ROUTE_REGEX_SET_ARN');
  if (out.cloudflare && !ports.cloudflare?.killSwitch) throw notConfigured('the Cloudflare route kill-switch rule', 'FIREBREAK_CLOUDFLARE_ZONE_ID, _CUSTOM_RULESET_ID, _ROUTE_RULE_ID and CLOUDFLARE_API_TOKEN');
  return out;
}

/** What the step computed in plan and apply re-derives from fresh reads. */
export interface RouteMeta {
  targets: RouteTargets;
  /** route text → WAF pattern, for the routes this run touches on WAF. */
  wafPatterns: Record<string, string>;
  /** The Cloudflare route list before and after, and whether the live rule had drifted from it. */
  cloudflare?: { before: string[]; after: string[]; expression: string; enabled: boolean; drift: string | null };
  /** Health checks to run after applying. */
  verify: string[];
  /** Guard findings from plan, enforced in guard (overridable ones can be passed with a reason). */
  findings: Array<{ code: string; message: string; overridable: boolean }>;
}

/** Judges the routes a run would make live: breadth, protected routes; findings, not throws. */
export function judgeRoutes(routes: readonly Route[], protectedRoutes: readonly Route[], where: string): RouteMeta['findings'] {
  const out: RouteMeta['findings'] = [];
  for (const r of routes) {
    const broad = tooBroad(r);
    if (broad) out.push({ code: 'ROUTE_TOO_BROAD', message: `${where}: route "${r.text}" ${broad}`, overridable: true });
    const covered = coveredProtected(r, protectedRoutes);
    if (covered.length) out.push({ code: 'ROUTE_PROTECTED', message: `${where}: route "${r.text}" covers protected route(s) ${covered.map((c) => `"${c.text}"`).join(', ')} (firebreak.yml routes.protected)`, overridable: true });
  }
  return out;
}

export function guardsOf(findings: RouteMeta['findings']): GuardError[] {
  return findings.map((f) => new GuardError(f.message, { code: f.code, overridable: f.overridable }));
}

/** The Cloudflare list after a change, compiled; findings for what Cloudflare would really match. */
export function compileCloudflare(list: readonly string[], ports: EdgePorts) {
  const routes = list.map((t) => parseRoute(t));
  return cloudflareExpression(routes, { regex: ports.settings.cloudflareRegex });
}

/** Whether the live rule is what firebreak last wrote (else someone edited it by hand). */
export function cloudflareDrift(state: { expression: string; enabled: boolean; description: string }, ports: EdgePorts): string | null {
  const list = routesFromDescription(state);
  let expected: { expression: string; enabled: boolean };
  try {
    expected = compileCloudflare(list, ports);
  } catch {
    return 'its description names routes firebreak cannot compile';
  }
  if (expected.expression !== state.expression) return `its expression is not the one firebreak wrote for ${list.length ? JSON.stringify(list) : 'no routes'} (changed by hand?)`;
  if (expected.enabled !== state.enabled) return `it is ${state.enabled ? 'enabled' : 'disabled'} while firebreak left it ${expected.enabled ? 'enabled' : 'disabled'}`;
  return null;
}

export function capacityGuard(current: number, adding: number): GuardError | null {
  const max = ROUTE_LIMITS.waf.maxPatternsPerSet;
  if (current + adding <= max) return null;
  return new GuardError(`the WAF route regex pattern set holds ${current} pattern(s); adding ${adding} would pass its limit of ${max} (AWS WAF quota "regex patterns per set"). Disable fewer or broader routes, or raise the quota.`, {
    code: 'PROVIDER_LIMIT',
  });
}

export { wafRegex };

export async function writeWafPatterns(ports: EdgePorts, add: readonly string[], remove: readonly string[], routeOf: Record<string, string>): Promise<Outcome[]> {
  const action = add.length ? 'add' : 'remove';
  const subjects = [...add, ...remove].map((p) => routeOf[p] ?? p);
  try {
    let added = new Set<string>();
    let removed = new Set<string>();
    await ports.waf!.regexSet!.edit((current) => {
      added = new Set(add.filter((p) => !current.includes(p)));
      removed = new Set(remove.filter((p) => current.includes(p)));
      if (added.size === 0 && removed.size === 0) return null;
      const next = [...current.filter((p) => !removed.has(p)), ...added];
      // Re-checked on every round: another writer may have filled the set since the plan.
      const over = capacityGuard(current.length - removed.size, added.size);
      if (over) throw over;
      return next;
    });
    return [
      ...add.map((p) => ({ target: WAF_ROUTES_TARGET, action, subject: routeOf[p] ?? p, status: added.has(p) ? ('applied' as const) : ('already' as const), reason: added.has(p) ? `pattern ${p}` : 'added by another writer meanwhile' })),
      ...remove.map((p) => ({ target: WAF_ROUTES_TARGET, action, subject: routeOf[p] ?? p, status: removed.has(p) ? ('applied' as const) : ('already' as const), reason: removed.has(p) ? `pattern ${p}` : 'already absent' })),
    ];
  } catch (error) {
    const { reason, retryable } = describeError(error);
    return subjects.map((subject) => ({ target: WAF_ROUTES_TARGET, action, subject, status: 'failed' as const, reason, retryable }));
  }
}

/**
 * Rebuilds the Cloudflare list from a fresh read: `change` maps the live list to the new one, so a
 * route another run added meanwhile stays.
 */
export async function writeCloudflareRoutes(ports: EdgePorts, change: (live: string[]) => string[], touched: readonly string[], action: string): Promise<Outcome[]> {
  try {
    const rule = ports.cloudflare!.killSwitch!;
    const live = routesFromDescription(await rule.read());
    const next = change(live);
    const compiled = compileCloudflare(next, ports);
    await rule.write({ expression: compiled.expression, enabled: compiled.enabled, description: describeRoutes(next) });
    return touched.map((subject) => ({ target: CF_ROUTES_TARGET, action, subject, status: 'applied' as const, reason: compiled.enabled ? `rule enabled, ${next.length} route(s)` : 'no route left: rule disabled' }));
  } catch (error) {
    const { reason, retryable } = describeError(error);
    return touched.map((subject) => ({ target: CF_ROUTES_TARGET, action, subject, status: 'failed' as const, reason, retryable }));
  }
}

export async function setWafResponse(ports: EdgePorts): Promise<Outcome[]> {
  const want = ports.settings.wafResponse;
  const subject = `${want.status}, retry-after ${want.retryAfterSeconds}`;
  try {
    await ports.waf!.ruleGroup!.editRouteResponse((cur) => (cur.status === want.status && cur.retryAfterSeconds === want.retryAfterSeconds ? null : { status: want.status, retryAfterSeconds: want.retryAfterSeconds }));
    return [{ target: WAF_RESPONSE_TARGET, action: 'set', subject, status: 'applied' }];
  } catch (error) {
    const { reason, retryable } = describeError(error);
    return [{ target: WAF_RESPONSE_TARGET, action: 'set', subject, status: 'failed', reason, retryable }];
  }
}

export async function putLedger(ports: EdgePorts, record: Omit<EdgeRecord, 'id'>, subject: string): Promise<Outcome[]> {
  try {
    await ports.ledger!.put({ id: (ports.newId ?? randomUUID)(), ...record });
    return [{ target: LEDGER_TARGET, action: 'record', subject, status: 'applied' }];
  } catch (error) {
    const { reason, retryable } = describeError(error);
    return [{ target: LEDGER_TARGET, action: 'record', subject, status: 'failed', reason: `not recorded in the edge ledger (undo by incident will not find it; undo by route still works): ${reason}`, retryable }];
  }
}

export function planWaf(routes: readonly Route[], current: readonly string[], mode: 'add' | 'remove', changes: Change[], unchanged: Unchanged[]): Record<string, string> {
  const patterns: Record<string, string> = {};
  for (const r of routes) {
    const p = wafRegex(r);
    patterns[r.text] = p;
    const present = current.includes(p);
    if (mode === 'add' ? present : !present) unchanged.push({ target: WAF_ROUTES_TARGET, subject: r.text, reason: mode === 'add' ? 'already disabled' : 'not disabled' });
    else changes.push({ target: WAF_ROUTES_TARGET, action: mode, subject: r.text, detail: { pattern: p } });
  }
  return patterns;
}

export function ctxActor(ctx: StepContext): Pick<EdgeRecord, 'actor' | 'runUrl' | 'createdAt'> {
  return { actor: ctx.actor, runUrl: ctx.runUrl, createdAt: ctx.clock.now().toISOString() };
}
