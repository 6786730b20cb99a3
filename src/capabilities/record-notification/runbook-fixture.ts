import { deriveIncidentState } from '../../core/incident/state.js';
import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { drillConfig, incidentIssue, keyedComments, recordedOnIssue } from '../../drill/runbook/incident-ledger.js';

/**
 * record-notification: the obligation reads as sent (or waived) in the incident's state rebuilt
 * from the records on its issue, with the runbook's recipient and reference, and the
 * "Notification sent" comment is on the issue once.
 */
export const recordNotificationFixture: RunbookFixture = {
  async verify(world, outcome) {
    const out: Expectation[] = [];
    const obligation = String(outcome.input.obligation ?? '');
    const reference = typeof outcome.input.reference === 'string' ? outcome.input.reference : undefined;
    const waived = typeof outcome.input['waive-reason'] === 'string' || typeof outcome.input.waive_reason === 'string';
    const issue = await incidentIssue(world);
    const config = await drillConfig(world);
    const state = issue ? deriveIncidentState(issue.records, config.incident.containment_steps) : undefined;
    const n = state?.notifications.get(obligation);
    if (outcome.code !== undefined) {
      // A refusal (an obligation this incident does not have, a sent time in the future) records nothing.
      return [check(`the refused record (${outcome.code}) left ${obligation} unrecorded`, state !== undefined && n === undefined, n ? JSON.stringify({ sentAt: n.sentAt, reference: n.reference }) : 'no incident')];
    }
    out.push(check(`${obligation} is recorded as ${waived ? 'waived' : 'sent'} on the incident`, waived ? !!n?.waived : !!n?.sentAt, n ? JSON.stringify({ sentAt: n.sentAt, waived: n.waived }) : `no record for ${obligation}`));
    out.push(check(`${obligation} carries the reference ${reference ?? '(none given)'}`, reference !== undefined && n?.reference === reference, `recorded reference: ${n?.reference ?? 'none'}`));
    const key = (outcome.plan as { meta?: { key?: string } } | undefined)?.meta?.key ?? '';
    const comments = await keyedComments(world, key);
    out.push(check(`the notification is on the incident issue once (${key})`, comments.length === 1 && (reference === undefined || comments[0]!.includes(reference)), `${comments.length} comment(s)`));
    out.push(await recordedOnIssue(world, 'record-notification', outcome.status));
    return out;
  },
};
