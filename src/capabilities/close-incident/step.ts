import { CLOSE_GATE, checkCloseGate, closeGateError, type PullFacts } from '../../core/incident/close-gate.js';
import { statusLabel } from '../../core/incident/render.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import type { Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { T_COMMENT, T_ISSUE, T_LABEL, attempt, loadIncident, optionalPr, optionalString, provisionalRecord, refreshBody, requireIncidentId, type IncidentPorts } from '../shared/incident-support.js';

/**
 * close-incident: refuses (guard CLOSE_GATE) until containment is recorded, every obligation is
 * sent or waived, the fix PR is merged and the postmortem PR is open. An override needs a reason
 * and is kept in the audit record.
 */
export interface CloseInput {
  fix_pr: number | undefined;
  summary: string | undefined;
}

export const postmortemBranch = (id: string): string => `firebreak/postmortem/${id}`;

export const closeIncidentStep: StepDefinition<CloseInput, IncidentPorts> = {
  name: INCIDENT_STEPS.close,
  description: 'Closes the incident once the close gate passes (or with an audited override).',
  parse(raw) {
    return { fix_pr: optionalPr(raw, 'fix_pr'), summary: optionalString(raw, 'summary', 5000) };
  },
  async plan(input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { state } = loaded;
    const plan: Plan = { step: this.name, changes: [], unchanged: [], warnings: [], meta: {} };
    if (state.status === 'closed' && loaded.issue.state === 'closed') {
      plan.unchanged.push({ target: T_ISSUE, subject: state.id, reason: `closed at ${state.closedAt}` });
      return plan;
    }
    const prNumbers = [...new Set([...state.fixPrs, ...(input.fix_pr ? [input.fix_pr] : [])])];
    const fixPrs: PullFacts[] = [];
    for (const n of prNumbers) {
      const pr = await ports.ledger.getPull(n);
      fixPrs.push(pr ? { number: n, state: pr.state, merged: pr.merged } : { number: n, state: 'closed', merged: false });
    }
    const pm = await ports.ledger.findPullByBranch(state.postmortem?.branch ?? postmortemBranch(state.id));
    const problems = checkCloseGate({ state, obligations: loaded.obligations, fixPrs, postmortemPr: pm ? { number: pm.number, state: pm.state, merged: pm.merged } : undefined });
    plan.meta = { problems, fixPrs, postmortemPr: pm?.number };
    plan.changes.push(
      { target: T_COMMENT, action: 'post', subject: `close:${state.id}` },
      { target: T_LABEL, action: 'set', subject: statusLabel('closed') },
      { target: T_ISSUE, action: 'close', subject: state.id },
    );
    return plan;
  },
  guard(plan) {
    const problems = (plan.meta as { problems?: Parameters<typeof closeGateError>[0] }).problems ?? [];
    if (problems.length) throw closeGateError(problems);
  },
  async apply(plan, input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const override = plan.warnings.find((w) => w.startsWith(`Guard ${CLOSE_GATE} overridden`));
    const text = [`✅ **${loaded.state.severity} RESOLVED: ${loaded.state.title}** — closed by ${ctx.actor}.`, input.summary ?? '', override ? `\n⚠️ ${override}` : ''].filter(Boolean).join('\n');
    const n = loaded.issue.number;
    const out = [
      await attempt(T_COMMENT, 'post', `close:${loaded.state.id}`, () => ports.ledger.postKeyed(n, `close:${loaded.state.id}`, text)),
      await attempt(T_LABEL, 'set', statusLabel('closed'), () => ports.ledger.setPrefixedLabel(n, 'status:', statusLabel('closed'))),
    ];
    out.push(await refreshBody(ports, loaded.issue, [...loaded.records, provisionalRecord(ctx, this.name, input, plan, out)]));
    out.push(await attempt(T_ISSUE, 'close', loaded.state.id, () => ports.ledger.closeIssue(n)));
    return out;
  },
};
