import type { FirebreakConfig } from '../../core/config/schema.js';
import { ConfigError, InputError } from '../../core/errors.js';
import { runCheck, watchAlarm, type AlarmReader, type AlarmWatch, type HealthCheck, type HttpProber } from '../../core/health/probe.js';
import type { Outcome } from '../../core/plan.js';
import type { StepContext } from '../../core/step.js';

/**
 * The health checks a changing step runs after applying (issue 12): route and rate steps, rollback
 * and restart-service all use this one module, so a check means the same thing and a failure reads
 * the same way whichever step changed something. verify-health runs the same checks on their own.
 */

export const HEALTH_TARGET = 'health';

/** How the route and rate steps word a failed check: each has an undo step. */
export const EDGE_LEFT_IN_PLACE = 'The change was applied and is left in place: roll it back with the undo step if the check is right';

export interface HealthPorts {
  prober: HttpProber;
  alarms?: AlarmReader | undefined;
  checks: HealthCheck[];
  alarmWatches: AlarmWatch[];
  alarmWaitMs: number;
  alarmPollMs: number;
}

/** A changing step's health ports plus its configured default (`<section>.verify_after`). */
export interface VerifyAfterPorts {
  health: HealthPorts;
  verifyAfter: string[];
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

/** `verify`: check names (commas, spaces or newlines), `none`, or empty for the configured default. */
export function parseVerify(raw: unknown): string[] | null {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return null;
  if (text.toLowerCase() === 'none') return [];
  const names = text.split(/[\s,]+/).filter(Boolean);
  for (const n of names) if (!/^[\w.-]{1,64}$/.test(n)) throw new InputError(`verify: "${n}" is not a check name`, { field: 'verify', code: 'VERIFY_INVALID' });
  return [...new Set(names)];
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
 * The checks a run will do after applying: the `verify` input when given (`none` is an empty
 * list), else the configured default. Unknown names are refused here, at plan time, before
 * anything changes.
 */
export function plannedChecks(given: string[] | null, ports: VerifyAfterPorts | undefined): string[] {
  const names = given ?? ports?.verifyAfter ?? [];
  if (names.length) resolveHealth(names, ports?.health ?? emptyHealth());
  return names;
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
 * Health checks after a change, appended to the step's outcomes: skipped (and said so) when no
 * change completed (probing a half-done change would blame the wrong thing). A failed check is a failed outcome, so the run fails; `leftInPlace` tells the
 * responder the change itself stays (nothing is undone behind their back).
 */
export async function healthAfter(names: readonly string[], outcomes: readonly Outcome[], health: HealthPorts | undefined, ctx: StepContext, leftInPlace: string): Promise<Outcome[]> {
  if (names.length === 0) return [];
  if (!outcomes.some((o) => o.status === 'applied')) return names.map((n) => ({ target: HEALTH_TARGET, action: 'verify', subject: n, status: 'skipped' as const, reason: 'not run: no change completed (see the other outcomes)' }));
  return runHealth(names, health ?? emptyHealth(), ctx, leftInPlace);
}

function emptyHealth(): HealthPorts {
  // No checks: resolveHealth refuses every name before a probe could be sent.
  return { prober: { probe: () => Promise.reject(new Error('no health checks configured')) }, checks: [], alarmWatches: [], alarmWaitMs: 0, alarmPollMs: 0 };
}
