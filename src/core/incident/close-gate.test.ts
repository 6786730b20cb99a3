import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit.js';
import { GuardError } from '../errors.js';
import type { Obligation } from './clock.js';
import { CLOSE_GATE, checkCloseGate, closeGateError, type PullFacts } from './close-gate.js';
import { parseFacts } from './facts.js';
import { deriveIncidentState, type DeclaredIncident, type IncidentState, type NotificationRecord } from './state.js';

const declared: DeclaredIncident = {
  id: 'INC-2026-11-22-gate',
  slug: 'gate',
  title: 'Gate',
  summary: 'g',
  severity: 'P3',
  declaredAt: '2026-11-22T09:00:00.000Z',
  roles: { incident_commander: ['ic'] },
  facts: parseFacts({ discovered_at: '2026-11-22T08:00:00Z' }),
};
const rec = (step: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  v: 1, time: '2026-11-22T09:30:00.000Z', incidentId: declared.id, actor: 'a', runUrl: null, step, status: 'applied', dryRun: false, input: {}, plan: null, result: null, error: null, ...extra,
});
// Containment recorded and no obligations: only the PRs decide.
const state = deriveIncidentState(
  [rec('declare', { time: declared.declaredAt, plan: { step: 'declare', changes: [], unchanged: [], warnings: [], meta: { incident: declared } } }), rec('record-containment', { input: { action: 'revoked the token' } })],
  ['record-containment'],
)!;
const merged: PullFacts = { number: 1, state: 'closed', merged: true };
const gate = (fixPrs: PullFacts[], postmortemPr: PullFacts | undefined) => checkCloseGate({ state, obligations: [], fixPrs, postmortemPr }).map((p) => p.code);

describe('close gate: pull requests', () => {
  it('passes with a merged fix and an open or merged postmortem PR', () => {
    expect(state.containment).toHaveLength(1);
    expect(gate([merged], { number: 2, state: 'open', merged: false })).toEqual([]);
    expect(gate([merged], { number: 2, state: 'closed', merged: true })).toEqual([]);
  });
  it('refuses a postmortem PR closed without merging, naming it', () => {
    const problems = checkCloseGate({ state, obligations: [], fixPrs: [merged], postmortemPr: { number: 9, state: 'closed', merged: false } });
    expect(problems).toEqual([{ code: 'POSTMORTEM_PR_MISSING', message: expect.stringContaining('#9 was closed without merging') }]);
  });
  it('refuses a missing postmortem PR, a closed unmerged fix PR and an open fix PR', () => {
    expect(gate([merged], undefined)).toEqual(['POSTMORTEM_PR_MISSING']);
    expect(gate([{ number: 3, state: 'closed', merged: false }], { number: 2, state: 'open', merged: false })).toEqual(['FIX_PR_NOT_MERGED']);
    expect(gate([merged, { number: 4, state: 'open', merged: false }], { number: 2, state: 'open', merged: false })).toEqual(['FIX_PR_NOT_MERGED']);
  });
});

describe('close gate: containment and obligations', () => {
  const sent: PullFacts = { number: 2, state: 'open', merged: false };
  const due = (id: string, at: string): Obligation => ({ id, recipient: 'r', due: at, basis: { rule: 'x', source: 'y' }, owner: 'legal' });
  const note = (obligation: string, extra: Partial<NotificationRecord>): NotificationRecord => ({ obligation, at: '2026-11-22T10:00:00.000Z', actor: 'a', ...extra });
  const withNotes = (notes: NotificationRecord[]): IncidentState => ({ ...state, notifications: new Map(notes.map((n) => [n.obligation, n])) });

  it('refuses an incident with no containment recorded, and says how to record one', () => {
    const problems = checkCloseGate({ state: { ...state, containment: [] }, obligations: [], fixPrs: [merged], postmortemPr: sent });
    expect(problems).toEqual([{ code: 'CONTAINMENT_MISSING', message: expect.stringContaining('record-containment') }]);
  });

  it('an obligation is met by a send or by a waiver with a reason; a blank waiver or nothing leaves it open, named with its due time', () => {
    const obligations = [due('gdpr-authority', '2026-11-25T08:00:00Z'), due('state-TX', '2026-12-01T00:00:00Z'), due('hipaa', '2026-12-02T00:00:00Z'), due('sec-8k', '2026-11-26T00:00:00Z')];
    const notes = [note('gdpr-authority', { sentAt: '2026-11-23T08:00:00Z' }), note('state-TX', { waived: 'no Texas residents affected' }), note('hipaa', { waived: '   ' })];
    const problems = checkCloseGate({ state: withNotes(notes), obligations, fixPrs: [merged], postmortemPr: sent });
    expect(problems).toEqual([{ code: 'OBLIGATIONS_OPEN', message: 'obligations neither sent nor waived: hipaa (due 2026-12-02T00:00:00Z), sec-8k (due 2026-11-26T00:00:00Z)' }]);
    // Every obligation met: nothing in the way.
    const met = [...notes.slice(0, 2), note('hipaa', { sentAt: '2026-11-23T09:00:00Z' }), note('sec-8k', { waived: 'not a listed company' })];
    expect(checkCloseGate({ state: withNotes(met), obligations, fixPrs: [merged], postmortemPr: sent })).toEqual([]);
  });

  it('names the missing fix PR and every unmerged one', () => {
    expect(checkCloseGate({ state, obligations: [], fixPrs: [], postmortemPr: sent })).toEqual([{ code: 'FIX_PR_MISSING', message: expect.stringContaining('--fix-pr N') }]);
    const two = checkCloseGate({ state, obligations: [], fixPrs: [{ number: 3, state: 'closed', merged: false }, merged, { number: 4, state: 'open', merged: false }], postmortemPr: sent });
    expect(two).toEqual([{ code: 'FIX_PR_NOT_MERGED', message: 'fix PR not merged: #3, #4' }]);
    expect(checkCloseGate({ state, obligations: [], fixPrs: [merged], postmortemPr: undefined })).toEqual([{ code: 'POSTMORTEM_PR_MISSING', message: expect.stringContaining('write-postmortem') }]);
  });

  it('reports every problem at once, and the error carries them all with the override spelled out', () => {
    const problems = checkCloseGate({ state: { ...state, containment: [] }, obligations: [due('gdpr-authority', '2026-11-25T08:00:00Z')], fixPrs: [], postmortemPr: undefined });
    expect(problems.map((p) => p.code)).toEqual(['CONTAINMENT_MISSING', 'OBLIGATIONS_OPEN', 'FIX_PR_MISSING', 'POSTMORTEM_PR_MISSING']);
    const error = closeGateError(problems);
    expect(error).toBeInstanceOf(GuardError);
    expect(error.code).toBe(CLOSE_GATE);
    expect(error.message).toBe(`cannot close: ${problems.map((p) => p.message).join('; ')}`);
    expect(error.details).toEqual({ problems });
    expect(error.hint).toBe(`Resolve each item, or close anyway with --override-guard CLOSE_GATE --override-reason "<why>" (recorded in the audit trail).`);
  });
});
