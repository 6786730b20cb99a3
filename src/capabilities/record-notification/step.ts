import { InputError } from '../../core/errors.js';
import { INCIDENT_STEPS } from '../../core/incident/state.js';
import type { AuditRecord } from '../../core/audit.js';
import type { Outcome, Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { T_COMMENT, attempt, loadIncident, optionalString, provisionalRecord, refreshBody, requireIncidentId, type IncidentPorts } from '../shared/incident-support.js';

/**
 * record-notification: "sent to X at T, reference R" — or "waived because …" — for one obligation.
 * Either closes the obligation for the close gate; the sent time also restarts chained clocks
 * (NIS2 final, DORA intermediate/final, California AG) from the real submission.
 */
export interface RecordNotificationInput {
  obligation: string;
  recipient: string | undefined;
  sent_at: string | undefined;
  reference: string | undefined;
  waive_reason: string | undefined;
  /** A notify delivery key (`nfy-…`): its recorded evidence fills recipient, sent_at and reference. */
  delivery?: string | undefined;
}

export const recordNotificationStep: StepDefinition<RecordNotificationInput, IncidentPorts> = {
  name: INCIDENT_STEPS.notification,
  description: 'Records that a regulatory or contractual notification was sent (or waived, with a reason).',
  parse(raw, ctx) {
    const obligation = optionalString(raw, 'obligation', 80);
    if (!obligation) throw new InputError('obligation id is required (see `firebreak deadlines` or the issue table)', { field: 'obligation' });
    const waive = optionalString(raw, 'waive_reason', 2000);
    const sentRaw = optionalString(raw, 'sent_at', 40);
    const delivery = optionalString(raw, 'delivery', 40);
    if (delivery !== undefined && !/^nfy-[0-9a-f]{24}$/.test(delivery)) throw new InputError('delivery must be a notify delivery key (nfy-…, from the notify run)', { field: 'delivery' });
    if (delivery && waive) throw new InputError('give either delivery or waive_reason, not both', { field: 'delivery' });
    if (waive && sentRaw) throw new InputError('give either sent_at or waive_reason, not both', { field: 'waive_reason' });
    let sent_at: string | undefined;
    if (!waive && !(delivery && !sentRaw)) {
      const t = sentRaw ?? ctx.clock.now().toISOString();
      if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(t) || Number.isNaN(Date.parse(t))) throw new InputError('sent_at must be an ISO time with an offset', { field: 'sent_at' });
      sent_at = new Date(Date.parse(t)).toISOString();
      if (Date.parse(sent_at) > ctx.clock.now().getTime() + 60_000) throw new InputError('sent_at is in the future', { field: 'sent_at' });
    }
    const recipient = optionalString(raw, 'recipient', 200);
    if (!waive && !recipient && !delivery) throw new InputError('recipient is required when recording a sent notification', { field: 'recipient' });
    return { obligation, recipient, sent_at, reference: optionalString(raw, 'reference', 200), waive_reason: waive, ...(delivery ? { delivery } : {}) };
  },
  async plan(input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const known = loaded.obligations.map((o) => o.id);
    if (!known.includes(input.obligation)) {
      throw new InputError(`unknown obligation "${input.obligation}" for ${loaded.state.id}; open obligations: ${known.join(', ') || 'none'}`, { field: 'obligation', code: 'OBLIGATION_UNKNOWN' });
    }
    if (input.delivery) fillFromDelivery(input, loaded.records);
    const key = `notification:${input.obligation}:${input.sent_at ?? 'waived'}`;
    const plan: Plan = { step: this.name, changes: [], unchanged: [], warnings: [], meta: { key } };
    const prev = loaded.state.notifications.get(input.obligation);
    if (prev && prev.sentAt === input.sent_at && prev.reference === input.reference && prev.waived === input.waive_reason) {
      plan.unchanged.push({ target: T_COMMENT, subject: key, reason: 'already recorded' });
      return plan;
    }
    if (prev?.sentAt) plan.warnings.push(`${input.obligation} was already recorded as sent at ${prev.sentAt}; this replaces it`);
    const due = loaded.obligations.find((o) => o.id === input.obligation)!.due;
    if (input.sent_at && input.sent_at > due) plan.warnings.push(`${input.obligation} was sent after its deadline (${due})`);
    plan.changes.push({ target: T_COMMENT, action: 'record', subject: key, detail: { due } });
    return plan;
  },
  async apply(plan, input, ports, ctx) {
    const loaded = await loadIncident(ports, requireIncidentId(ctx));
    const { key } = plan.meta as { key: string };
    const text = input.waive_reason
      ? `**Obligation \`${input.obligation}\` waived** by ${ctx.actor}: ${input.waive_reason}`
      : `**Notification sent** — \`${input.obligation}\` to ${input.recipient} at ${input.sent_at}${input.reference ? `, reference ${input.reference}` : ''} (recorded by ${ctx.actor})`;
    const out = [await attempt(T_COMMENT, 'record', key, () => ports.ledger.postKeyed(loaded.issue.number, key, text))];
    out.push(await refreshBody(ports, loaded.issue, [...loaded.records, provisionalRecord(ctx, this.name, input, plan, out)]));
    return out;
  },
};

/**
 * The delivery evidence notify recorded (channel, recipient reference, provider message id, time)
 * becomes the notification's recipient, sent time and reference, unless given explicitly.
 */
function fillFromDelivery(input: RecordNotificationInput, records: readonly AuditRecord[]): void {
  for (const r of records) {
    if (r.step !== 'notify' || r.dryRun) continue;
    const o = ((r.result as { outcomes?: Outcome[] } | null)?.outcomes ?? []).find((x) => x.subject === input.delivery && x.status === 'applied' && x.evidence);
    if (!o) continue;
    const e = o.evidence!;
    input.recipient ??= `${e.recipient ?? 'recipient'} via ${e.channel ?? 'notify'}`;
    input.sent_at ??= e.at;
    input.reference ??= `${e.channel ?? 'notify'} message ${e.messageId ?? 'unknown'} (delivery ${input.delivery})`;
    return;
  }
  throw new InputError(`no delivered notify message ${input.delivery} on this incident: run notify first, or give recipient and sent_at`, { field: 'delivery', code: 'DELIVERY_UNKNOWN' });
}
