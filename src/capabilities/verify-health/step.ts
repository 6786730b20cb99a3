import { ConfigError } from '../../core/errors.js';
import type { Change } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { HEALTH_TARGET, parseVerify, resolveHealth, runHealth, type HealthPorts } from '../shared/edge-support.js';

/**
 * verify-health: read-only. The plan lists the configured checks (firebreak.yml `health:`); apply
 * probes them in parallel (HTTP checks with retries, back-off and N successes in a row; CloudWatch
 * alarms until OK) and reports one outcome per check. Any failed check fails the run.
 */
export interface VerifyHealthInput {
  /** null: every configured check and alarm. */
  checks: string[] | null;
}

export const verifyHealthStep: StepDefinition<VerifyHealthInput, { health: HealthPorts }> = {
  name: 'verify-health',
  description: 'Probe the configured health endpoints and CloudWatch alarms, in parallel, until they pass or their retries run out.',

  parse(raw) {
    const checks = parseVerify(raw.checks);
    return { checks: checks && checks.length === 0 ? null : checks };
  },

  async plan(input, ports) {
    const all = [...ports.health.checks.map((c) => c.name), ...ports.health.alarmWatches.map((a) => a.name)];
    if (all.length === 0) throw new ConfigError('no health checks configured: add firebreak.yml health.checks (or health.alarms)', []);
    const names = input.checks ?? all;
    const { checks, alarms } = resolveHealth(names, ports.health);
    const changes: Change[] = [
      ...checks.map((c) => ({ target: HEALTH_TARGET, action: 'check', subject: c.name, detail: { method: c.method, url: c.url, expect: c.expectStatus, consecutive: c.consecutive, retries: c.retries } })),
      ...alarms.map((a) => ({ target: HEALTH_TARGET, action: 'check', subject: a.name, detail: { alarm: a.alarmName } })),
    ];
    return { step: 'verify-health', changes, unchanged: [], warnings: [] };
  },

  async apply(plan, _input, ports, ctx) {
    return runHealth(plan.changes.map((c) => c.subject), ports.health, ctx);
  },
};
