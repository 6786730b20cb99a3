import type { IncidentConfig } from '../config/sections/incident.js';
import type { Obligation } from './clock.js';
import { PERSONAL_CATEGORIES } from './clock.js';
import type { SeverityScheme } from './severity.js';
import { findLevel } from './severity.js';
import type { IncidentState } from './state.js';

/**
 * What a tick should post, as keyed notices. A key names one notice for one window of silence
 * (`reminder:<last update>:<n>`), one rung of the ladder, or one warning per obligation and
 * threshold, so a second tick — or a racing one — finds the key already posted and adds nothing.
 */

export interface Notice {
  key: string;
  kind: 'reminder' | 'escalation' | 'warning' | 'overdue';
  /** Handles to @-mention. */
  mentions: string[];
  text: string;
}

const MIN = 60_000;

export function planNotices(
  state: IncidentState,
  obligations: readonly Obligation[],
  scheme: SeverityScheme,
  config: Pick<IncidentConfig, 'escalation' | 'roster' | 'warn_before_hours'>,
  now: Date,
): Notice[] {
  if (state.status === 'closed') return [];
  const out: Notice[] = [];
  const t = now.getTime();
  const level = findLevel(scheme, state.severity);
  const who = (role: string): string[] => state.roles[role] ?? config.roster[role] ?? [];
  const ic = who('incident_commander');

  // Acknowledging = posting the first status update; until then the commander is chased at the ack deadline.
  const ackDue = Date.parse(state.declaredAt) + level.ack_minutes * MIN;
  if (state.updates.length === 0 && t >= ackDue) {
    out.push({
      key: 'ack:overdue',
      kind: 'reminder',
      mentions: ic,
      text: `Not acknowledged: ${state.severity} asks for an acknowledgement within ${level.ack_minutes} min of declaration. Post a first update to acknowledge.`,
    });
  }

  const sinceUpdate = t - Date.parse(state.lastUpdateAt);
  const cadence = level.update_every_minutes * MIN;
  if (sinceUpdate >= cadence) {
    const n = Math.floor(sinceUpdate / cadence);
    out.push({
      key: `reminder:${state.lastUpdateAt}:${n}`,
      kind: 'reminder',
      mentions: ic,
      text: `No status update for ${Math.floor(sinceUpdate / MIN)} min; ${state.severity} expects one every ${level.update_every_minutes} min. Post one with \`firebreak update\` or the post-update workflow.`,
    });
  }

  const breach = state.facts.data_categories.some((c) => PERSONAL_CATEGORIES.includes(c.toLowerCase()));
  config.escalation.forEach((step, i) => {
    if (step.severities && !step.severities.includes(state.severity)) return;
    if (step.data_breach === true && !breach) return;
    const from = step.from === 'declared' ? state.declaredAt : state.lastActivityAt;
    if (t - Date.parse(from) < step.after_minutes * MIN) return;
    const key = step.from === 'declared' ? `escalate:${step.notify}:${i}` : `escalate:${step.notify}:${i}:${from}`;
    out.push({
      key,
      kind: 'escalation',
      mentions: who(step.notify),
      text:
        step.from === 'declared'
          ? `Escalating to ${step.notify}${step.data_breach ? ' (data breach)' : ''}: ${state.severity} declared ${Math.floor((t - Date.parse(from)) / MIN)} min ago.`
          : `Escalating to ${step.notify}: no action for ${Math.floor((t - Date.parse(from)) / MIN)} min (ladder rung ${i + 1}, after ${step.after_minutes} min).`,
    });
  });

  const thresholds = [...config.warn_before_hours].sort((a, b) => a - b);
  for (const o of obligations) {
    const n = state.notifications.get(o.id);
    if (n && (n.sentAt || n.waived)) continue;
    const due = Date.parse(o.due);
    const owner = who(o.owner);
    if (t >= due) {
      out.push({ key: `overdue:${o.id}`, kind: 'overdue', mentions: owner, text: `OVERDUE: ${o.recipient} (${o.id}) was due ${o.due}. ${o.basis.rule} — ${o.basis.source}. Record it with \`firebreak record-notification\`.` });
      continue;
    }
    // Only the tightest threshold crossed: a first tick 2 h before the deadline posts one warning, not two.
    const crossed = thresholds.find((h) => t >= due - h * 3_600_000);
    if (crossed !== undefined) {
      out.push({ key: `warn:${o.id}:${crossed}h`, kind: 'warning', mentions: owner, text: `Due within ${crossed} h: ${o.recipient} (${o.id}) at ${o.due}. ${o.basis.rule} — ${o.basis.source}.` });
    }
  }
  return out.filter((n) => !state.postedKeys.has(n.key));
}
