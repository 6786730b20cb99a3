import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit.js';
import { incidentSection } from '../config/sections/incident.js';
import { planNotices } from './cadence.js';
import { checkCloseGate } from './close-gate.js';
import { parseFacts } from './facts.js';
import { incidentObligations, internalObligations } from './internal-clocks.js';
import { resolveScheme } from './severity.js';
import { deriveIncidentState, type DeclaredIncident } from './state.js';

/**
 * Issue 10 §6: the incident's own clocks are obligations (owner, due, tick warnings, close gate),
 * configured per severity. Numbers from the seeds: 000 §8 "Postmortem — Within 72 hours";
 * 003 §5 "Timeline: Within 48 hours of resolution"; 002 Step 5 "File the post-mortem within 5
 * business days"; 002 Step 3 "Time-bound the assessment: SEV-0/1 assessment within 24h; SEV-2 within 72h".
 */

const declared = (severity: string): DeclaredIncident => ({
  id: 'INC-2026-11-20-own',
  slug: 'own',
  title: 'Own clocks',
  summary: 's',
  severity,
  declaredAt: '2026-11-20T09:00:00.000Z', // a Friday
  roles: { incident_commander: ['ic'] },
  facts: parseFacts({ discovered_at: '2026-11-20T08:00:00Z' }),
});
const rec = (step: string, time: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  v: 1, time, incidentId: 'INC-2026-11-20-own', actor: 'a', runUrl: null, step, status: 'applied', dryRun: false, input: {}, plan: null, result: null, error: null, ...extra,
});
const declare = (severity: string) => rec('declare', '2026-11-20T09:00:00.000Z', { plan: { step: 'declare', changes: [], unchanged: [], warnings: [], meta: { incident: declared(severity) } } });
const stateOf = (severity: string, ...more: AuditRecord[]) => deriveIncidentState([declare(severity), ...more], ['record-containment'])!;

const SEED_002 = incidentSection.parse({
  own_clocks: [
    { kind: 'assessment', within_hours: 24, severities: ['SEV0', 'SEV1'], source: 'Seed 002 Step 3' },
    { kind: 'assessment', within_hours: 72, severities: ['SEV2'], source: 'Seed 002 Step 3' },
    { kind: 'postmortem', within_business_days: 5, from: 'declaration', source: 'Seed 002 Step 5' },
  ],
});

describe('internal clocks per severity (seed 002 Step 3 and Step 5)', () => {
  it('SEV0/1 assessment in 24 h, SEV2 in 72 h, none for SEV3; postmortem in 5 business days for all', () => {
    const due = (sev: string) => Object.fromEntries(internalObligations(stateOf(sev), SEED_002).obligations.map((o) => [o.id, o.due]));
    expect(due('SEV1')).toEqual({ 'internal-assessment': '2026-11-21T09:00:00.000Z', 'internal-postmortem': '2026-11-27T23:59:59.999Z' });
    expect(due('SEV2')).toEqual({ 'internal-assessment': '2026-11-23T09:00:00.000Z', 'internal-postmortem': '2026-11-27T23:59:59.999Z' });
    expect(due('SEV3')).toEqual({ 'internal-postmortem': '2026-11-27T23:59:59.999Z' });
  });

  it('each obligation names its owner, rule and seed', () => {
    const [a] = internalObligations(stateOf('SEV0'), SEED_002).obligations;
    expect(a).toEqual({
      id: 'internal-assessment',
      recipient: 'Initial assessment recorded (record-notification)',
      due: '2026-11-21T09:00:00.000Z',
      basis: { rule: 'SEV0: assessment within 24 h of declaration (2026-11-20T09:00:00.000Z)', source: 'Seed 002 Step 3' },
      owner: 'incident_commander',
    });
  });

  it('a reclassification moves the clock: SEV2 → SEV0 brings the assessment forward to 24 h', () => {
    const s = stateOf('SEV2', rec('classify', '2026-11-20T10:00:00.000Z', { plan: { step: 'classify', changes: [], unchanged: [], warnings: [], meta: { severity: 'SEV0' } } }));
    expect(internalObligations(s, SEED_002).obligations.find((o) => o.id === 'internal-assessment')!.due).toBe('2026-11-21T09:00:00.000Z');
  });
});

describe('postmortem clocks from the incident and from resolution (seed 000 §8, seed 003 §5)', () => {
  it('seed 000: within 72 h of the incident (discovery)', () => {
    const cfg = incidentSection.parse({ own_clocks: [{ kind: 'postmortem', within_hours: 72, from: 'discovery', source: 'Seed 000 §8' }] });
    expect(internalObligations(stateOf('SEV1'), cfg).obligations[0]!.due).toBe('2026-11-23T08:00:00.000Z');
  });

  it('seed 003: within 48 h of resolution — a note until resolved, then due; a later non-resolved update re-opens it', () => {
    const cfg = incidentSection.parse({ own_clocks: [{ kind: 'postmortem', within_hours: 48, from: 'resolution', source: 'Seed 003 §5' }] });
    const open = internalObligations(stateOf('SEV1'), cfg);
    expect(open.obligations).toEqual([]);
    expect(open.notes).toEqual(['internal-postmortem: the postmortem clock (SEV1) starts at resolution, which is not recorded yet.']);
    const resolved = rec('post-update', '2026-11-21T15:30:00.000Z', { input: { status: 'resolved', text: 'fixed' } });
    expect(internalObligations(stateOf('SEV1', resolved), cfg).obligations[0]!.due).toBe('2026-11-23T15:30:00.000Z');
    const relapse = rec('post-update', '2026-11-21T16:00:00.000Z', { input: { status: 'investigating', text: 'it is back' } });
    expect(internalObligations(stateOf('SEV1', resolved, relapse), cfg).obligations).toEqual([]);
  });
});

describe('internal clocks behave like legal obligations: tick warnings and the close gate', () => {
  const scheme = resolveScheme(SEED_002);

  it('the tick warns before the assessment is due and calls it overdue after (seed 002 Step 3)', () => {
    const s = stateOf('SEV1', rec('post-update', '2026-11-21T05:00:00.000Z', { input: { status: 'investigating', text: 'x' } }));
    const { obligations } = incidentObligations(s, SEED_002);
    const warn = planNotices(s, obligations, scheme, SEED_002, new Date('2026-11-21T05:30:00Z')).filter((n) => n.key.includes('internal-'));
    expect(warn.map((n) => n.key)).toEqual(['warn:internal-assessment:4h']);
    const late = planNotices(s, obligations, scheme, SEED_002, new Date('2026-11-21T09:01:00Z')).filter((n) => n.key.includes('internal-assessment'));
    expect(late.map((n) => n.key)).toEqual(['overdue:internal-assessment']);
  });

  it('the close gate refuses while an internal clock is open; write-postmortem meets the postmortem clock, a waiver with a reason the assessment', () => {
    const base = [rec('record-containment', '2026-11-20T09:30:00.000Z', { input: { action: 'revoked' } })];
    const gate = (...more: AuditRecord[]) => {
      const s = stateOf('SEV1', ...base, ...more);
      return checkCloseGate({ state: s, obligations: incidentObligations(s, SEED_002).obligations, fixPrs: [{ number: 1, state: 'closed', merged: true }], postmortemPr: { number: 2, state: 'open', merged: false } });
    };
    expect(gate()).toEqual([{ code: 'OBLIGATIONS_OPEN', message: 'obligations neither sent nor waived: internal-assessment (due 2026-11-21T09:00:00.000Z), internal-postmortem (due 2026-11-27T23:59:59.999Z)' }]);
    const postmortem = rec('write-postmortem', '2026-11-22T10:00:00.000Z', {
      plan: { step: 'write-postmortem', changes: [], unchanged: [], warnings: [], meta: { path: 'docs/pm.md', branch: 'firebreak/postmortem/x' } },
      result: { status: 'ok', outcomes: [{ target: 'github:pull', action: 'open', subject: 'firebreak/postmortem/x', status: 'applied' }] },
    });
    expect(gate(postmortem).map((p) => p.message)).toEqual(['obligations neither sent nor waived: internal-assessment (due 2026-11-21T09:00:00.000Z)']);
    const waived = rec('record-notification', '2026-11-22T11:00:00.000Z', { input: { obligation: 'internal-assessment', waive_reason: 'assessed in the war room, minutes in evidence/2026-11-20/minutes.md' } });
    expect(gate(postmortem, waived)).toEqual([]);
  });

  it('a write-postmortem whose PR failed does not meet the clock', () => {
    const failed = rec('write-postmortem', '2026-11-22T10:00:00.000Z', {
      status: 'applied',
      plan: { step: 'write-postmortem', changes: [], unchanged: [], warnings: [], meta: { path: 'docs/pm.md', branch: 'b' } },
      result: { status: 'partial', outcomes: [{ target: 'github:pull', action: 'open', subject: 'b', status: 'failed', reason: '502' }] },
    });
    expect(stateOf('SEV1', failed).notifications.has('internal-postmortem')).toBe(false);
  });
});

describe('own-clock, commander, route and tick config is refused when it cannot mean one thing', () => {
  const problems = (incident: Record<string, unknown>) => {
    const r = incidentSection.safeParse(incident);
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };
  it('a clock with two lengths, without a source, or with a kind that is no id', () => {
    expect(problems({ own_clocks: [{ kind: 'postmortem', within_hours: 72, within_business_days: 5, source: 's' }] })).toContain('give exactly one of');
    expect(problems({ own_clocks: [{ kind: 'postmortem', within_hours: 72 }] })).toContain('own_clocks.0.source');
    expect(problems({ own_clocks: [{ kind: 'Post Mortem', within_hours: 72, source: 's' }] })).toContain('kebab-case');
  });
  it('a commander rule without severities, a route with no rung, a tick slot that does not divide the hour', () => {
    expect(problems({ commander: [{ severities: [], role: 'senior' }] })).toContain('commander.0.severities');
    expect(problems({ routes: { security: [] } })).toContain('routes.security');
    expect(problems({ ticks: { slot_minutes: 7 } })).toContain('must divide 60');
  });
});
