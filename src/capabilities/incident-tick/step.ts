import { planNotices, type Notice } from '../../core/incident/cadence.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import type { Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { T_COMMENT, attempt, loadIncident, mention, provisionalRecord, refreshBody, requireIncidentId, type IncidentPorts, type LoadedIncident } from '../shared/incident-support.js';

/**
 * incident-tick: the incident's clock. Posts a reminder when no status update came within the
 * severity's cadence, escalates along the roster's ladder, and warns ahead of each obligation.
 * Each notice has an idempotency key (in the comment and in the audit record): a second tick, or
 * two ticks racing, post nothing new. Entry points call `dueNotices` first and skip incidents with
 * nothing due, so a quiet incident does not collect a noop audit record every 15 minutes.
 */
export type TickInput = Record<string, never>;

export function dueNotices(loaded: LoadedIncident, ports: IncidentPorts, now: Date): Notice[] {
  return planNotices(loaded.state, loaded.obligations, loaded.scheme, ports.config, now);
}

export const incidentTickStep: StepDefinition<TickInput, IncidentPorts> = {
  name: INCIDENT_STEPS.tick,
  description: 'Posts cadence reminders, escalations and obligation warnings that are due (idempotent).',
  parse() {
    return {};
  },
  async plan(_input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const notices = dueNotices(loaded, ports, ctx.clock.now());
    const plan: Plan = { step: this.name, changes: [], unchanged: [], warnings: [], meta: { notices } };
    if (loaded.state.status === 'closed') plan.unchanged.push({ target: T_COMMENT, subject: loaded.state.id, reason: 'incident closed' });
    for (const n of notices) plan.changes.push({ target: T_COMMENT, action: 'post', subject: n.key, detail: { kind: n.kind, mentions: n.mentions } });
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
