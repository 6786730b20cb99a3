import { InputError } from '../../core/errors.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import type { Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { T_COMMENT, attempt, loadIncident, optionalString, provisionalRecord, refreshBody, requireIncidentId, shortHash, type IncidentPorts } from '../shared/incident-support.js';

/**
 * record-containment: containment done outside firebreak (a revoked database user, a pulled cable)
 * recorded on the incident, so the close gate counts it like an applied firebreak containment step.
 */
export interface RecordContainmentInput {
  action: string;
  note: string | undefined;
}

export const recordContainmentStep: StepDefinition<RecordContainmentInput, IncidentPorts> = {
  name: INCIDENT_STEPS.containment,
  description: 'Records containment done by hand, so the close gate counts it.',
  parse(raw) {
    const action = optionalString(raw, 'action', 500);
    if (!action) throw new InputError('action is required: what was done to stop the bleeding', { field: 'action' });
    return { action, note: optionalString(raw, 'note', 5000) };
  },
  async plan(input, ports, ctx) {
    await loadIncident(ports, requireIncidentId(ctx));
    const key = `containment:${shortHash(input.action, input.note ?? '')}`;
    const plan: Plan = { step: this.name, changes: [{ target: T_COMMENT, action: 'record', subject: key }], unchanged: [], warnings: [], meta: { key } };
    return plan;
  },
  async apply(plan, input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { key } = plan.meta as { key: string };
    const out = [await attempt(T_COMMENT, 'record', key, () => ports.ledger.postKeyed(loaded.issue.number, key, `**Containment** by ${ctx.actor}: ${input.action}${input.note ? `\n\n${input.note}` : ''}`))];
    out.push(await refreshBody(ports, loaded.issue, [...loaded.records, provisionalRecord(ctx, this.name, input, plan, out)]));
    return out;
  },
};
