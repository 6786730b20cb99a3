import { InputError } from '../../core/errors.js';
import { ALERT_FORMATS, ALERT_PAYLOAD_VERSION, ALERT_EVENT_TYPE, fingerprintLabel } from '../../core/alerts/alert.js';
import { alertFromEvent } from '../../core/alerts/adapters.js';
import { memoryLogger } from '../../core/runtime.js';
import { ENV } from '../../runtime/env.js';
import { check, type Expectation } from '../scenario.js';
import type { RunbookFixture, StepOutcome } from './fixture.js';
import type { RunbookWorld } from './world.js';

/**
 * `- { step: alert, with: { format: alertmanager, body: '{…}' } }`: the runbook starts where the
 * seed does, from an alert. The body is what the sender posts (JSON text), wrapped in the
 * `firebreak-alert` repository_dispatch the alert workflow receives, and handled by the same code
 * as `firebreak alert` (src/alerts/handle-alert.ts) with the drill's config rules: it declares the
 * incident, or attaches to the open one with the same fingerprint.
 */
export function alertEvent(input: Readonly<Record<string, unknown>>): { action: string; client_payload: { v: number; format: string; body: unknown } } {
  const format = String(input.format ?? 'firebreak');
  if (!(ALERT_FORMATS as readonly string[]).includes(format)) throw new InputError(`alert format ${format} is not one of ${ALERT_FORMATS.join(', ')}`, { field: 'format', code: 'ALERT_INVALID' });
  const unknown = Object.keys(input).filter((k) => k !== 'format' && k !== 'body');
  if (unknown.length) throw new InputError(`unknown input ${unknown.join(', ')}; an alert step takes format and body`, { code: 'INPUT_UNKNOWN' });
  let body: unknown;
  try {
    body = JSON.parse(String(input.body ?? ''));
  } catch (error) {
    throw new InputError(`alert body is not JSON: ${(error as Error).message}`, { field: 'body', code: 'ALERT_INVALID' });
  }
  return { action: ALERT_EVENT_TYPE, client_payload: { v: ALERT_PAYLOAD_VERSION, format, body } };
}

/** What `runbooks check` says of an alert step: the payload must be one the adapters read. */
export function alertInputProblem(input: Readonly<Record<string, unknown>>): string | undefined {
  try {
    const adapted = alertFromEvent('repository_dispatch', alertEvent(input));
    return adapted.alert === null ? `the alert would be ignored: ${adapted.why}` : undefined;
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
}

export async function runAlertStep(world: RunbookWorld, input: Readonly<Record<string, unknown>>): Promise<StepOutcome & { message?: string }> {
  const base = { input, plan: undefined, exitCode: 0 };
  let event: ReturnType<typeof alertEvent>;
  try {
    event = alertEvent(input);
  } catch (error) {
    return { ...base, status: 'refused', code: (error as InputError).code, result: undefined, incidentId: world.incidentId, exitCode: 2, message: (error as Error).message };
  }
  const { eventRunDeps } = await import('../../runtime/event-runs.js');
  const { handleAlert } = await import('../../alerts/handle-alert.js');
  const deps = await eventRunDeps({
    env: { ...world.env, [ENV.auditFile]: world.auditFile },
    cwd: world.workDir,
    configFile: world.configFile,
    logger: () => memoryLogger(),
    clock: world.clock,
    sleep: world.clock.sleep,
  });
  try {
    const outcome = await handleAlert(deps, 'repository_dispatch', event);
    if (outcome.kind === 'ignored') return { ...base, status: 'ignored', code: 'ALERT_IGNORED', result: outcome, incidentId: world.incidentId, exitCode: 1, message: outcome.reason };
    const failed = outcome.steps.filter((s) => s.error !== undefined);
    return { ...base, status: outcome.kind, code: failed.length ? 'ALERT_STEP_FAILED' : undefined, result: outcome, incidentId: outcome.incidentId, exitCode: failed.length ? 1 : 0, ...(failed.length ? { message: failed.map((s) => `${s.capability}: ${String(s.error)}`).join('; ') } : {}) };
  } catch (error) {
    return { ...base, status: 'refused', code: (error as { code?: string }).code ?? 'UNEXPECTED', result: undefined, incidentId: world.incidentId, exitCode: 2, message: (error as Error).message };
  }
}

/** One incident per fingerprint: a second identical alert attaches to the first one's incident. */
export const alertFixture: RunbookFixture = {
  async verify(world: RunbookWorld, outcome: StepOutcome): Promise<Expectation[]> {
    const gh = await world.github();
    const result = outcome.result as { kind?: string; issue?: number; incidentId?: string } | undefined;
    const out: Expectation[] = [check('the alert opened or joined an incident', outcome.status === 'declared' || outcome.status === 'attached', `${outcome.status} ${outcome.code ?? ''}`)];
    const issue = result?.issue !== undefined ? gh.state.issues.get(result.issue) : undefined;
    out.push(check('its incident issue exists and is open', issue?.state === 'open', `issue #${result?.issue}`));
    // The label the handler gives the alert's incident, from the same adapter it used.
    const alert = alertFromEvent('repository_dispatch', alertEvent(outcome.input)).alert;
    const fp = alert ? fingerprintLabel(alert) : undefined;
    const same = [...gh.state.issues.values()].filter((i) => fp !== undefined && i.labels.includes(fp));
    out.push(check('exactly one incident issue carries the alert fingerprint', same.length === 1, `${same.length} issues with ${fp ?? '(no fingerprint: the alert was ignored)'}`));
    return out;
  },
};
