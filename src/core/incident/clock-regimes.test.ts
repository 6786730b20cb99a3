import { describe, expect, it } from 'vitest';
import { incidentSection, type IncidentConfig } from '../config/sections/incident.js';
import { computeObligations, type ClockResult, type Obligation } from './clock.js';
import { parseFacts, type IncidentFactsInput } from './facts.js';

// Issue 10 §2 and §5: civil periods in the governing zone, and the regimes that were missing. Each
// expected time below was worked out by hand from the cited text.
const cfg = (over: Record<string, unknown> = {}): IncidentConfig => incidentSection.parse(over);
const UTC = cfg({ timezone: 'UTC' });
const result = (facts: IncidentFactsInput, config: IncidentConfig = UTC): ClockResult => computeObligations(parseFacts(facts), config);
const run = (facts: IncidentFactsInput, config: IncidentConfig = UTC): Obligation[] => result(facts, config).obligations;
const byId = (list: Obligation[], id: string): Obligation | undefined => list.find((o) => o.id === id);
const due = (list: Obligation[], id: string): string | undefined => byId(list, id)?.due;
const ids = (list: Obligation[]): string[] => list.map((o) => o.id).sort();

describe('civil periods in the governing zone (issue 10 §2)', () => {
  it('Cal. Civ. Code §1798.82 "30 calendar days" across the spring-forward: 23:30 on 31 March in Los Angeles, not 00:30 on 1 April', () => {
    const o = run({ discovered_at: '2026-03-01T23:30:00-08:00', data_categories: ['personal'], affected_by_state: { CA: 10 } }, cfg({ timezone: 'America/Los_Angeles' }));
    expect(byId(o, 'state-CA-individuals')).toMatchObject({ due: '2026-04-01T06:30:00.000Z', basis: { zone: 'America/Los_Angeles', rule: expect.stringContaining('calendar days, America/Los_Angeles') } });
  });
  it('45 CFR §164.404(b) "60 calendar days" across the fall-back in New York keeps 12:00 local', () => {
    const o = run({ discovered_at: '2026-10-01T12:00:00-04:00', data_categories: ['phi'], affected_by_state: { NY: 600 } }, cfg({ timezone: 'America/New_York' }));
    expect(due(o, 'hipaa-individuals')).toBe('2026-11-30T17:00:00.000Z');
    expect(due(o, 'hipaa-hhs')).toBe('2026-11-30T17:00:00.000Z');
  });
  it('NIS2 Art. 23(4)(d) "one month" is a calendar month in the entity zone (Europe/Berlin), across the October change', () => {
    const o = run({ discovered_at: '2026-09-26T00:30:00+02:00', nis2_entity: true }, cfg({ timezone: 'Europe/Berlin' }));
    // Notification due 29 Sep 00:30 CEST; one month later is 29 Oct 00:30 CET = 28 Oct 23:30Z.
    expect(due(o, 'nis2-notification')).toBe('2026-09-28T22:30:00.000Z');
    expect(due(o, 'nis2-final')).toBe('2026-10-28T23:30:00.000Z');
  });
  it('no incident.timezone: 45 CFR §164.408(c) year end from the discovery offset (31 Dec in California is still 2026), with a warning and the zone in the basis', () => {
    const r = result({ discovered_at: '2026-12-31T23:00:00-08:00', data_categories: ['phi'], affected_by_state: { CA: 12 } }, cfg());
    expect(byId(r.obligations, 'hipaa-hhs')).toMatchObject({ due: '2027-03-02T07:59:59.999Z', basis: { zone: '-08:00', rule: expect.stringContaining('calendar year 2026') } });
    expect(r.warnings).toEqual([expect.stringMatching(/^incident\.timezone is not set: .*UTC-08:00/)]);
    expect(result({ discovered_at: '2026-12-31T23:00:00-08:00' }, cfg({ timezone: 'America/Los_Angeles' })).warnings).toEqual([]);
  });
  it('an invalid incident.timezone is refused by the config schema', () => {
    expect(() => cfg({ timezone: 'Mars/Olympus_Mons' })).toThrow();
  });
});

describe('DORA classification after the 24 h cap (Delegated Regulation (EU) 2025/301 Art. 5(1)(a))', () => {
  it('warns that the initial notification is overdue and never makes it due before the classification', () => {
    const r = result({ discovered_at: '2026-11-20T10:00:00Z', dora_entity: true, dora_major_classified_at: '2026-11-21T16:00:00Z' });
    expect(due(r.obligations, 'dora-initial')).toBe('2026-11-21T16:00:00.000Z');
    expect(byId(r.obligations, 'dora-initial')!.basis.rule).toMatch(/already overdue/);
    expect(r.warnings).toEqual([expect.stringMatching(/^dora-initial: .*30\.0 h after awareness.*2026-11-21T10:00:00\.000Z.*already overdue/)]);
    // Exactly at the cap it is on time: 4 h later would be past it, so the cap itself is due.
    const atCap = result({ discovered_at: '2026-11-20T10:00:00Z', dora_entity: true, dora_major_classified_at: '2026-11-21T10:00:00Z' });
    expect(atCap.warnings).toEqual([]);
    expect(due(atCap.obligations, 'dora-initial')).toBe('2026-11-21T10:00:00.000Z');
  });
});

describe('HIPAA business associate, FTC Health Breach Notification Rule, GLBA Safeguards Rule', () => {
  const at = '2026-03-10T12:00:00Z';
  it('45 CFR §164.410(b): a business associate tells the covered entity within 60 days; the covered entity\'s own duties are not its clocks', () => {
    const o = run({ discovered_at: at, data_categories: ['phi'], role: 'business_associate', affected_by_state: { CA: 900 } });
    expect(ids(o)).toEqual(['hipaa-ba-covered-entity']);
    expect(byId(o, 'hipaa-ba-covered-entity')).toMatchObject({ due: '2026-05-09T12:00:00.000Z', basis: { source: '45 CFR §164.410(b)' } });
    expect(ids(run({ discovered_at: at, data_categories: ['phi'], role: ['covered_entity', 'business_associate'] }))).toEqual(['hipaa-ba-covered-entity', 'hipaa-hhs', 'hipaa-individuals']);
  });
  it('16 CFR 318: individuals in 60 days; the FTC with them at 500 or more, else in the annual log 60 days after the year; media for more than 500 in a state', () => {
    const big = run({ discovered_at: at, data_categories: ['medical'], phr_vendor: true, affected_by_state: { TX: 501, OH: 10 } });
    expect(due(big, 'ftc-hbnr-individuals')).toBe('2026-05-09T12:00:00.000Z');
    expect(byId(big, 'ftc-hbnr-ftc')).toMatchObject({ due: '2026-05-09T12:00:00.000Z', basis: { source: '16 CFR §318.5(a)' } });
    expect(due(big, 'ftc-hbnr-media-TX')).toBe('2026-05-09T12:00:00.000Z');
    expect(byId(big, 'ftc-hbnr-media-OH')).toBeUndefined();
    const small = run({ discovered_at: at, data_categories: ['medical'], phr_vendor: true, affected_count: 499 });
    expect(byId(small, 'ftc-hbnr-ftc')).toMatchObject({ due: '2027-03-01T23:59:59.999Z', basis: { source: '16 CFR §318.5(b)' } });
    expect(ids(run({ discovered_at: at, data_categories: ['personal'], phr_vendor: true }))).toEqual([]);
  });
  it('16 CFR §314.4(j)(1): the FTC within 30 days for 500 or more consumers, not for 499; unknown counts take the earlier reading', () => {
    expect(byId(run({ discovered_at: at, data_categories: ['financial'], glba_institution: 'ftc_safeguards', affected_count: 500 }), 'glba-ftc')).toMatchObject({ due: '2026-04-09T12:00:00.000Z', basis: { source: '16 CFR §314.4(j)(1)' } });
    const r = result({ discovered_at: at, data_categories: ['financial'], glba_institution: 'ftc_safeguards', affected_count: 499 });
    expect(byId(r.obligations, 'glba-ftc')).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/fewer than 500/);
    expect(byId(run({ discovered_at: at, data_categories: ['financial'], glba_institution: 'ftc_safeguards' }), 'glba-ftc')!.basis.rule).toMatch(/not yet known/);
    expect(byId(run({ discovered_at: at, data_categories: ['financial'], glba_institution: 'banking_regulator', affected_count: 9000 }), 'glba-ftc')).toBeUndefined();
  });
});

describe('UK GDPR apart from the EU; GDPR Art. 33(2) processors', () => {
  const at = '2026-11-22T09:30:00Z';
  it('UK GDPR Art. 33(1): the ICO in 72 h, without any EU duty when only UK subjects are affected', () => {
    const o = run({ discovered_at: at, data_categories: ['contact'], uk_subjects: 40, gdpr_high_risk: true });
    expect(ids(o)).toEqual(['uk-gdpr-ico', 'uk-gdpr-individuals']);
    expect(byId(o, 'uk-gdpr-ico')).toMatchObject({ due: '2026-11-25T09:30:00.000Z', recipient: "Information Commissioner's Office (UK GDPR)" });
    expect(ids(run({ discovered_at: at, data_categories: ['contact'], uk_subjects: 40, eu_subjects: true }))).toEqual(['gdpr-authority', 'uk-gdpr-ico']);
    expect(ids(run({ discovered_at: at, data_categories: ['contact'], uk_subjects: 40 }, cfg({ timezone: 'UTC', regimes: { uk_gdpr: { enabled: false } } })))).toEqual([]);
  });
  it('GDPR Art. 33(2): a processor tells the controller without undue delay (the configured target) and does not notify the authority itself', () => {
    const o = run({ discovered_at: at, data_categories: ['personal'], eu_subjects: true, role: 'processor' }, cfg({ timezone: 'UTC', regimes: { undue_delay_target_hours: 24 } }));
    expect(ids(o)).toEqual(['gdpr-processor-controller']);
    expect(byId(o, 'gdpr-processor-controller')).toMatchObject({ due: '2026-11-23T09:30:00.000Z', basis: { source: 'GDPR Art. 33(2)', rule: expect.stringContaining('24 h') } });
  });
});

describe('NY DFS 23 NYCRR 500.17(a)(1)', () => {
  it('72 hours after determining that a cybersecurity incident occurred, whatever the data', () => {
    expect(due(run({ discovered_at: '2026-11-22T09:30:00Z', breach_determined_at: '2026-11-23T10:00:00Z', ny_dfs_covered: true }), 'ny-dfs-superintendent')).toBe('2026-11-26T10:00:00.000Z');
    expect(due(run({ discovered_at: '2026-11-22T09:30:00Z', ny_dfs_covered: true }), 'ny-dfs-superintendent')).toBe('2026-11-25T09:30:00.000Z');
  });
});

describe('EU Cyber Resilience Act Art. 14 (Regulation (EU) 2024/2847), reporting from 11 September 2026 (Art. 71(2))', () => {
  it('actively exploited vulnerability: 24 h early warning, 72 h notification, final report 14 days after a corrective measure is available', () => {
    const o = run({ discovered_at: '2026-09-11T08:00:00Z', cra_event: 'actively_exploited_vulnerability', cra_corrective_measure_at: '2026-09-20T10:00:00Z' });
    expect(due(o, 'eu-cra-early-warning')).toBe('2026-09-12T08:00:00.000Z');
    expect(due(o, 'eu-cra-notification')).toBe('2026-09-14T08:00:00.000Z');
    expect(byId(o, 'eu-cra-final')).toMatchObject({ due: '2026-10-04T10:00:00.000Z', basis: { source: 'Cyber Resilience Act, Regulation (EU) 2024/2847 Art. 14(2)(c)' } });
    const r = result({ discovered_at: '2026-09-11T08:00:00Z', cra_event: 'actively_exploited_vulnerability' });
    expect(byId(r.obligations, 'eu-cra-final')).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/cra_corrective_measure_at/);
  });
  it('severe incident: 24 h, 72 h, final report one month after the notification', () => {
    const o = run({ discovered_at: '2026-10-30T08:00:00Z', cra_event: 'severe_incident' });
    expect(due(o, 'eu-cra-notification')).toBe('2026-11-02T08:00:00.000Z');
    expect(byId(o, 'eu-cra-final')).toMatchObject({ due: '2026-12-02T08:00:00.000Z', basis: { source: 'Cyber Resilience Act, Regulation (EU) 2024/2847 Art. 14(4)(c)' } });
  });
  it('awareness before 11 September 2026 (Brussels time) gives a note, not a report', () => {
    const r = result({ discovered_at: '2026-09-10T21:59:59Z', cra_event: 'severe_incident' });
    expect(r.obligations).toEqual([]);
    expect(r.notes).toEqual([expect.stringContaining('2026-09-11')]);
    expect(ids(run({ discovered_at: '2026-09-10T22:00:00Z', cra_event: 'severe_incident' }))).toEqual(['eu-cra-early-warning', 'eu-cra-final', 'eu-cra-notification']);
  });
});

describe('Canada, Québec, Australia, Brazil, India, Singapore', () => {
  const at = '2026-11-19T15:00:00-03:00';
  it('PIPEDA s. 10.1 and Québec P-39.1 s. 3.5: "as soon as feasible" / "promptly" at the configured target after the risk assessment', () => {
    const o = run({ discovered_at: '2026-11-19T10:00:00Z', risk_assessed_at: '2026-11-20T10:00:00Z', data_categories: ['personal'], jurisdictions: ['canada', 'quebec'] }, cfg({ timezone: 'America/Toronto', regimes: { undue_delay_target_hours: 48 } }));
    for (const id of ['pipeda-opc', 'pipeda-individuals', 'quebec-cai', 'quebec-individuals']) expect(due(o, id)).toBe('2026-11-22T10:00:00.000Z');
    expect(byId(o, 'pipeda-opc')!.basis.rule).toMatch(/as soon as feasible.*48 h after the risk assessment/);
    expect(byId(run({ discovered_at: '2026-11-19T10:00:00Z', data_categories: ['personal'], jurisdictions: ['canada'] }), 'pipeda-opc')!.basis.rule).toMatch(/no risk_assessed_at recorded/);
  });
  it('Australia Privacy Act s. 26WH(2): the assessment within 30 days; s. 26WK(2): the OAIC once an eligible breach is found', () => {
    const r = result({ discovered_at: '2026-11-19T10:00:00Z', data_categories: ['personal'], jurisdictions: ['australia'] }, cfg({ timezone: 'Australia/Sydney' }));
    expect(due(r.obligations, 'au-ndb-assessment')).toBe('2026-12-19T10:00:00.000Z');
    expect(byId(r.obligations, 'au-ndb-oaic')).toBeUndefined();
    expect(r.notes.join('\n')).toMatch(/26WK/);
    expect(due(run({ discovered_at: '2026-11-19T10:00:00Z', risk_assessed_at: '2026-11-25T00:00:00Z', data_categories: ['personal'], jurisdictions: ['australia'] }), 'au-ndb-oaic')).toBe('2026-11-28T00:00:00.000Z');
  });
  it('LGPD / ANPD Res. 15/2024 Art. 6: 3 business days in Brazil — Thursday 19 Nov 2026 → end of Wednesday 25 Nov in São Paulo (20 Nov is a national holiday)', () => {
    const o = run({ discovered_at: at, data_categories: ['personal'], jurisdictions: ['brazil'] });
    expect(byId(o, 'lgpd-anpd')).toMatchObject({ due: '2026-11-26T02:59:59.999Z', basis: { zone: 'America/Sao_Paulo' } });
    expect(due(o, 'lgpd-data-subjects')).toBe('2026-11-26T02:59:59.999Z');
  });
  it('India DPDP Rules 2025 Rule 7(2)(b): the detailed report to the Board within 72 h; a warning before Rule 7 commences', () => {
    const r = result({ discovered_at: '2026-11-19T10:00:00+05:30', data_categories: ['personal'], jurisdictions: ['india'] });
    expect(due(r.obligations, 'dpdp-board-report')).toBe('2026-11-22T04:30:00.000Z');
    expect(r.warnings).toEqual([expect.stringContaining('2027-05-13')]);
    expect(result({ discovered_at: '2027-06-01T10:00:00Z', data_categories: ['personal'], jurisdictions: ['india'] }).warnings).toEqual([]);
  });
  it('Singapore PDPA s. 26D(1): no later than 3 calendar days after the day of the assessment, in Singapore', () => {
    const o = run({ discovered_at: '2026-11-18T01:00:00Z', risk_assessed_at: '2026-11-20T20:00:00+08:00', data_categories: ['personal'], jurisdictions: ['singapore'] });
    expect(byId(o, 'sg-pdpa-pdpc')).toMatchObject({ due: '2026-11-23T15:59:59.999Z', basis: { zone: 'Asia/Singapore', source: 'PDPA 2012 s. 26D(1)' } });
    expect(due(o, 'sg-pdpa-assessment')).toBe('2026-12-18T01:00:00.000Z');
  });
  it('no personal data, no duties abroad', () => {
    expect(run({ discovered_at: at, data_categories: ['telemetry'], jurisdictions: ['brazil', 'india', 'singapore', 'canada', 'quebec', 'australia'] })).toEqual([]);
  });
});

describe('a submitted id that names no obligation', () => {
  it('is a warning from the engine itself (the CLI refuses it outright): a typo must not silently keep a later deadline', () => {
    const r = result({ discovered_at: '2026-11-20T10:00:00Z', nis2_entity: true, submitted: { 'nis2-notificaton': '2026-11-21T10:00:00Z' } });
    expect(r.warnings).toEqual([expect.stringMatching(/^submitted\.nis2-notificaton: no obligation/)]);
    expect(due(r.obligations, 'nis2-final')).toBe('2026-12-23T10:00:00.000Z');
  });
});

describe('configs built by hand before these regimes existed', () => {
  it('a regimes object without the new toggles keeps every new regime on (the schema default), never drops a duty', () => {
    const { uk_gdpr: _a, ftc_hbnr: _b, glba: _c, ny_dfs: _d, eu_cra: _e, pipeda: _f, quebec: _g, au_ndb: _h, lgpd: _i, dpdp: _j, pdpa_sg: _k, ...old } = UTC.regimes;
    const legacy = { ...UTC, regimes: old } as unknown as IncidentConfig;
    const o = run({ discovered_at: '2026-11-22T09:30:00Z', data_categories: ['personal'], uk_subjects: true, ny_dfs_covered: true, jurisdictions: ['brazil'] }, legacy);
    expect(o.map((x) => x.id).sort()).toEqual(['lgpd-anpd', 'lgpd-data-subjects', 'ny-dfs-superintendent', 'uk-gdpr-ico']);
  });
});
