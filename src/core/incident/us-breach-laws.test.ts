import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { incidentSection, type IncidentConfig } from '../config/sections/incident.js';
import { computeObligations, type ClockResult, type Obligation } from './clock.js';
import { US_BREACH_LAWS } from './data/us-breach-laws.js';
import { renderUsBreachLawTable } from './data/us-breach-laws-table.js';
import { parseFacts, type IncidentFactsInput } from './facts.js';

// Issue 10 §3–§4: every state, DC, PR, GU and VI, with the categories each law covers. Expected
// times were worked out by hand from the statute named in each test.
const cfg = (over: Record<string, unknown> = {}): IncidentConfig => incidentSection.parse(over);
const UTC = cfg({ timezone: 'UTC' });
const result = (facts: IncidentFactsInput, config: IncidentConfig = UTC): ClockResult => computeObligations(parseFacts(facts), config);
const run = (facts: IncidentFactsInput, config: IncidentConfig = UTC): Obligation[] => result(facts, config).obligations;
const byId = (list: Obligation[], id: string): Obligation | undefined => list.find((o) => o.id === id);
const due = (list: Obligation[], id: string): string | undefined => byId(list, id)?.due;
const stateIds = (list: Obligation[], st: string): string[] => list.filter((o) => o.id.startsWith(`state-${st}-`)).map((o) => o.id).sort();

const STATES = ['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY'];

describe('the table: shape a reviewer can rely on', () => {
  it('one row for each of the 50 states, DC, Puerto Rico, Guam and the US Virgin Islands, sorted by name', () => {
    expect(US_BREACH_LAWS.map((l) => l.code).sort()).toEqual([...STATES, 'DC', 'PR', 'GU', 'VI'].sort());
    expect(US_BREACH_LAWS.map((l) => l.name)).toEqual([...US_BREACH_LAWS.map((l) => l.name)].sort((a, b) => a.localeCompare(b)));
  });
  it.each(US_BREACH_LAWS.map((l) => [l.code, l] as const))('%s: citation, last-checked date, core categories, sane periods, thresholds and unique ids', (_code, law) => {
    expect(law.citation).toMatch(/\S{3,}/);
    expect(law.citation).toMatch(/\d/);
    expect(law.last_checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Number.isNaN(Date.parse(law.last_checked))).toBe(false);
    expect(law.categories).toEqual(expect.arrayContaining(['personal', 'government_id', 'financial']));
    expect(new Set(law.categories).size).toBe(law.categories.length);
    if (law.individuals.days !== null) expect(law.individuals.days).toSatisfy((d: number) => Number.isInteger(d) && d >= 1 && d <= 90);
    const ids = law.regulators.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of law.regulators) {
      expect(r.id).toMatch(/^[a-z][a-z-]*$/);
      expect(r.id).not.toBe('individuals');
      expect(r.recipient.length).toBeGreaterThan(3);
      expect(Number.isInteger(r.min) && r.min >= 1).toBe(true);
    }
    if (law.cra) expect(Number.isInteger(law.cra.min) && law.cra.min >= 1).toBe(true);
    for (const e of law.exemptions) expect(e.source).toMatch(/§|ILCS|ORS|KRS|RSA/);
  });
});

describe('the documentation shows the table as it is', () => {
  it.each(['../../../README.md', '../../../docs/responders/deadlines.md'])('%s', (rel) => {
    const text = readFileSync(new URL(rel, import.meta.url), 'utf8');
    const block = /<!-- us-breach-laws:start -->\n([\s\S]*?)\n<!-- us-breach-laws:end -->/.exec(text);
    expect(block?.[1]).toBe(renderUsBreachLawTable());
  });
});

describe('every jurisdiction produces its residents\' duty, citing its statute', () => {
  it.each([...STATES, 'DC', 'PR', 'GU', 'VI'])('%s', (st) => {
    const o = run({ discovered_at: '2026-11-02T15:00:00Z', data_categories: ['personal'], affected_by_state: { [st]: 3 } });
    const law = US_BREACH_LAWS.find((l) => l.code === st)!;
    expect(byId(o, `state-${st}-individuals`)).toMatchObject({ recipient: `Affected ${law.name} residents`, basis: { source: expect.stringContaining(law.citation), zone: 'UTC' } });
    expect(byId(o, `state-${st}-individuals`)!.basis.source).toContain(`last checked ${law.last_checked}`);
  });
});

describe('categories: state laws cover medical, health insurance and financial data (issue 10 §3)', () => {
  const at = '2026-11-02T15:00:00Z';
  it('a financial-only breach triggers every state (financial account numbers are in every statute): Georgia, O.C.G.A. §10-1-911(6)', () => {
    expect(due(run({ discovered_at: at, data_categories: ['financial'], affected_by_state: { GA: 5 } }), 'state-GA-individuals')).toBe('2026-11-05T15:00:00.000Z');
  });
  it('medical data outside HIPAA triggers California (Civ. Code §1798.82(h)) but not Ohio (R.C. §1349.19(A)(7)), which says why in a note', () => {
    const r = result({ discovered_at: at, data_categories: ['medical'], affected_by_state: { CA: 5, OH: 5 } });
    expect(stateIds(r.obligations, 'CA')).toEqual(['state-CA-individuals']);
    expect(stateIds(r.obligations, 'OH')).toEqual([]);
    expect(r.notes).toEqual([expect.stringMatching(/^OH: 5 residents, but none of the breached categories \(medical\) is personal information under Ohio Rev\. Code/)]);
  });
  it('health insurance data triggers Texas (§521.002(a)(2)(B)) and Florida (§501.171(1)(g)), not Georgia', () => {
    const o = run({ discovered_at: at, data_categories: ['health_insurance'], affected_by_state: { TX: 5, FL: 5, GA: 5 } });
    expect(stateIds(o, 'TX')).toEqual(['state-TX-individuals']);
    expect(stateIds(o, 'FL')).toEqual(['state-FL-individuals']);
    expect(stateIds(o, 'GA')).toEqual([]);
  });
  it('HIPAA exemption (KRS §365.732(8)): a HIPAA entity\'s PHI breach has no Kentucky duties, and the note cites the rule', () => {
    const r = result({ discovered_at: at, data_categories: ['phi', 'financial'], affected_by_state: { KY: 2000 } });
    expect(stateIds(r.obligations, 'KY')).toEqual([]);
    expect(r.notes).toEqual([expect.stringContaining('KRS §365.732(8)')]);
    // The same data at a non-HIPAA business: Kentucky residents and (more than 1,000) the CRAs.
    expect(stateIds(run({ discovered_at: at, data_categories: ['financial'], affected_by_state: { KY: 2000 } }), 'KY')).toEqual(['state-KY-consumer-reporting-agencies', 'state-KY-individuals']);
  });
  it('GLBA exemption (Tenn. Code §47-18-2107(i)) applies only to a GLBA institution', () => {
    expect(stateIds(run({ discovered_at: at, data_categories: ['financial'], glba_institution: 'banking_regulator', affected_by_state: { TN: 5 } }), 'TN')).toEqual([]);
    expect(due(run({ discovered_at: at, data_categories: ['financial'], affected_by_state: { TN: 5 } }), 'state-TN-individuals')).toBe('2026-12-17T15:00:00.000Z');
  });
  it('Illinois (815 ILCS 530/50): a HIPAA entity is exempt but sends the AG its HHS notice within 5 business days of notifying HHS', () => {
    const o = run({ discovered_at: '2026-03-10T12:00:00Z', data_categories: ['phi'], affected_by_state: { IL: 600 } });
    expect(stateIds(o, 'IL')).toEqual(['state-IL-attorney-general-hipaa']);
    // HHS due Saturday 9 May 2026 (60 days); five business days later is Friday 15 May.
    expect(due(o, 'hipaa-hhs')).toBe('2026-05-09T12:00:00.000Z');
    expect(due(o, 'state-IL-attorney-general-hipaa')).toBe('2026-05-15T12:00:00.000Z');
    const sent = run({ discovered_at: '2026-03-10T12:00:00Z', data_categories: ['phi'], affected_by_state: { IL: 600 }, submitted: { 'hipaa-hhs': '2026-04-01T09:00:00Z' } });
    expect(due(sent, 'state-IL-attorney-general-hipaa')).toBe('2026-04-08T09:00:00.000Z');
  });
  it('New York (GBL §899-aa(2)(b), (8), (9)): a HIPAA entity sends no second residents\' notice, but the AG, Department of State and State Police are told, and the AG gets the HHS notice', () => {
    const o = run({ discovered_at: '2026-03-10T12:00:00Z', data_categories: ['phi'], affected_by_state: { NY: 10 } });
    expect(stateIds(o, 'NY')).toEqual(['state-NY-attorney-general', 'state-NY-attorney-general-hipaa', 'state-NY-department-of-state', 'state-NY-state-police']);
    expect(due(o, 'state-NY-state-police')).toBe('2026-04-09T12:00:00.000Z');
    // Fewer than 500: HHS by 1 March 2027 (a Monday); five business days later, Monday 8 March.
    expect(due(o, 'state-NY-attorney-general-hipaa')).toBe('2027-03-08T23:59:59.999Z');
  });
  it('the legacy config list still replaces every state\'s categories when set', () => {
    const o = run({ discovered_at: at, data_categories: ['medical'], affected_by_state: { OH: 5 } }, cfg({ timezone: 'UTC', regimes: { us_states: { categories: ['medical'] } } }));
    expect(stateIds(o, 'OH')).toEqual(['state-OH-individuals']);
  });
});

describe('regulators, consumer reporting agencies and their timing', () => {
  const at = '2026-11-02T15:00:00Z'; // a Monday; 11 Nov (Veterans Day) and 26 Nov (Thanksgiving) are federal holidays
  const o = (st: string, n: number, extra: Partial<IncidentFactsInput> = {}): Obligation[] => run({ discovered_at: at, data_categories: ['personal'], affected_by_state: { [st]: n }, ...extra });
  it('Vermont 9 V.S.A. §2435(b)(3): the AG within 14 business days of discovery or with the residents\' notice if sooner', () => {
    const vt = o('VT', 3);
    expect(due(vt, 'state-VT-individuals')).toBe('2026-12-17T15:00:00.000Z');
    expect(due(vt, 'state-VT-attorney-general')).toBe('2026-11-23T15:00:00.000Z');
    const early = o('VT', 3, { submitted: { 'state-VT-individuals': '2026-11-05T09:00:00Z' } });
    expect(due(early, 'state-VT-attorney-general')).toBe('2026-11-05T09:00:00.000Z');
  });
  it('Minnesota §325E.61 subd. 2: CRAs within 48 hours for more than 500, not for 500', () => {
    expect(due(o('MN', 501), 'state-MN-consumer-reporting-agencies')).toBe('2026-11-04T15:00:00.000Z');
    expect(byId(o('MN', 500), 'state-MN-consumer-reporting-agencies')).toBeUndefined();
  });
  it('Iowa Code §715C.2(8): the AG within 5 business days after residents are told, for more than 500', () => {
    expect(due(o('IA', 501), 'state-IA-individuals')).toBe('2026-11-05T15:00:00.000Z');
    expect(due(o('IA', 501), 'state-IA-attorney-general')).toBe('2026-11-13T15:00:00.000Z');
    expect(byId(o('IA', 500), 'state-IA-attorney-general')).toBeUndefined();
  });
  it('Maryland §14-3504(h) and New Jersey 56:8-163(c)(1): the regulator BEFORE residents', () => {
    expect(byId(o('MD', 1), 'state-MD-attorney-general')).toMatchObject({ due: '2026-12-17T15:00:00.000Z', basis: { rule: expect.stringContaining('BEFORE notifying residents') } });
    expect(byId(o('NJ', 1), 'state-NJ-state-police')).toMatchObject({ due: '2026-11-05T15:00:00.000Z', recipient: 'New Jersey Division of State Police' });
  });
  it('Puerto Rico 10 L.P.R.A. §4052: DACO within 10 days of detection', () => {
    expect(due(o('PR', 1), 'state-PR-daco')).toBe('2026-11-12T15:00:00.000Z');
  });
  it('Arkansas §4-110-105(d): the AG for more than 1,000, with residents or within 45 days, whichever is first', () => {
    expect(due(o('AR', 1001), 'state-AR-attorney-general')).toBe('2026-11-05T15:00:00.000Z');
    expect(byId(o('AR', 1000), 'state-AR-attorney-general')).toBeUndefined();
  });
  it('Oklahoma (SB 626, 2026): the AG within 60 days after residents are told, at 500 or more', () => {
    expect(due(o('OK', 500), 'state-OK-attorney-general')).toBe('2027-01-04T15:00:00.000Z');
    expect(byId(o('OK', 499), 'state-OK-attorney-general')).toBeUndefined();
  });
  it('Alabama §8-38-6, -7: AG within 45 days and CRAs for more than 1,000', () => {
    expect(stateIds(o('AL', 1001), 'AL')).toEqual(['state-AL-attorney-general', 'state-AL-consumer-reporting-agencies', 'state-AL-individuals']);
    expect(stateIds(o('AL', 1000), 'AL')).toEqual(['state-AL-individuals']);
  });
  it('New York GBL §899-aa(8)(a) as amended 14 Feb 2025: DFS is told too, but only by DFS-covered entities', () => {
    expect(stateIds(o('NY', 2), 'NY')).not.toContain('state-NY-department-of-financial-services');
    const dfs = o('NY', 2, { ny_dfs_covered: true });
    expect(due(dfs, 'state-NY-department-of-financial-services')).toBe(due(dfs, 'state-NY-individuals'));
    expect(due(dfs, 'ny-dfs-superintendent')).toBe('2026-11-05T15:00:00.000Z');
  });
  it('Pennsylvania 73 P.S. §2303 (Act 33 of 2024): AG concurrently for more than 500, CRAs at 500 or more', () => {
    expect(stateIds(o('PA', 500), 'PA')).toEqual(['state-PA-consumer-reporting-agencies', 'state-PA-individuals']);
    expect(stateIds(o('PA', 501), 'PA')).toEqual(['state-PA-attorney-general', 'state-PA-consumer-reporting-agencies', 'state-PA-individuals']);
    expect(stateIds(o('PA', 499), 'PA')).toEqual(['state-PA-individuals']);
  });
  it('Massachusetts c. 93H §3: AG and OCABR for any breach', () => {
    expect(stateIds(o('MA', 1), 'MA')).toEqual(['state-MA-attorney-general', 'state-MA-individuals', 'state-MA-ocabr']);
  });
  it('DC Code §28-3852(b-1): the AG at 50 or more residents, not 49', () => {
    expect(byId(o('DC', 50), 'state-DC-attorney-general')).toBeDefined();
    expect(byId(o('DC', 49), 'state-DC-attorney-general')).toBeUndefined();
  });
  it('a processor or business associate gets no residents\' clocks (the data owner has them) and a note says whom to tell', () => {
    const r = result({ discovered_at: at, data_categories: ['personal'], role: 'processor', affected_by_state: { CA: 900 } });
    expect(r.obligations).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/notify the data owner/);
  });
});
