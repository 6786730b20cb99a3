import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit.js';
import { incidentSection } from '../config/sections/incident.js';
import { planNotices } from './cadence.js';
import { checkCloseGate } from './close-gate.js';
import { computeObligations } from './clock.js';
import { parseFacts } from './facts.js';
import { mermaidTimeline, postmortemPath, renderPostmortem } from './render.js';
import { resolveScheme } from './severity.js';
import { deriveIncidentState, factsWithSubmissions, type DeclaredIncident } from './state.js';

const declared: DeclaredIncident = {
  id: 'INC-2026-11-22-x',
  slug: 'x',
  title: 'X',
  summary: 'x',
  severity: 'SEV1',
  declaredAt: '2026-11-22T09:00:00.000Z',
  roles: { incident_commander: ['ic'] },
  facts: parseFacts({ discovered_at: '2026-11-22T08:00:00Z', data_categories: ['personal'], eu_subjects: true }),
};
const rec = (step: string, time: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  v: 1, time, incidentId: declared.id, actor: 'a', runUrl: null, step, status: 'applied', dryRun: false, input: {}, plan: null, result: null, error: null, ...extra,
});
const declare = rec('declare', declared.declaredAt, { plan: { step: 'declare', changes: [], unchanged: [], warnings: [], meta: { incident: declared } } });

describe('state derived from audit records', () => {
  it('counts an applied containment step by name from config, not refused or dry runs', () => {
    const records = [
      declare,
      rec('block-ips', '2026-11-22T09:05:00.000Z', { status: 'refused' }),
      rec('block-ips', '2026-11-22T09:06:00.000Z', { dryRun: true, status: 'planned' }),
      rec('quarantine-vm', '2026-11-22T09:07:00.000Z'),
    ];
    expect(deriveIncidentState(records, ['block-ips'])!.containment).toEqual([]);
    expect(deriveIncidentState(records, ['quarantine-vm'])!.containment.map((c) => c.step)).toEqual(['quarantine-vm']);
  });
  it('a containment recorded by hand is named in the timeline by what was done, not by its note', () => {
    const s = deriveIncidentState([declare, rec('record-containment', '2026-11-22T09:30:00.000Z', { input: { action: 'Revoked the Atlas user', note: 'in the Atlas console' } })], ['record-containment'])!;
    expect(s.timeline.filter((t) => t.kind === 'containment').map((t) => t.what)).toEqual(['Containment: record-containment — Revoked the Atlas user']);
  });
  it('nothing before an applied declare; notifications restart chained clocks', () => {
    expect(deriveIncidentState([rec('post-update', '2026-11-22T09:00:00Z')], [])).toBeUndefined();
    const s = deriveIncidentState([declare, rec('record-notification', '2026-11-22T10:00:00.000Z', { input: { obligation: 'gdpr-authority', recipient: 'DPA', sent_at: '2026-11-22T09:50:00.000Z', reference: 'R1' } })], [])!;
    expect(factsWithSubmissions(s).submitted['gdpr-authority']).toBe('2026-11-22T09:50:00.000Z');
    expect(s.lastUpdateAt).toBe(declared.declaredAt);
    expect(s.lastActivityAt).toBe('2026-11-22T10:00:00.000Z');
  });
});

describe('facts and severity changes re-compute the obligations', () => {
  it('an update amending facts and a reclassification both flow into the clock engine', () => {
    const config = incidentSection.parse({ regimes: { custom: [{ id: 'school', recipient: 'School', within_hours: 48, when: { severities: ['SEV0'] }, source: 's' }] } });
    const amended = parseFacts({ ...declared.facts, data_categories: ['personal', 'phi'], affected_by_state: { CA: 600 } });
    const s = deriveIncidentState(
      [
        declare,
        rec('post-update', '2026-11-22T09:10:00.000Z', { input: { text: 'scope grew' }, plan: { step: 'post-update', changes: [], unchanged: [], warnings: [], meta: { facts: amended } } }),
        rec('classify', '2026-11-22T09:20:00.000Z', { plan: { step: 'classify', changes: [], unchanged: [], warnings: [], meta: { severity: 'SEV0' } } }),
      ],
      [],
    )!;
    expect(s.severity).toBe('SEV0');
    const ids = computeObligations(factsWithSubmissions(s), config).obligations.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining(['hipaa-individuals', 'hipaa-media-CA', 'state-CA-individuals', 'school']));
  });
});

describe('cadence, gate and rendering', () => {
  const config = incidentSection.parse({ escalation: [{ after_minutes: 30, notify: 'senior' }], roster: { senior: ['sr'] } });
  const scheme = resolveScheme(config);
  const state = deriveIncidentState([declare], [])!;
  const { obligations } = computeObligations(state.facts, config);
  it('reminder exactly at the cadence, not a minute before; warns once at the tightest threshold', () => {
    expect(planNotices(state, obligations, scheme, config, new Date('2026-11-22T09:29:59Z'))).toEqual([]);
    const at30 = planNotices(state, obligations, scheme, config, new Date('2026-11-22T09:30:00Z'));
    expect(at30.map((n) => n.key)).toEqual([`reminder:${declared.declaredAt}:1`, `escalate:senior:0:${declared.declaredAt}`]);
    // gdpr-authority due 2026-11-25T08:00Z; 3 h before → the 4 h warning only.
    const late = planNotices(state, obligations, scheme, config, new Date('2026-11-25T05:00:00Z')).map((n) => n.key);
    expect(late).toContain('warn:gdpr-authority:4h');
    expect(late).not.toContain('warn:gdpr-authority:24h');
    expect(planNotices(state, obligations, scheme, config, new Date('2026-11-25T08:00:00Z')).map((n) => n.key)).toContain('overdue:gdpr-authority');
  });
  it('chases the acknowledgement once the ack deadline passes without a first update', () => {
    expect(planNotices(state, obligations, scheme, config, new Date('2026-11-22T09:59:59Z')).map((n) => n.key)).not.toContain('ack:overdue');
    expect(planNotices(state, obligations, scheme, config, new Date('2026-11-22T10:00:00Z')).map((n) => n.key)).toContain('ack:overdue');
  });
  it('close gate lists every missing piece', () => {
    expect(checkCloseGate({ state, obligations, fixPrs: [], postmortemPr: undefined }).map((p) => p.code)).toEqual([
      'CONTAINMENT_MISSING', 'OBLIGATIONS_OPEN', 'FIX_PR_MISSING', 'POSTMORTEM_PR_MISSING',
    ]);
  });
  it('postmortem path and content (seed 000 and seed 002 layouts)', () => {
    const now = new Date('2026-11-23T10:11:12Z');
    expect(postmortemPath('docs/postmortems/incident_{timestamp}.md', state, now)).toBe('docs/postmortems/incident_20261123T101112Z.md');
    expect(postmortemPath('docs/session-log/{date}-incident-{slug}.md', state, now)).toBe('docs/session-log/2026-11-22-incident-x.md');
    const md = renderPostmortem({ state, obligations, config, actionItems: [{ text: 'Do a thing', issue: 7 }], now });
    expect(md.startsWith('---\ntitle: "Incident post-mortem — x"\ndate: 2026-11-22\nseverity: SEV1\n')).toBe(true);
    expect(md).toContain('| Lead supervisory authority (GDPR) | `gdpr-authority` | 2026-11-25 08:00Z | not sent |  |');
    expect(md).toContain('- [ ] Do a thing — #7');
  });
  it('mermaid labels escape quotes', () => {
    expect(mermaidTimeline([{ at: '2026-11-22T09:00:00Z', kind: 'update', what: 'said "hi" <b>', actor: 'a' }])).toContain('e0["2026-11-22 09:00Z — said #quot;hi#quot; b"]');
  });
});
