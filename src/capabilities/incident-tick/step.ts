import { InputError } from '../../core/errors.js';
import { planNotices, type Notice } from '../../core/incident/cadence.js';
import { routeNotices } from '../../core/incident/routing.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import { TICK_SOURCES, describeTiming, tickTiming, type TickSource, type TickTiming, type TickTrigger } from '../../core/incident/tick-timing.js';
import type { Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { T_COMMENT, attempt, loadIncident, mention, provisionalRecord, refreshBody, requireIncidentId, type IncidentPorts, type LoadedIncident } from '../shared/incident-support.js';

/**
 * incident-tick: the incident's clock. Posts a reminder when no status update came within the
 * severity's cadence, escalates along the roster's ladder, and warns ahead of each obligation.
 * Each notice has an idempotency key (in the comment and in the audit record): a second tick, or
 * two ticks racing, post nothing new. Entry points call `dueNotices` first and skip incidents with
 * nothing due, so a quiet incident does not collect a noop audit record every 15 minutes.
 *
 * Ticks come from EventBridge Scheduler (repository_dispatch), GitHub's schedule (fallback) or a
 * person (manual). Each records its source, scheduled time and lateness (plan.meta.tick), and a
 * tick that posts claims its slot (`tick:<slot start>`): a second tick for the same slot, from
 * either source, posts nothing.
 */
export interface TickInput {
  trigger: TickTrigger;
}

/** Outcome target of a slot claim: no API call, the audit record on the issue is the claim. */
export const T_TICK_SLOT = 'firebreak:tick-slot';
const T_TICK = 'firebreak:tick';

export function dueNotices(loaded: LoadedIncident, ports: IncidentPorts, now: Date): Notice[] {
  return [...planNotices(loaded.state, loaded.obligations, loaded.scheme, ports.config, now), ...routeNotices(loaded.state, ports.config, now)];
}

function triggerOf(raw: Record<string, unknown>): TickTrigger {
  const source = raw.source ?? 'manual';
  if (typeof source !== 'string' || !(TICK_SOURCES as readonly string[]).includes(source)) {
    throw new InputError(`tick source must be one of ${TICK_SOURCES.join(', ')}`, { field: 'source' });
  }
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  return { source: source as TickSource, scheduledTime: text(raw.scheduled_time), cron: text(raw.cron) };
}

export const incidentTickStep: StepDefinition<TickInput, IncidentPorts> = {
  name: INCIDENT_STEPS.tick,
  description: 'Posts cadence reminders, escalations and obligation warnings that are due (idempotent).',
  parse(raw, ctx) {
    const trigger = triggerOf(raw);
    tickTiming(trigger, ctx.clock.now(), 1); // refuses a bad scheduled time before anything is read
    return { trigger };
  },
  async plan(input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const now = ctx.clock.now();
    const tick: TickTiming = tickTiming(input.trigger ?? { source: 'manual' }, now, ports.config.ticks.slot_minutes);
    const claimed = loaded.state.postedKeys.has(tick.slot);
    const notices = claimed ? [] : dueNotices(loaded, ports, now);
    const plan: Plan = { step: this.name, changes: [], unchanged: [], warnings: [], meta: { notices, tick } };
    plan.unchanged.push({ target: T_TICK, subject: tick.slot, reason: describeTiming(tick) });
    if (tick.lateSeconds > ports.config.ticks.slot_minutes * 60) plan.warnings.push(`this tick ran ${Math.round(tick.lateSeconds / 60)} min after its scheduled time ${tick.scheduledAt} (${tick.source})`);
    if (claimed) plan.unchanged.push({ target: T_TICK_SLOT, subject: tick.slot, reason: 'another tick already ran this slot; nothing is posted twice' });
    if (loaded.state.status === 'closed') plan.unchanged.push({ target: T_COMMENT, subject: loaded.state.id, reason: 'incident closed' });
    for (const n of notices) plan.changes.push({ target: T_COMMENT, action: 'post', subject: n.key, detail: { kind: n.kind, mentions: n.mentions } });
    if (notices.length) plan.changes.push({ target: T_TICK_SLOT, action: 'claim', subject: tick.slot, detail: { source: tick.source, scheduledAt: tick.scheduledAt } });
    return plan;
  },
  async apply(plan, input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { notices } = plan.meta as { notices: Notice[] };
    const out = [];
    for (const n of notices) {
      const icon = n.kind === 'overdue' ? '🚨' : n.kind === 'escalation' ? '📣' : n.kind === 'warning' ? '⏰' : '🔔';
      const who = mention(n.mentions);
      out.push(await attempt(T_COMMENT, 'post', n.key, () => ports.ledger.postKeyed(loaded.issue.number, n.key, `${icon} ${who ? `${who} ` : ''}${n.text}`)));
    }
    const claim = plan.changes.find((c) => c.target === T_TICK_SLOT);
    // The claim lands with this run's record on the issue; a failed post leaves the slot open for a retry.
    if (claim) out.push({ target: T_TICK_SLOT, action: 'claim', subject: claim.subject, status: out.some((o) => o.status === 'failed') ? 'skipped' : 'applied' } as const);
    out.push(await refreshBody(ports, loaded.issue, [...loaded.records, provisionalRecord(ctx, this.name, input, plan, out)]));
    return out;
  },
};

export interface TickReport {
  id: string;
  posted: number;
  skipped: boolean;
  error?: unknown;
}

/**
 * Ticks every open incident (or the given ones). An incident with nothing due is skipped without a
 * run, so quiet incidents gain no records; a failure on one incident does not stop the others.
 */
export async function tickOpenIncidents(
  ports: IncidentPorts,
  run: (id: string) => Promise<{ posted: number }>,
  now: () => Date,
  only?: readonly string[],
): Promise<TickReport[]> {
  const open = only?.length ? only.map((id) => ({ id })) : await ports.ledger.listOpenIncidents();
  const out: TickReport[] = [];
  for (const { id } of open) {
    try {
      const loaded = await loadIncident(ports, id);
      if (dueNotices(loaded, ports, now()).length === 0) {
        out.push({ id, posted: 0, skipped: true });
        continue;
      }
      out.push({ id, ...(await run(id)), skipped: false });
    } catch (error) {
      out.push({ id, posted: 0, skipped: false, error });
    }
  }
  return out;
}
