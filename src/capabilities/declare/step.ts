import { InputError } from '../../core/errors.js';
import { incidentObligations } from '../../core/incident/internal-clocks.js';
import { checkClockAndRouteConfig, commanderFor, parseCategories } from '../../core/incident/routing.js';
import { parseFacts, parseFactsText, type IncidentFacts } from '../../core/incident/facts.js';
import { INCIDENT_LABEL, incidentIdFor, issueTitle, renderIssueBody, severityLabel, slugify, statusLabel } from '../../core/incident/render.js';
import { classify, findLevel, resolveScheme, type ClassifyAnswers } from '../../core/incident/severity.js';
import { INCIDENT_STEPS, deriveIncidentState, type DeclaredIncident } from '../../core/incident/state.js';
import type { Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { T_ISSUE, attempt, optionalString, parseAnswers, provisionalRecord, type IncidentPorts } from '../shared/incident-support.js';

/**
 * declare: opens the incident issue — id `INC-<date>-<slug>`, labels (incident, severity, status),
 * roles from the roster, the acknowledgement deadline, the obligations table and a Mermaid timeline.
 * The entry point sets ctx.incidentId with `declaredIncidentId` first, so the audit record lands on
 * the new issue. Re-running converges: an existing issue for the id is left as it is.
 */

export const ROLES = ['incident_commander', 'tech_lead', 'comms_lead'] as const;

export interface DeclareInput {
  id: string;
  slug: string;
  title: string;
  summary: string;
  severity: string;
  reasons: string[];
  answers: ClassifyAnswers;
  facts: IncidentFacts;
  /** Raw category text; checked against incident.routes in plan (it needs the config). */
  category?: string | undefined;
}

/** The id a declare run will use: entry points pass it as ctx.incidentId. */
export function declaredIncidentId(raw: Record<string, unknown>, now: Date): string {
  const slug = typeof raw.slug === 'string' && raw.slug.trim() ? raw.slug : raw.title;
  if (typeof slug !== 'string' || !slug.trim()) throw new InputError('title is required', { field: 'title' });
  return incidentIdFor(now, slug);
}

export const declareStep: StepDefinition<DeclareInput, IncidentPorts> = {
  name: INCIDENT_STEPS.declare,
  description: 'Opens the incident issue with id, labels, roles, acknowledgement deadline, obligations and timeline.',

  parse(raw, ctx) {
    const title = optionalString(raw, 'title', 200);
    if (!title) throw new InputError('title is required', { field: 'title' });
    const slug = slugify(optionalString(raw, 'slug', 80) ?? title);
    const id = incidentIdFor(ctx.clock.now(), slug);
    if (ctx.incidentId && ctx.incidentId !== id) {
      throw new InputError(`incident id ${ctx.incidentId} does not match the declared id ${id}`, { field: 'incident-id', code: 'INCIDENT_ID_MISMATCH' });
    }
    return { id, slug, title, summary: optionalString(raw, 'summary') ?? title, severity: optionalString(raw, 'severity', 40) ?? '', reasons: ['set by the responder'], answers: parseAnswers(raw), facts: factsOf(raw, ctx.clock.now()), category: optionalString(raw, 'category', 200) };
  },

  async plan(input, ports, ctx) {
    const scheme = resolveScheme(ports.config);
    checkClockAndRouteConfig(ports.config, scheme);
    const classified = input.severity ? { severity: findLevel(scheme, input.severity).id, reasons: input.reasons } : classify(scheme, input.answers);
    const roles: Record<string, string[]> = {};
    for (const role of ROLES) roles[role] = (ports.config.roster[role] ?? []).slice(0, 1);
    // The commander may depend on severity (incident.commander: a senior roster for the top levels).
    const ic = commanderFor(classified.severity, ports.config);
    if (ic.length) roles.incident_commander = ic;
    for (const [role, people] of Object.entries(ports.config.roster)) if (!(role in roles)) roles[role] = people;
    const facts: IncidentFacts = { ...input.facts, severity: input.facts.severity ?? classified.severity };
    const categories = parseCategories(input.category, ports.config);
    const incident: DeclaredIncident = { id: input.id, slug: input.slug, title: input.title, summary: input.summary, severity: classified.severity, declaredAt: ctx.clock.now().toISOString(), roles, facts, ...(categories ? { categories } : {}) };
    const draft = deriveIncidentState([provisionalRecord(ctx, this.name, input, { step: this.name, changes: [], unchanged: [], warnings: [], meta: { incident } }, [])], ports.config.containment_steps)!;
    const { obligations, notes, warnings } = incidentObligations(draft, ports.config);
    const plan: Plan = { step: this.name, changes: [], unchanged: [], warnings: [...warnings, ...notes], meta: { incident, reasons: classified.reasons, obligations } };
    const existing = await ports.ledger.findIncident(input.id);
    if (existing) {
      plan.unchanged.push({ target: T_ISSUE, subject: input.id, reason: `already declared as #${existing.number}` });
      return plan;
    }
    const level = findLevel(scheme, classified.severity);
    plan.changes.push({
      target: T_ISSUE,
      action: 'open',
      subject: input.id,
      detail: { severity: classified.severity, ackBy: new Date(Date.parse(incident.declaredAt) + level.ack_minutes * 60_000).toISOString(), obligations: obligations.length },
    });
    return plan;
  },

  async apply(plan, input, ports, ctx) {
    const incident = (plan.meta as { incident: DeclaredIncident }).incident;
    const scheme = resolveScheme(ports.config);
    const state = deriveIncidentState([provisionalRecord(ctx, this.name, input, plan, [])], ports.config.containment_steps)!;
    const { obligations, notes, warnings } = incidentObligations(state, ports.config);
    const body = renderIssueBody(state, obligations, scheme, [...warnings.map((w) => `Warning: ${w}`), ...notes]);
    const labels = [INCIDENT_LABEL, severityLabel(incident.severity), statusLabel('open')];
    return [await attempt(T_ISSUE, 'open', input.id, async () => (await ports.ledger.openIncident(input.id, issueTitle(input.id, input.title), body, labels)).outcome)];
  },
};

function factsOf(raw: Record<string, unknown>, now: Date): IncidentFacts {
  const f = raw.facts;
  if (f === undefined || f === null || f === '') return parseFacts({ discovered_at: now.toISOString() });
  if (typeof f === 'string') {
    const parsed = parseFactsText(f.includes('discovered_at') ? f : `discovered_at: ${now.toISOString()}\n${f}`, 'facts');
    return parsed;
  }
  if (typeof f === 'object') return parseFacts({ discovered_at: now.toISOString(), ...(f as Record<string, unknown>) });
  throw new InputError('facts must be YAML/JSON text or an object', { field: 'facts' });
}
