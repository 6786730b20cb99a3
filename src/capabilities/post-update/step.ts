import { InputError } from '../../core/errors.js';
import { parseFacts } from '../../core/incident/facts.js';
import { statusLabel } from '../../core/incident/render.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import { assertExternalSafe, renderUpdate, type UpdateKind } from '../../core/incident/templates.js';
import type { Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { T_COMMENT, T_LABEL, attempt, loadIncident, mention, optionalPr, optionalString, provisionalRecord, refreshBody, requireIncidentId, shortHash, type IncidentPorts } from '../shared/incident-support.js';

/**
 * post-update: a status update from seed 004's templates (initial / update / resolved), internal or
 * external. External text is refused when it carries internal details (hostnames, private
 * addresses, ARNs, stack traces). An update resets the cadence clock; it may also link the fix PR
 * and amend the incident facts (which re-computes the obligations).
 */

export const STATUSES = ['investigating', 'identified', 'mitigating', 'monitoring', 'stable', 'resolved'] as const;

export interface PostUpdateInput {
  audience: 'internal' | 'external';
  kind: UpdateKind;
  status: string;
  text: string | undefined;
  impact: string | undefined;
  root_cause: string | undefined;
  eta: string | undefined;
  next_update: string | undefined;
  fix_pr: number | undefined;
  facts: Record<string, unknown> | undefined;
}

export const postUpdateStep: StepDefinition<PostUpdateInput, IncidentPorts> = {
  name: INCIDENT_STEPS.update,
  description: 'Posts an internal or external status update (checked for internal details) and resets the update cadence.',
  parse(raw) {
    const audience = optionalString(raw, 'audience', 20) ?? 'internal';
    if (audience !== 'internal' && audience !== 'external') throw new InputError('audience must be internal or external', { field: 'audience' });
    const kind = optionalString(raw, 'kind', 20) ?? 'update';
    if (kind !== 'initial' && kind !== 'update' && kind !== 'resolved') throw new InputError('kind must be initial, update or resolved', { field: 'kind' });
    const status = optionalString(raw, 'status', 40) ?? (kind === 'resolved' ? 'resolved' : 'investigating');
    if (!(STATUSES as readonly string[]).includes(status)) throw new InputError(`status must be one of ${STATUSES.join(', ')}`, { field: 'status' });
    let facts: Record<string, unknown> | undefined;
    if (raw.facts !== undefined && raw.facts !== null && raw.facts !== '') {
      if (typeof raw.facts !== 'object' || Array.isArray(raw.facts)) throw new InputError('facts must be an object', { field: 'facts' });
      facts = raw.facts as Record<string, unknown>;
    }
    const input: PostUpdateInput = {
      audience,
      kind,
      status,
      text: optionalString(raw, 'text'),
      impact: optionalString(raw, 'impact', 2000),
      root_cause: optionalString(raw, 'root_cause', 2000),
      eta: optionalString(raw, 'eta', 200),
      next_update: optionalString(raw, 'next_update', 200),
      fix_pr: optionalPr(raw, 'fix_pr'),
      facts,
    };
    if (!input.text && !input.impact && !input.root_cause && kind === 'update' && !input.fix_pr && !facts) {
      throw new InputError('an update needs text, impact, root_cause, fix_pr or facts', { field: 'text' });
    }
    return input;
  },
  async plan(input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { state } = loaded;
    const text = renderUpdate(input.kind, input.audience, {
      severity: state.severity,
      title: state.title,
      status: input.status,
      impact: input.impact,
      rootCause: input.root_cause,
      eta: input.eta,
      nextUpdate: input.next_update,
      commander: mention(state.roles.incident_commander ?? []) || undefined,
      text: input.text,
    });
    const facts = input.facts ? parseFacts({ ...state.facts, ...input.facts }, 'facts') : undefined;
    const key = `update:${shortHash(ctx.clock.now().toISOString().slice(0, 16), input.audience, text)}`;
    const plan: Plan = { step: this.name, changes: [], unchanged: [], warnings: [], meta: { text, key, ...(facts ? { facts } : {}) } };
    if (state.status === 'closed') plan.warnings.push('the incident is closed; this update is recorded but reopens nothing');
    plan.changes.push({ target: T_COMMENT, action: 'post', subject: key, detail: { audience: input.audience, kind: input.kind } });
    if (!loaded.issue.labels.includes(statusLabel(input.status))) plan.changes.push({ target: T_LABEL, action: 'set', subject: statusLabel(input.status) });
    return plan;
  },
  guard(plan, input) {
    if (input.audience === 'external') assertExternalSafe((plan.meta as { text: string }).text);
  },
  async apply(plan, input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { text, key } = plan.meta as { text: string; key: string };
    const header = input.audience === 'external' ? '**External update** (approved for customers)' : '**Internal update**';
    const out = [await attempt(T_COMMENT, 'post', key, () => ports.ledger.postKeyed(loaded.issue.number, key, `${header}\n\n${text}`))];
    if (plan.changes.some((c) => c.target === T_LABEL)) {
      out.push(await attempt(T_LABEL, 'set', statusLabel(input.status), () => ports.ledger.setPrefixedLabel(loaded.issue.number, 'status:', statusLabel(input.status))));
    }
    out.push(await refreshBody(ports, loaded.issue, [...loaded.records, provisionalRecord(ctx, this.name, input, plan, out)]));
    return out;
  },
};
