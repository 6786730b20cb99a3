import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit.js';
import { checkCloseGate, type PullFacts } from './close-gate.js';
import { parseFacts } from './facts.js';
import { deriveIncidentState, type DeclaredIncident } from './state.js';

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
