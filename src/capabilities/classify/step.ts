import { checkClockAndRouteConfig, parseCategories, rolesAfterReclassification } from '../../core/incident/routing.js';
import { classify, findLevel } from '../../core/incident/severity.js';
import { severityLabel } from '../../core/incident/render.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import type { Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import type { ClassifyAnswers } from '../../core/incident/severity.js';
import { T_BODY, T_LABEL, attempt, loadIncident, optionalString, parseAnswers, provisionalRecord, refreshBody, requireIncidentId, type IncidentPorts } from '../shared/incident-support.js';

/**
 * classify: answers to the scheme's checklist (or an explicit severity) → severity with reasons;
 * relabels the incident when it changed. The reasons stay in the audit record.
 */
export interface ClassifyInput {
  answers: ClassifyAnswers;
  severity: string | undefined;
  category?: string | undefined;
}

export const classifyStep: StepDefinition<ClassifyInput, IncidentPorts> = {
  name: INCIDENT_STEPS.classify,
  description: 'Classifies the incident from the severity checklist and relabels it.',
  parse(raw) {
    return { answers: parseAnswers(raw), severity: optionalString(raw, 'severity', 40), category: optionalString(raw, 'category', 200) };
  },
  async plan(input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    checkClockAndRouteConfig(ports.config, loaded.scheme);
    const result = input.severity
      ? { severity: findLevel(loaded.scheme, input.severity).id, reasons: ['set by the responder'] }
      : classify(loaded.scheme, input.answers);
    // A severity commanded by another roster role hands the incident over (incident.commander).
    const roles = rolesAfterReclassification(loaded.state, result.severity, ports.config);
    const categories = parseCategories(input.category, ports.config);
    const plan: Plan = {
      step: this.name,
      changes: [],
      unchanged: [],
      warnings: [],
      meta: { severity: result.severity, reasons: result.reasons, issue: loaded.issue.number, ...(roles ? { roles } : {}), ...(categories ? { categories } : {}) },
    };
    if (roles) plan.warnings.push(`${result.severity} is commanded by ${(roles.incident_commander ?? []).map((h) => `@${h}`).join(', ')} (incident.commander): the commander changes`);
    if (result.severity === loaded.state.severity) {
      plan.unchanged.push({ target: T_LABEL, subject: severityLabel(result.severity), reason: `already ${result.severity}` });
    } else {
      plan.changes.push({ target: T_LABEL, action: 'set', subject: severityLabel(result.severity), detail: { from: loaded.state.severity, reasons: result.reasons } });
    }
    if (categories && categories.join(',') !== [...loaded.state.categories].join(',')) {
      plan.changes.push({ target: T_BODY, action: 'update', subject: 'categories', detail: { from: loaded.state.categories, to: categories } });
    }
    return plan;
  },
  async apply(plan, input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const sev = (plan.meta as { severity: string }).severity;
    const label = await attempt(T_LABEL, 'set', severityLabel(sev), () => ports.ledger.setPrefixedLabel(loaded.issue.number, 'severity:', severityLabel(sev)));
    const body = await refreshBody(ports, loaded.issue, [...loaded.records, provisionalRecord(ctx, this.name, input, plan, [label])]);
    return [label, body];
  },
};
