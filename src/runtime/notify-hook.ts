import type { AuditStatus } from '../core/audit.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { realSleep, silentLogger, systemClock } from '../core/runtime.js';
import { makeContext } from '../core/step.js';
import { MemoryAuditSink } from '../providers/local/file-audit-sink.js';
import { NOTIFY_AFTER_STEPS } from '../capabilities/notify/secrets.js';
import { runSession, type SessionRun, type SessionSource } from './session.js';

/**
 * The lifecycle hook: after an incident step writes (declare, classify, post-update, incident-tick,
 * close-incident), the entry point runs `notify` for the same incident in its own session, so the
 * deliveries get their own audit record. notify derives what to send from the chain, so the hook
 * passes nothing but the incident id; a delivery that fails is retried by the next hook or by
 * running `notify` by hand. Nothing happens when firebreak.yml routes nothing.
 */
export const NOTIFY_AFTER: ReadonlySet<string> = NOTIFY_AFTER_STEPS;

export interface FinishedRun {
  status: AuditStatus;
  dryRun: boolean;
  incidentId: string | null | undefined;
}

export function shouldNotify(slug: string, run: FinishedRun, config: FirebreakConfig): run is FinishedRun & { incidentId: string } {
  // `noop` too: a re-run of declare after a failed page must deliver what is still owed.
  return NOTIFY_AFTER.has(slug) && !run.dryRun && (run.status === 'applied' || run.status === 'noop') && !!run.incidentId && config.notify.routes.length > 0;
}

export async function notifyAfter(slug: string, run: FinishedRun, source: SessionSource, config: FirebreakConfig): Promise<SessionRun<unknown> | undefined> {
  if (!shouldNotify(slug, run, config)) return undefined;
  // A tick with nothing due runs notify only when a delivery is owed: ticks come every few minutes,
  // and each would otherwise leave a noop notify record on the incident issue.
  if (slug === 'incident-tick' && run.status === 'noop' && !(await owes(run.incidentId, source, config))) return undefined;
  return runNotify(run.incidentId, source, config);
}

async function runNotify(incidentId: string, source: SessionSource, config: FirebreakConfig): Promise<SessionRun<unknown>> {
  const { capability } = await import('../capabilities/notify/capability.js');
  const rt = await capability.runtime();
  return runSession(source, {
    step: rt.step,
    common: { dryRun: () => false, incidentId: () => incidentId, overrides: () => [] },
    config: async () => config,
    input: {},
    ports: (ctx) => rt.ports(ctx),
  });
}

/**
 * Whether notify's plan has a delivery to make (one that failed earlier, or one nobody sent), in a
 * dry run that records nothing. A plan that cannot be made (an unset reference) counts as owed, so
 * the notify run records the refusal where a responder sees it.
 */
async function owes(incidentId: string, source: SessionSource, config: FirebreakConfig): Promise<boolean> {
  const { capability } = await import('../capabilities/notify/capability.js');
  const rt = await capability.runtime();
  const clock = source.clock ?? systemClock;
  const sleep = source.sleep ?? realSleep;
  try {
    const ports = await rt.ports({ env: source.env, config, logger: silentLogger, clock, sleep });
    const ctx = makeContext({ audit: new MemoryAuditSink(), clock, sleep, logger: silentLogger, actor: source.actor, incidentId, dryRun: true });
    const plan = await rt.step.plan(rt.step.parse({}, ctx), ports, ctx);
    return plan.changes.length > 0;
  } catch {
    return true;
  }
}

/**
 * For an incident the CLI tick passed over (nothing due, so no tick run and no hook after it): runs
 * notify only when a delivery is still owed — one that failed earlier — so a quiet incident's failed
 * page is retried by the next tick without a notify record every tick.
 */
export async function notifyIfOwed(incidentId: string, source: SessionSource, config: FirebreakConfig): Promise<SessionRun<unknown> | undefined> {
  if (config.notify.routes.length === 0 || !(await owes(incidentId, source, config))) return undefined;
  return runNotify(incidentId, source, config);
}
