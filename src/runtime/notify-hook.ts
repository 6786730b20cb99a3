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
  const { capability } = await import('../capabilities/notify/capability.js');
  const rt = await capability.runtime();
  return runSession(source, {
    step: rt.step,
    common: { dryRun: () => false, incidentId: () => run.incidentId, overrides: () => [] },
    config: async () => config,
    input: {},
    ports: (ctx) => rt.ports(ctx),
  });
}

/**
 * For an incident the tick passed over (nothing due, so no tick run and no hook after it): runs
 * notify only when a delivery is still owed — one that failed earlier — so a quiet incident's failed
 * page is retried by the next tick without a noop notify record every tick. The check is notify's
 * own plan, in a dry run that records nothing.
 */
export async function notifyIfOwed(incidentId: string, source: SessionSource, config: FirebreakConfig): Promise<SessionRun<unknown> | undefined> {
  if (config.notify.routes.length === 0) return undefined;
  const { capability } = await import('../capabilities/notify/capability.js');
  const rt = await capability.runtime();
  const clock = source.clock ?? systemClock;
  const sleep = source.sleep ?? realSleep;
  const ports = await rt.ports({ env: source.env, config, logger: silentLogger, clock, sleep });
  const ctx = makeContext({ audit: new MemoryAuditSink(), clock, sleep, logger: silentLogger, actor: source.actor, incidentId, dryRun: true });
  const plan = await rt.step.plan(rt.step.parse({}, ctx), ports, ctx);
  if (plan.changes.length === 0) return undefined;
  return notifyAfter('incident-tick', { status: 'noop', dryRun: false, incidentId }, source, config);
}
