import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit.js';
import { incidentSection } from '../config/sections/incident.js';
import { ConfigError, InputError } from '../errors.js';
import { parseFacts } from './facts.js';
import { renderIssueBody } from './render.js';
import { checkClockAndRouteConfig, commanderFor, parseCategories, rolesAfterReclassification, routeNotices } from './routing.js';
import { resolveScheme } from './severity.js';
import { deriveIncidentState, type DeclaredIncident } from './state.js';

/**
 * Issue 10 §6. Seed 004 "Assign incident commander: P1/P2: Senior engineer or team lead; P3/P4:
 * On-call engineer", and its escalation path: "Infrastructure issue → DevOps Lead", "Security
 * incident → Security Engineer → CISO", "Data breach → CISO / Legal". Seed 001 Step 1: "Document
 * the affected account IDs" — by reference to evidence, never on the issue.
 */

const config = incidentSection.parse({
  severity: { scheme: 'P1-P4' },
  roster: { incident_commander: ['oncall-olga'], senior_commander: ['senior-sam', 'lead-lena'], devops_lead: ['devops-dee'], security_engineer: ['sec-sid'], ciso: ['ciso-cy'], legal: ['legal-lu'] },
  commander: [{ severities: ['P1', 'P2'], role: 'senior_commander' }],
  routes: {
    infrastructure: [{ notify: 'devops_lead' }],
    security: [{ notify: 'security_engineer' }, { notify: 'ciso', after_minutes: 60 }],
    data_breach: [{ notify: 'legal' }],
  },
});

const incident = (over: Partial<DeclaredIncident> = {}): DeclaredIncident => ({
  id: 'INC-2026-11-22-route',
  slug: 'route',
  title: 'Route',
  summary: 's',
  severity: 'P1',
  declaredAt: '2026-11-22T09:00:00.000Z',
  roles: { incident_commander: ['senior-sam'], security_engineer: ['sec-sid'], ciso: ['ciso-cy'], legal: ['legal-lu'], devops_lead: ['devops-dee'] },
  facts: parseFacts({ discovered_at: '2026-11-22T08:00:00Z' }),
  ...over,
});
const rec = (step: string, time: string, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  v: 1, time, incidentId: 'INC-2026-11-22-route', actor: 'a', runUrl: null, step, status: 'applied', dryRun: false, input: {}, plan: null, result: null, error: null, ...extra,
});
const stateOf = (d: DeclaredIncident, ...more: AuditRecord[]) =>
  deriveIncidentState([rec('declare', d.declaredAt, { plan: { step: 'declare', changes: [], unchanged: [], warnings: [], meta: { incident: d } } }), ...more], [])!;

describe('commander by severity (seed 004 "P1/P2: Senior engineer or team lead; P3/P4: On-call engineer")', () => {
  it('the top two levels get the senior roster, the others the on-call commander', () => {
    expect(commanderFor('P1', config)).toEqual(['senior-sam']);
    expect(commanderFor('P2', config)).toEqual(['senior-sam']);
    expect(commanderFor('P3', config)).toEqual(['oncall-olga']);
  });
  it('a reclassification across tiers hands over; within a tier it keeps a manual hand-over', () => {
    const p3 = { roles: { incident_commander: ['oncall-olga'], tech_lead: ['t'] }, severity: 'P3' };
    expect(rolesAfterReclassification(p3, 'P1', config)).toEqual({ incident_commander: ['senior-sam'], tech_lead: ['t'] });
    expect(rolesAfterReclassification({ roles: { incident_commander: ['lead-lena'] }, severity: 'P1' }, 'P2', config)).toBeUndefined();
  });
  it('the state takes the hand-over from the classify record', () => {
    const s = stateOf(incident({ severity: 'P3', roles: { incident_commander: ['oncall-olga'] } }), rec('classify', '2026-11-22T09:10:00.000Z', { plan: { step: 'classify', changes: [], unchanged: [], warnings: [], meta: { severity: 'P1', roles: { incident_commander: ['senior-sam'] } } } }));
    expect(s.roles.incident_commander).toEqual(['senior-sam']);
  });
});

describe('escalation routed by category (seed 004 escalation path)', () => {
  it('security → security engineer now, CISO after 60 min; each rung once', () => {
    const s = stateOf(incident({ categories: ['security'] }));
    expect(routeNotices(s, config, new Date('2026-11-22T09:05:00Z')).map((n) => [n.key, n.mentions])).toEqual([['route:security:0:security_engineer', ['sec-sid']]]);
    const later = routeNotices(s, config, new Date('2026-11-22T10:00:00Z'));
    expect(later.map((n) => n.key)).toEqual(['route:security:0:security_engineer', 'route:security:1:ciso']);
    s.postedKeys.add('route:security:0:security_engineer');
    expect(routeNotices(s, config, new Date('2026-11-22T10:00:00Z')).map((n) => n.key)).toEqual(['route:security:1:ciso']);
  });
  it('infrastructure → DevOps; a personal-data breach routes to legal whatever the chosen category', () => {
    const s = stateOf(incident({ categories: ['infrastructure'], facts: parseFacts({ discovered_at: '2026-11-22T08:00:00Z', data_categories: ['personal'] }) }));
    expect(routeNotices(s, config, new Date('2026-11-22T09:00:00Z')).map((n) => [n.key, n.mentions])).toEqual([
      ['route:infrastructure:0:devops_lead', ['devops-dee']],
      ['route:data_breach:0:legal', ['legal-lu']],
    ]);
  });
  it('a closed incident routes nobody; classify replaces the categories', () => {
    const s = stateOf(incident({ categories: ['security'] }), rec('classify', '2026-11-22T09:10:00.000Z', { plan: { step: 'classify', changes: [], unchanged: [], warnings: [], meta: { severity: 'P1', categories: ['infrastructure'] } } }));
    expect(s.categories).toEqual(['infrastructure']);
    expect(routeNotices({ ...s, status: 'closed' }, config, new Date('2026-11-22T12:00:00Z'))).toEqual([]);
  });
  it('an unknown category is refused with the configured ones', () => {
    expect(parseCategories('Security, infrastructure', config)).toEqual(['security', 'infrastructure']);
    expect(() => parseCategories('securty', config)).toThrow(InputError);
    expect(() => parseCategories('securty', config)).toThrow('unknown category "securty"; configured routes: infrastructure, security, data_breach');
  });
});

describe('affected accounts by reference to evidence (seed 001 Step 1; issue 10 §6 "never the personal data itself")', () => {
  const ref = { evidence_key: 's3://acme-evidence/INC-2026-11-22-route/affected.csv', count: 1342, sha256: 'a'.repeat(64) };
  it('the facts keep key, count and hash; the issue body shows them, not the list', () => {
    const s = stateOf(incident({ facts: parseFacts({ discovered_at: '2026-11-22T08:00:00Z', affected_subjects: ref }) }));
    const body = renderIssueBody(s, [], resolveScheme(config));
    expect(body).toContain('**Affected:** 1342 affected account(s)/subject(s): list kept as evidence `s3://acme-evidence/INC-2026-11-22-route/affected.csv` (sha256 `aaaaaaaaaaaaaaaa…`)');
  });
  it('a pasted list, an address as the key, extra fields or a bad hash are refused', () => {
    const bad = (v: unknown) => () => parseFacts({ discovered_at: '2026-11-22T08:00:00Z', affected_subjects: v });
    expect(bad(['alice@example.com', 'bob@example.com'])).toThrow(InputError);
    expect(bad({ ...ref, evidence_key: 'alice@example.com' })).toThrow('never the list itself');
    expect(bad({ ...ref, emails: ['alice@example.com'] })).toThrow(InputError);
    expect(bad({ ...ref, sha256: 'not-a-hash' })).toThrow('SHA-256');
  });
});

describe('a severity or role that does not exist is a config error, not a rule that never applies', () => {
  it('names each wrong field', () => {
    expect(() => checkClockAndRouteConfig(config, resolveScheme(config))).not.toThrow();
    const bad = incidentSection.parse({ ...config, commander: [{ severities: ['SEV1'], role: 'nobody' }], own_clocks: [{ kind: 'assessment', within_hours: 24, severities: ['p1'], source: 's' }] });
    expect(() => checkClockAndRouteConfig(bad, resolveScheme(config))).toThrow(ConfigError);
    expect(() => checkClockAndRouteConfig(bad, resolveScheme(config))).toThrow(
      'incident.own_clocks.0.severities: unknown severity "p1" (the scheme has P1, P2, P3, P4); incident.commander.0.severities: unknown severity "SEV1" (the scheme has P1, P2, P3, P4); incident.commander.0.role: role "nobody" has nobody in incident.roster',
    );
  });
});
