import type { IncidentConfig } from '../config/sections/incident.js';
import type { OwnClock } from '../config/sections/own-clocks.js';
import { computeObligations, entityZone, type ClockResult, type Obligation } from './clock.js';
import { anchorTime, anchorWords, anchorsFromFacts, periodDue } from './periods.js';
import { factsWithSubmissions, type IncidentState } from './state.js';

/**
 * The incident's own clocks (issue 10 §6): internal deadlines such as "postmortem within 72 hours"
 * (seed 000 §8), "within 48 hours of resolution" (seed 003 §5), "within 5 business days" (seed 002
 * Step 5) and "SEV-0/1 assessment within 24h" (seed 002 Step 3). They are obligations like the legal
 * ones — an owner, a due time, tick warnings, and the close gate — with ids `internal-<kind>`.
 * `internal-postmortem` is met when write-postmortem opens the PR; any other kind is met (or
 * waived, with a reason) with record-notification.
 */

export const INTERNAL_PREFIX = 'internal-';

const RECIPIENT: Record<string, string> = {
  postmortem: 'Postmortem PR (write-postmortem)',
  assessment: 'Initial assessment recorded (record-notification)',
};

type ClockView = Pick<IncidentState, 'severity' | 'declaredAt' | 'resolvedAt' | 'facts'>;

/** The first configured entry of each kind that applies to the severity. */
export function clocksFor(severity: string, clocks: readonly OwnClock[]): OwnClock[] {
  const chosen = new Map<string, OwnClock>();
  for (const c of clocks) {
    if (chosen.has(c.kind)) continue;
    if (c.severities && !c.severities.includes(severity)) continue;
    chosen.set(c.kind, c);
  }
  return [...chosen.values()];
}

export function internalObligations(state: ClockView, config: Pick<IncidentConfig, 'own_clocks' | 'timezone'>): ClockResult {
  const obligations: Obligation[] = [];
  const notes: string[] = [];
  const anchors = anchorsFromFacts(state.facts, { declaredAt: state.declaredAt, resolvedAt: state.resolvedAt });
  for (const c of clocksFor(state.severity, config.own_clocks)) {
    const id = `${INTERNAL_PREFIX}${c.kind}`;
    const start = anchorTime(c.from, anchors);
    if (start === undefined) {
      notes.push(`${id}: the ${c.kind} clock (${state.severity}) starts at ${anchorWords(c.from)}, which is not recorded yet.`);
      continue;
    }
    const p = periodDue(start, c, entityZone(state.facts, config).zone);
    obligations.push({
      id,
      recipient: RECIPIENT[c.kind] ?? `Internal: ${c.kind} (record-notification)`,
      due: p.due.toISOString(),
      basis: { rule: `${state.severity}: ${c.kind} within ${p.text} of ${anchorWords(c.from)} (${start})`, source: c.source },
      owner: c.owner,
    });
  }
  return { obligations, notes, warnings: [] };
}

/** Legal and internal obligations of an incident, in due order: what the body, ticks and close gate use. */
export function incidentObligations(state: IncidentState, config: IncidentConfig): ClockResult {
  const legal = computeObligations(factsWithSubmissions(state), config);
  const own = internalObligations(state, config);
  const obligations = [...legal.obligations, ...own.obligations].sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id.localeCompare(b.id)));
  return { obligations, notes: [...legal.notes, ...own.notes], warnings: legal.warnings };
}
