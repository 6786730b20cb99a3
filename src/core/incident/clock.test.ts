import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incidentSection, type IncidentConfig } from '../config/sections/incident.js';
import { InputError } from '../errors.js';
import { computeObligations, type Obligation } from './clock.js';
import { parseFacts, parseFactsText, type IncidentFactsInput } from './facts.js';

const cfg = (over: Record<string, unknown> = {}): IncidentConfig => incidentSection.parse(over);
const run = (facts: IncidentFactsInput, config: IncidentConfig = cfg()): Obligation[] => computeObligations(parseFacts(facts), config).obligations;
const byId = (list: Obligation[], id: string): Obligation | undefined => list.find((o) => o.id === id);
const due = (list: Obligation[], id: string): string | undefined => byId(list, id)?.due;

describe('GDPR', () => {
  it('authority 72 h after awareness, normalising the offset to UTC', () => {
    const o = run({ discovered_at: '2026-11-22T09:30:00+01:00', data_categories: ['personal'], eu_subjects: true });
    expect(due(o, 'gdpr-authority')).toBe('2026-11-25T08:30:00.000Z');
    expect(byId(o, 'gdpr-authority')!.basis.source).toBe('GDPR Art. 33(1)');
    expect(byId(o, 'gdpr-individuals')).toBeUndefined();
  });
  it('individuals only on high risk, at the configured undue-delay target, saying so', () => {
    const o = run({ discovered_at: '2026-11-22T00:00:00Z', data_categories: ['personal'], eu_subjects: 12, gdpr_high_risk: true }, cfg({ regimes: { undue_delay_target_hours: 48 } }));
    expect(due(o, 'gdpr-individuals')).toBe('2026-11-24T00:00:00.000Z');
    expect(byId(o, 'gdpr-individuals')!.basis.rule).toMatch(/no fixed deadline.*48 h/);
  });
  it('needs EU subjects and personal data, and can be disabled', () => {
    expect(due(run({ discovered_at: '2026-11-22T00:00:00Z', data_categories: ['personal'], eu_subjects: 0 }), 'gdpr-authority')).toBeUndefined();
    expect(due(run({ discovered_at: '2026-11-22T00:00:00Z', data_categories: ['telemetry'], eu_subjects: true }), 'gdpr-authority')).toBeUndefined();
    expect(due(run({ discovered_at: '2026-11-22T00:00:00Z', data_categories: ['personal'], eu_subjects: true }, cfg({ regimes: { gdpr: { enabled: false } } })), 'gdpr-authority')).toBeUndefined();
  });
});

describe('HIPAA', () => {
  const phi = (affected: Record<string, number>, at = '2026-03-10T12:00:00Z'): Obligation[] => run({ discovered_at: at, data_categories: ['phi'], affected_by_state: affected });
  it('individuals within 60 calendar days of discovery', () => {
    expect(due(phi({ CA: 3 }), 'hipaa-individuals')).toBe('2026-05-09T12:00:00.000Z');
  });
  it('HHS: exactly 500 → within 60 days; 499 → 60 days after the calendar year ends', () => {
    expect(due(phi({ OH: 300, PA: 200 }), 'hipaa-hhs')).toBe('2026-05-09T12:00:00.000Z');
    const small = byId(phi({ OH: 300, PA: 199 }), 'hipaa-hhs')!;
    expect(small.due).toBe('2027-03-01T23:59:59.999Z');
    expect(small.basis.source).toBe('45 CFR §164.408(c)');
  });
  it('year-end rule lands on 29 February in a leap year', () => {
    expect(due(phi({ OH: 10 }, '2027-06-01T00:00:00Z'), 'hipaa-hhs')).toBe('2028-02-29T23:59:59.999Z');
  });
  it('year-end rule uses the configured zone for which year the discovery fell in', () => {
    const o = run({ discovered_at: '2026-12-31T20:00:00-08:00', data_categories: ['phi'], affected_by_state: { CA: 5 } }, cfg({ timezone: 'America/Los_Angeles' }));
    expect(due(o, 'hipaa-hhs')).toBe('2027-03-02T07:59:59.999Z');
    // Issue 10 §2: with no incident.timezone the discovery's own offset (-08:00) decides the year,
    // never UTC (where it is already 2027 and the report would be due a year late).
    const unset = run({ discovered_at: '2026-12-31T20:00:00-08:00', data_categories: ['phi'], affected_by_state: { CA: 5 } });
    expect(due(unset, 'hipaa-hhs')).toBe('2027-03-02T07:59:59.999Z');
  });
  it('unknown count assumes the earlier deadline and says so', () => {
    const hhs = byId(phi({}), 'hipaa-hhs')!;
    expect(hhs.due).toBe('2026-05-09T12:00:00.000Z');
    expect(hhs.basis.rule).toMatch(/not yet known/);
  });
  it('media only for MORE than 500 residents of one state: 500 no, 501 yes', () => {
    const o = phi({ CA: 501, TX: 500 });
    expect(due(o, 'hipaa-media-CA')).toBe('2026-05-09T12:00:00.000Z');
    expect(byId(o, 'hipaa-media-TX')).toBeUndefined();
  });
});

describe('US states', () => {
  const pi = (affected: Record<string, number>, extra: Partial<IncidentFactsInput> = {}, config?: IncidentConfig): Obligation[] =>
    run({ discovered_at: '2026-01-31T15:00:00Z', data_categories: ['personal'], affected_by_state: affected, ...extra }, config);
  it('Texas: individuals 60 days, AG at 250 or more (30 days), not at 249', () => {
    const o = pi({ TX: 250 });
    expect(due(o, 'state-TX-individuals')).toBe('2026-04-01T15:00:00.000Z');
    expect(due(o, 'state-TX-attorney-general')).toBe('2026-03-02T15:00:00.000Z');
    expect(byId(pi({ TX: 249 }), 'state-TX-attorney-general')).toBeUndefined();
  });
  it('California: 30 days; AG for more than 500, 15 days after notifying residents (or the sent time)', () => {
    expect(byId(pi({ CA: 500 }), 'state-CA-attorney-general')).toBeUndefined();
    const o = pi({ CA: 501 });
    expect(due(o, 'state-CA-individuals')).toBe('2026-03-02T15:00:00.000Z');
    expect(due(o, 'state-CA-attorney-general')).toBe('2026-03-17T15:00:00.000Z');
    const sent = pi({ CA: 501 }, { submitted: { 'state-CA-individuals': '2026-02-05T10:00:00Z' } });
    expect(due(sent, 'state-CA-attorney-general')).toBe('2026-02-20T10:00:00.000Z');
  });
  it('Colorado runs from determination when recorded', () => {
    const o = pi({ CO: 10 }, { breach_determined_at: '2026-02-10T00:00:00Z' });
    expect(due(o, 'state-CO-individuals')).toBe('2026-03-12T00:00:00.000Z');
    expect(byId(pi({ CO: 10 }), 'state-CO-individuals')!.basis.rule).toMatch(/no breach_determined_at/);
  });
  it('a state without a fixed rule gets the undue-delay target and an honest basis', () => {
    // Ohio has a 45-day cap now that every state is modelled (Ohio Rev. Code §1349.19(B)(2)); Georgia is "most expedient" (O.C.G.A. §10-1-912(a)).
    expect(due(pi({ OH: 4 }), 'state-OH-individuals')).toBe('2026-03-17T15:00:00.000Z');
    const o = byId(pi({ GA: 4 }), 'state-GA-individuals')!;
    expect(o.due).toBe('2026-02-03T15:00:00.000Z');
    expect(o.basis.rule).toMatch(/most expedient time.*no fixed deadline.*72 h/);
  });
  it('config overrides replace the default rule', () => {
    const config = cfg({ regimes: { us_states: { overrides: { OH: { individuals_days: 45, source: 'Ohio Rev. Code §1349.19(B)(2)' }, TX: { individuals_days: 10, ag_threshold: 1, ag_days: 5, source: 'test' } } } } });
    const o = pi({ OH: 4, TX: 1 }, {}, config);
    expect(due(o, 'state-OH-individuals')).toBe('2026-03-17T15:00:00.000Z');
    expect(due(o, 'state-TX-individuals')).toBe('2026-02-10T15:00:00.000Z');
    expect(due(o, 'state-TX-attorney-general')).toBe('2026-02-05T15:00:00.000Z');
  });
  it('a PHI-only breach triggers the states whose law covers health data (Tex. Bus. & Com. Code §521.002(a)(2)(B)), not those whose does not (Ohio Rev. Code §1349.19(A)(7))', () => {
    const o = run({ discovered_at: '2026-01-31T15:00:00Z', data_categories: ['phi'], affected_by_state: { TX: 900, OH: 40 } });
    expect(due(o, 'state-TX-individuals')).toBe('2026-04-01T15:00:00.000Z');
    expect(due(o, 'state-TX-attorney-general')).toBe('2026-03-02T15:00:00.000Z');
    expect(byId(o, 'state-OH-individuals')).toBeUndefined();
  });
});

describe('SEC 8-K Item 1.05', () => {
  const secFrom = (discovered: string, at: string): string | undefined => due(run({ discovered_at: discovered, sec_registrant: true, materiality_determined_at: at }), 'sec-8k');
  const sec = (at: string): string | undefined => secFrom('2020-01-01T00:00:00Z', at);
  it('skips Thanksgiving and the weekend', () => {
    expect(sec('2026-11-25T15:00:00Z')).toBe('2026-12-02T22:30:00.000Z');
  });
  it('skips an observed Independence Day (4 July on a Saturday → Friday 3 July) under EDT', () => {
    expect(secFrom('2026-07-01T00:00:00Z', '2026-07-02T14:00:00Z')).toBe('2026-07-09T21:30:00.000Z');
  });
  it('counts from the Eastern calendar day, not the UTC one', () => {
    // 03:00 UTC Tuesday is 22:00 Monday in New York.
    expect(sec('2026-11-24T03:00:00Z')).toBe('2026-11-30T22:30:00.000Z');
  });
  it('skips New Year observed on 31 December when 1 January is a Saturday', () => {
    expect(sec('2027-12-28T16:00:00Z')).toBe('2028-01-04T22:30:00.000Z');
  });
  it('a determination on a Saturday counts from the next business day', () => {
    expect(sec('2026-11-21T16:00:00Z')).toBe('2026-11-27T22:30:00.000Z');
  });
  it('without a determination: no obligation, a note', () => {
    const r = computeObligations(parseFacts({ discovered_at: '2026-11-01T00:00:00Z', sec_registrant: true }), cfg());
    expect(r.obligations).toEqual([]);
    expect(r.notes[0]).toMatch(/materiality/);
  });
});

describe('NIS2 and DORA', () => {
  it('NIS2 24 h / 72 h / one month, clamped at the month end', () => {
    const o = run({ discovered_at: '2026-01-28T10:00:00Z', nis2_entity: true });
    expect(due(o, 'nis2-early-warning')).toBe('2026-01-29T10:00:00.000Z');
    expect(due(o, 'nis2-notification')).toBe('2026-01-31T10:00:00.000Z');
    expect(due(o, 'nis2-final')).toBe('2026-02-28T10:00:00.000Z');
    expect(due(run({ discovered_at: '2028-01-28T10:00:00Z', nis2_entity: true }), 'nis2-final')).toBe('2028-02-29T10:00:00.000Z');
  });
  it('NIS2 final runs from the real notification time once sent', () => {
    expect(due(run({ discovered_at: '2026-01-28T10:00:00Z', nis2_entity: true, submitted: { 'nis2-notification': '2026-01-29T08:00:00Z' } }), 'nis2-final')).toBe('2026-02-28T08:00:00.000Z');
  });
  it('DORA initial: 4 h after classification, capped at 24 h after awareness', () => {
    const early = run({ discovered_at: '2026-05-04T10:00:00Z', dora_entity: true, dora_major_classified_at: '2026-05-04T12:00:00Z' });
    expect(due(early, 'dora-initial')).toBe('2026-05-04T16:00:00.000Z');
    expect(due(early, 'dora-intermediate')).toBe('2026-05-07T16:00:00.000Z');
    expect(due(early, 'dora-final')).toBe('2026-06-07T16:00:00.000Z');
    const late = run({ discovered_at: '2026-05-04T10:00:00Z', dora_entity: true, dora_major_classified_at: '2026-05-05T08:00:00Z' });
    expect(due(late, 'dora-initial')).toBe('2026-05-05T10:00:00.000Z');
    expect(byId(late, 'dora-initial')!.basis.rule).toMatch(/24 h after awareness/);
  });
  it('DORA intermediate and final follow the submitted times', () => {
    const o = run({
      discovered_at: '2026-05-04T10:00:00Z',
      dora_entity: true,
      dora_major_classified_at: '2026-05-04T12:00:00Z',
      submitted: { 'dora-initial': '2026-05-04T13:00:00Z', 'dora-intermediate': '2026-05-06T09:00:00Z' },
    });
    expect(due(o, 'dora-intermediate')).toBe('2026-05-07T13:00:00.000Z');
    expect(due(o, 'dora-final')).toBe('2026-06-06T09:00:00.000Z');
  });
});

describe('custom regimes (seed 000: notify the school within 48 h)', () => {
  const config = cfg({ regimes: { custom: [{ id: 'school', recipient: 'Partner school', within_hours: 48, when: { data_categories: ['minors'], severities: ['1'] }, source: 'HumanOS runbook §7' }] } });
  it('applies when minors are involved or severity is 1, not otherwise', () => {
    expect(due(run({ discovered_at: '2026-11-22T08:00:00Z', data_categories: ['minors'] }, config), 'school')).toBe('2026-11-24T08:00:00.000Z');
    expect(byId(run({ discovered_at: '2026-11-22T08:00:00Z', severity: '1' }, config), 'school')!.basis.rule).toMatch(/severity 1/);
    expect(byId(run({ discovered_at: '2026-11-22T08:00:00Z', severity: '2' }, config), 'school')).toBeUndefined();
  });
});

describe('facts and ordering', () => {
  it('sorts by due and keeps ids unique', () => {
    const o = run({ discovered_at: '2026-11-22T08:00:00Z', data_categories: ['personal', 'phi'], eu_subjects: true, affected_by_state: { CA: 900, TX: 300 }, nis2_entity: true, sec_registrant: true, materiality_determined_at: '2026-11-23T08:00:00Z' });
    expect(o.map((x) => x.due)).toEqual([...o.map((x) => x.due)].sort());
    expect(new Set(o.map((x) => x.id)).size).toBe(o.length);
    expect(o[0]!.id).toBe('nis2-early-warning');
  });
  it('refuses a time without an offset, naming the field', () => {
    expect(() => parseFacts({ discovered_at: '2026-11-22T08:00:00' })).toThrow(InputError);
    expect(() => parseFactsText('discovered_at: 2026-11-22T08:00:00Z\neu_subjects: maybe\n')).toThrow(expect.objectContaining({ field: 'eu_subjects' }));
    expect(() => parseFactsText('discovered_at: 2026-11-22T08:00:00Z\nunknown_key: 1\n')).toThrow(/unknown_key/);
  });
  it('YAML timestamps parse', () => {
    expect(parseFactsText('discovered_at: 2026-11-22T08:00:00+02:00\n').discovered_at).toBe('2026-11-22T06:00:00.000Z');
  });
  it('property: any valid facts give sorted obligations with valid UTC times and never throw', () => {
    const time = fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('8999-01-01T00:00:00Z'), noInvalidDate: true });
    // Facts that follow discovery (issue 10 §1: earlier ones are refused, tested below).
    const later = fc.option(fc.nat({ max: 24 * 400 }), { nil: undefined });
    const offset = fc.constantFrom('Z', '-08:00', '+05:30', '+14:00', '-03:00');
    const state = fc.constantFrom('CA', 'CO', 'FL', 'WA', 'TX', 'NY', 'OH', 'IL', 'VT', 'MN', 'PR', 'GU');
    const facts = fc.record({
      discovered: time,
      offset,
      determined: later,
      materiality: later,
      classified: later,
      assessed: later,
      tz: fc.constantFrom(undefined, 'Pacific/Kiritimati', 'America/Los_Angeles', 'Australia/Lord_Howe'),
      rest: fc.record(
        {
          data_categories: fc.subarray(['personal', 'phi', 'minors', 'telemetry', 'special', 'medical', 'financial', 'biometric']),
          eu_subjects: fc.oneof(fc.boolean(), fc.nat()),
          uk_subjects: fc.oneof(fc.boolean(), fc.nat()),
          gdpr_high_risk: fc.boolean(),
          affected_by_state: fc.dictionary(state, fc.nat({ max: 100_000 })),
          sec_registrant: fc.boolean(),
          nis2_entity: fc.boolean(),
          dora_entity: fc.boolean(),
          phr_vendor: fc.boolean(),
          ny_dfs_covered: fc.boolean(),
          role: fc.constantFrom('controller', 'processor', 'covered_entity', 'business_associate'),
          jurisdictions: fc.subarray(['canada', 'quebec', 'australia', 'brazil', 'india', 'singapore'] as const),
          glba_institution: fc.constantFrom('ftc_safeguards', 'banking_regulator'),
          cra_event: fc.constantFrom('actively_exploited_vulnerability', 'severe_incident'),
          severity: fc.constantFrom('1', '2', 'SEV0'),
        },
        { requiredKeys: [] },
      ),
    });
    const iso = (d: Date, off: string): string => {
      if (off === 'Z') return d.toISOString();
      const m = (off.startsWith('-') ? -1 : 1) * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4)));
      return new Date(d.getTime() + m * 60_000).toISOString().slice(0, 23) + off;
    };
    const plus = (d: Date, h: number | undefined): string | undefined => (h === undefined ? undefined : new Date(d.getTime() + h * 3_600_000).toISOString());
    fc.assert(
      fc.property(facts, (f) => {
        const config = cfg({ timezone: f.tz, regimes: { custom: [{ id: 'school', recipient: 'School', within_hours: 48, when: { data_categories: ['minors'] }, source: 's' }] } });
        const raw = {
          ...f.rest,
          discovered_at: iso(f.discovered, f.offset),
          ...(f.determined === undefined ? {} : { breach_determined_at: plus(f.discovered, f.determined) }),
          ...(f.materiality === undefined ? {} : { materiality_determined_at: plus(f.discovered, f.materiality) }),
          ...(f.classified === undefined ? {} : { dora_major_classified_at: plus(f.discovered, f.classified) }),
          ...(f.assessed === undefined ? {} : { risk_assessed_at: plus(f.discovered, f.assessed) }),
        };
        const o = computeObligations(parseFacts(raw), config).obligations;
        for (const x of o) expect(x.due).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        for (const x of o) expect(x.basis.zone).toBeTruthy();
        expect(o.map((x) => x.due)).toEqual([...o.map((x) => x.due)].sort());
        expect(new Set(o.map((x) => x.id)).size).toBe(o.length);
      }),
      { numRuns: 300 },
    );
  });
});

// Whole results, every text a responder reads included: the wording of a rule, its source and the
// owner are part of the contract (each due time below was checked by hand against the rule).
describe('the obligations of a full incident, exactly', () => {
  it('every regime at once, default owners, a custom regime that always applies', () => {
    const config = cfg({ regimes: { custom: [{ id: 'board', recipient: 'The board', within_hours: 12, when: {}, source: 'Bylaws §3' }] } });
    const facts = parseFacts({
      discovered_at: '2026-11-20T10:00:00Z', data_categories: ['Personal', 'phi'], eu_subjects: 3, gdpr_high_risk: true, affected_by_state: { CA: 501, TX: 250, OH: 4 },
      sec_registrant: true, materiality_determined_at: '2026-11-25T15:00:00Z', nis2_entity: true, dora_entity: true, dora_major_classified_at: '2026-11-21T09:00:00Z',
      submitted: { 'dora-initial': '2026-11-21T11:00:00Z' },
    });
    expect(computeObligations(facts, config)).toEqual({
      "obligations": [
        {
          "id": "board",
          "recipient": "The board",
          "due": "2026-11-20T22:00:00.000Z",
          "basis": {
            "rule": "Within 12 h of discovery (applies: always)",
            "source": "Bylaws §3",
            "zone": "UTC"
          },
          "owner": "incident_commander"
        },
        {
          "id": "dora-initial",
          "recipient": "Competent authority (DORA initial notification)",
          "due": "2026-11-21T10:00:00.000Z",
          "basis": {
            "rule": "Within 4 hours of classifying the incident as major and no later than 24 hours after becoming aware of it (24 h after awareness is earlier)",
            "source": "DORA Regulation (EU) 2022/2554 Art. 19(4); Delegated Regulation (EU) 2025/301 Art. 5(1)(a)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "nis2-early-warning",
          "recipient": "CSIRT or competent authority (NIS2 early warning)",
          "due": "2026-11-21T10:00:00.000Z",
          "basis": {
            "rule": "Early warning without undue delay and in any event within 24 hours of becoming aware of the significant incident",
            "source": "NIS2 Directive (EU) 2022/2555 Art. 23(4)(a)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "gdpr-authority",
          "recipient": "Lead supervisory authority (GDPR)",
          "due": "2026-11-23T10:00:00.000Z",
          "basis": {
            "rule": "Without undue delay and, where feasible, not later than 72 hours after becoming aware of the personal data breach (unless unlikely to result in a risk)",
            "source": "GDPR Art. 33(1)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "gdpr-individuals",
          "recipient": "Affected data subjects (GDPR)",
          "due": "2026-11-23T10:00:00.000Z",
          "basis": {
            "rule": "Without undue delay when the breach is likely to result in a high risk; no fixed deadline — due is the configured target of 72 h after awareness",
            "source": "GDPR Art. 34(1)",
            "zone": "UTC"
          },
          "owner": "comms_lead"
        },
        {
          "id": "nis2-notification",
          "recipient": "CSIRT or competent authority (NIS2 incident notification)",
          "due": "2026-11-23T10:00:00.000Z",
          "basis": {
            "rule": "Incident notification without undue delay and in any event within 72 hours of becoming aware",
            "source": "NIS2 Art. 23(4)(b)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "dora-intermediate",
          "recipient": "Competent authority (DORA intermediate report)",
          "due": "2026-11-24T11:00:00.000Z",
          "basis": {
            "rule": "Within 72 hours of the initial notification (submitted)",
            "source": "Delegated Regulation (EU) 2025/301 Art. 5(1)(b)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "sec-8k",
          "recipient": "SEC (Form 8-K Item 1.05 via EDGAR)",
          "due": "2026-12-02T22:30:00.000Z",
          "basis": {
            "rule": "Within four business days after determining the incident is material (determined 2026-11-25 ET; weekends and US federal holidays skipped); due at 17:30 ET, EDGAR's standard filing-day cut-off",
            "source": "SEC Form 8-K Item 1.05 and General Instruction B.1; 17 CFR 229.106; Regulation S-T Rule 13",
            "zone": "America/New_York"
          },
          "owner": "legal"
        },
        {
          "id": "state-CA-individuals",
          "recipient": "Affected California residents",
          "due": "2026-12-20T10:00:00.000Z",
          "basis": {
            "rule": "501 residents of CA (personal, phi (as medical / health insurance information)): within 30 days of discovery (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "Cal. Civ. Code §1798.82 (as amended by SB 446, 2025, in force 2026-01-01) (last checked 2026-12-02)",
            "zone": "UTC"
          },
          "owner": "comms_lead"
        },
        {
          "id": "state-TX-attorney-general",
          "recipient": "Texas Attorney General",
          "due": "2026-12-20T10:00:00.000Z",
          "basis": {
            "rule": "250 residents of TX (250 or more): within 30 days of discovery (no breach_determined_at recorded) (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "Tex. Bus. & Com. Code §§521.002, 521.053 (as amended by SB 768, 2023) (last checked 2026-12-02)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "nis2-final",
          "recipient": "CSIRT or competent authority (NIS2 final report)",
          "due": "2026-12-23T10:00:00.000Z",
          "basis": {
            "rule": "Final report not later than one month after the incident notification (counted from its deadline until it is sent; calendar month, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "NIS2 Art. 23(4)(d)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "dora-final",
          "recipient": "Competent authority (DORA final report)",
          "due": "2026-12-24T11:00:00.000Z",
          "basis": {
            "rule": "No later than one month after the latest intermediate report (counted from its deadline until it is sent; calendar month, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "Delegated Regulation (EU) 2025/301 Art. 5(1)(c)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "state-CA-attorney-general",
          "recipient": "California Attorney General (sample notice)",
          "due": "2027-01-04T10:00:00.000Z",
          "basis": {
            "rule": "501 residents of CA (more than 500): within 15 days of notifying residents (counted from that deadline until it is sent) (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "Cal. Civ. Code §1798.82 (as amended by SB 446, 2025, in force 2026-01-01) (last checked 2026-12-02)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "state-OH-individuals",
          "recipient": "Affected Ohio residents",
          "due": "2027-01-04T10:00:00.000Z",
          "basis": {
            "rule": "4 residents of OH (personal): within 45 days of discovery (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "Ohio Rev. Code §§1349.19 to 1349.192 (last checked 2026-12-02)",
            "zone": "UTC"
          },
          "owner": "comms_lead"
        },
        {
          "id": "hipaa-hhs",
          "recipient": "HHS Secretary (OCR breach portal)",
          "due": "2027-01-19T10:00:00.000Z",
          "basis": {
            "rule": "755 individuals (500 or more): contemporaneously with individual notice, within 60 days of discovery (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "45 CFR §164.408(b)",
            "zone": "UTC"
          },
          "owner": "compliance_lead"
        },
        {
          "id": "hipaa-individuals",
          "recipient": "Affected individuals (HIPAA)",
          "due": "2027-01-19T10:00:00.000Z",
          "basis": {
            "rule": "Without unreasonable delay and in no case later than 60 calendar days after discovery (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "45 CFR §164.404(b)",
            "zone": "UTC"
          },
          "owner": "comms_lead"
        },
        {
          "id": "hipaa-media-CA",
          "recipient": "Prominent media outlets serving CA",
          "due": "2027-01-19T10:00:00.000Z",
          "basis": {
            "rule": "501 residents of CA (more than 500): within 60 calendar days of discovery (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "45 CFR §164.406",
            "zone": "UTC"
          },
          "owner": "comms_lead"
        },
        {
          "id": "state-TX-individuals",
          "recipient": "Affected Texas residents",
          "due": "2027-01-19T10:00:00.000Z",
          "basis": {
            "rule": "250 residents of TX (personal, phi (as medical / health insurance information)): within 60 days of discovery (no breach_determined_at recorded) (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)",
            "source": "Tex. Bus. & Com. Code §§521.002, 521.053 (as amended by SB 768, 2023) (last checked 2026-12-02)",
            "zone": "UTC"
          },
          "owner": "comms_lead"
        }
      ],
      "notes": [],
      "warnings": [
        "incident.timezone is not set: calendar days, months and year ends are counted in UTC, the offset discovered_at was written with, which follows no daylight saving time. Set incident.timezone to the entity's IANA zone (e.g. America/Los_Angeles)."
      ]
    });
  });

  it('configured owners, a zone for the HIPAA year, notes for SEC and DORA, custom regimes by category or severity', () => {
    const config = cfg({
      timezone: 'America/Los_Angeles',
      regimes: {
        gdpr: { owner: 'dpo' }, hipaa: { owner: 'privacy' }, nis2: { owner: 'ciso' }, dora: { owner: 'risk' }, sec: { owner: 'gc' }, us_states: { owner: 'privacy', categories: ['PHI'] },
        custom: [
          { id: 'school', recipient: 'School', within_hours: 48, when: { data_categories: ['MINORS'], severities: ['SEV1'] }, source: 's', owner: 'x' },
          { id: 'sev', recipient: 'Sev', within_hours: 1, when: { severities: ['SEV1'] }, source: 't', owner: 'y' },
          { id: 'never', recipient: 'N', within_hours: 1, when: { severities: ['SEV0'], data_categories: ['nothing'] }, source: 'u', owner: 'z' },
        ],
      },
    });
    const facts = parseFacts({
      discovered_at: '2026-12-31T20:00:00-08:00', severity: 'SEV1', data_categories: ['phi', 'minors'], eu_subjects: true, affected_by_state: { CO: 3, WA: 0 },
      breach_determined_at: '2027-01-02T00:00:00Z', sec_registrant: true, nis2_entity: true, dora_entity: true, submitted: { 'nis2-notification': '2027-01-02T06:00:00Z' },
    });
    expect(computeObligations(facts, config)).toEqual({
      "obligations": [
        {
          "id": "sev",
          "recipient": "Sev",
          "due": "2027-01-01T05:00:00.000Z",
          "basis": {
            "rule": "Within 1 h of discovery (applies: severity SEV1)",
            "source": "t",
            "zone": "America/Los_Angeles"
          },
          "owner": "y"
        },
        {
          "id": "nis2-early-warning",
          "recipient": "CSIRT or competent authority (NIS2 early warning)",
          "due": "2027-01-02T04:00:00.000Z",
          "basis": {
            "rule": "Early warning without undue delay and in any event within 24 hours of becoming aware of the significant incident",
            "source": "NIS2 Directive (EU) 2022/2555 Art. 23(4)(a)",
            "zone": "America/Los_Angeles"
          },
          "owner": "ciso"
        },
        {
          "id": "school",
          "recipient": "School",
          "due": "2027-01-03T04:00:00.000Z",
          "basis": {
            "rule": "Within 48 h of discovery (applies: data category \"MINORS\")",
            "source": "s",
            "zone": "America/Los_Angeles"
          },
          "owner": "x"
        },
        {
          "id": "gdpr-authority",
          "recipient": "Lead supervisory authority (GDPR)",
          "due": "2027-01-04T04:00:00.000Z",
          "basis": {
            "rule": "Without undue delay and, where feasible, not later than 72 hours after becoming aware of the personal data breach (unless unlikely to result in a risk)",
            "source": "GDPR Art. 33(1)",
            "zone": "America/Los_Angeles"
          },
          "owner": "dpo"
        },
        {
          "id": "nis2-notification",
          "recipient": "CSIRT or competent authority (NIS2 incident notification)",
          "due": "2027-01-04T04:00:00.000Z",
          "basis": {
            "rule": "Incident notification without undue delay and in any event within 72 hours of becoming aware",
            "source": "NIS2 Art. 23(4)(b)",
            "zone": "America/Los_Angeles"
          },
          "owner": "ciso"
        },
        {
          "id": "state-CO-individuals",
          "recipient": "Affected Colorado residents",
          "due": "2027-02-01T00:00:00.000Z",
          "basis": {
            "rule": "3 residents of CO (PHI): within 30 days of determining the breach (calendar days, America/Los_Angeles)",
            "source": "C.R.S. §6-1-716 (last checked 2026-12-02)",
            "zone": "America/Los_Angeles"
          },
          "owner": "privacy"
        },
        {
          "id": "nis2-final",
          "recipient": "CSIRT or competent authority (NIS2 final report)",
          "due": "2027-02-02T06:00:00.000Z",
          "basis": {
            "rule": "Final report not later than one month after the incident notification (submitted; calendar month, America/Los_Angeles)",
            "source": "NIS2 Art. 23(4)(d)",
            "zone": "America/Los_Angeles"
          },
          "owner": "ciso"
        },
        {
          "id": "hipaa-individuals",
          "recipient": "Affected individuals (HIPAA)",
          "due": "2027-03-02T04:00:00.000Z",
          "basis": {
            "rule": "Without unreasonable delay and in no case later than 60 calendar days after discovery (calendar days, America/Los_Angeles)",
            "source": "45 CFR §164.404(b)",
            "zone": "America/Los_Angeles"
          },
          "owner": "privacy"
        },
        {
          "id": "hipaa-hhs",
          "recipient": "HHS Secretary (OCR breach portal)",
          "due": "2027-03-02T07:59:59.999Z",
          "basis": {
            "rule": "3 individuals (fewer than 500): log and report within 60 days after the end of calendar year 2026 (discovered in 2026 in America/Los_Angeles)",
            "source": "45 CFR §164.408(c)",
            "zone": "America/Los_Angeles"
          },
          "owner": "privacy"
        }
      ],
      "notes": [
        "SEC registrant: the 8-K Item 1.05 clock starts when materiality is determined, which must happen without unreasonable delay after discovery. Record materiality_determined_at.",
        "DORA entity: reporting starts once the incident is classified as major (classify without undue delay); record dora_major_classified_at."
      ],
      "warnings": []
    });
    const dora = parseFacts({
      discovered_at: '2026-11-20T10:00:00Z', dora_entity: true, dora_major_classified_at: '2026-11-20T12:00:00Z', submitted: { 'dora-intermediate': '2026-11-22T00:00:00Z' }, severity: 'SEV2', data_categories: ['minors'],
    });
    expect(computeObligations(dora, config)).toEqual({
      "obligations": [
        {
          "id": "dora-initial",
          "recipient": "Competent authority (DORA initial notification)",
          "due": "2026-11-20T16:00:00.000Z",
          "basis": {
            "rule": "Within 4 hours of classifying the incident as major and no later than 24 hours after becoming aware of it (4 h after classification is earlier)",
            "source": "DORA Regulation (EU) 2022/2554 Art. 19(4); Delegated Regulation (EU) 2025/301 Art. 5(1)(a)",
            "zone": "America/Los_Angeles"
          },
          "owner": "risk"
        },
        {
          "id": "school",
          "recipient": "School",
          "due": "2026-11-22T10:00:00.000Z",
          "basis": {
            "rule": "Within 48 h of discovery (applies: data category \"MINORS\")",
            "source": "s",
            "zone": "America/Los_Angeles"
          },
          "owner": "x"
        },
        {
          "id": "dora-intermediate",
          "recipient": "Competent authority (DORA intermediate report)",
          "due": "2026-11-23T16:00:00.000Z",
          "basis": {
            "rule": "Within 72 hours of the initial notification (counted from its deadline until it is sent)",
            "source": "Delegated Regulation (EU) 2025/301 Art. 5(1)(b)",
            "zone": "America/Los_Angeles"
          },
          "owner": "risk"
        },
        {
          "id": "dora-final",
          "recipient": "Competent authority (DORA final report)",
          "due": "2026-12-22T00:00:00.000Z",
          "basis": {
            "rule": "No later than one month after the latest intermediate report (submitted; calendar month, America/Los_Angeles)",
            "source": "Delegated Regulation (EU) 2025/301 Art. 5(1)(c)",
            "zone": "America/Los_Angeles"
          },
          "owner": "risk"
        }
      ],
      "notes": [],
      "warnings": []
    });
  });
});

describe('clock: branches the whole-incident cases do not reach', () => {
  const base = { discovered_at: '2026-01-31T15:00:00Z' };
  it('a resident notice already sent is named as sent; single-digit months are padded in the SEC basis', () => {
    const o = run({ ...base, data_categories: ['personal'], affected_by_state: { CA: 501 }, submitted: { 'state-CA-individuals': '2026-02-05T10:00:00Z' } });
    expect(byId(o, 'state-CA-attorney-general')!.basis.rule).toBe('501 residents of CA (more than 500): within 15 days of notifying residents (calendar days, UTC, the offset of discovered_at; incident.timezone is not set)');
    const sec = run({ discovered_at: '2026-07-01T00:00:00Z', sec_registrant: true, materiality_determined_at: '2026-07-02T14:00:00Z' });
    expect(byId(sec, 'sec-8k')!.basis.rule).toMatch(/\(determined 2026-07-02 ET;/);
  });
  it('notes only for the regimes that apply', () => {
    expect(computeObligations(parseFacts({ ...base, sec_registrant: true }), cfg()).notes).toEqual([
      'SEC registrant: the 8-K Item 1.05 clock starts when materiality is determined, which must happen without unreasonable delay after discovery. Record materiality_determined_at.',
    ]);
    expect(computeObligations(parseFacts({ ...base, dora_entity: true }), cfg({ regimes: { dora: { enabled: false } } })).notes).toEqual([]);
  });
  it('state law applies when ANY configured category is present; residents count from discovery unless the state says determination', () => {
    const config = cfg({ regimes: { us_states: { categories: ['personal', 'phi'] } } });
    expect(byId(run({ ...base, data_categories: ['personal'], affected_by_state: { CA: 3 } }, config), 'state-CA-individuals')).toBeDefined();
    const ca = run({ ...base, data_categories: ['personal'], affected_by_state: { CA: 3 }, breach_determined_at: '2026-02-20T00:00:00Z' });
    expect(due(ca, 'state-CA-individuals')).toBe('2026-03-02T15:00:00.000Z');
  });
  it('DORA: classification exactly 20 h after awareness makes both limits equal; the 4 h one is named', () => {
    const o = run({ ...base, dora_entity: true, dora_major_classified_at: '2026-02-01T11:00:00Z' });
    expect(byId(o, 'dora-initial')).toMatchObject({ due: '2026-02-01T15:00:00.000Z', basis: { rule: expect.stringContaining('(4 h after classification is earlier)') } });
  });
  it('a custom regime with categories only does not apply when none is present', () => {
    const config = cfg({ regimes: { custom: [{ id: 'cats-only', recipient: 'R', within_hours: 1, when: { data_categories: ['minors'] }, source: 's' }] } });
    expect(byId(run({ ...base, data_categories: ['personal'] }, config), 'cats-only')).toBeUndefined();
    expect(byId(run({ ...base, data_categories: ['minors'] }, config), 'cats-only')).toBeDefined();
  });
});

describe('clock: states without an AG rule or without a fixed-day rule', () => {
  const base = { discovered_at: '2026-01-31T15:00:00Z', data_categories: ['personal'] };
  it('New York: residents within 30 days; AG, Department of State and State Police whenever New Yorkers are notified; CRAs only above 5,000 (N.Y. Gen. Bus. Law §899-aa(2), (8))', () => {
    const o = run({ ...base, affected_by_state: { NY: 5000 } });
    expect(o.map((x) => x.id)).toEqual(['state-NY-attorney-general', 'state-NY-department-of-state', 'state-NY-individuals', 'state-NY-state-police']);
    for (const x of o) expect(x.due).toBe('2026-03-02T15:00:00.000Z');
    expect(byId(run({ ...base, affected_by_state: { NY: 5001 } }), 'state-NY-consumer-reporting-agencies')?.due).toBe('2026-03-02T15:00:00.000Z');
    expect(run({ ...base, affected_by_state: { NY: 1 } }).map((x) => x.id)).toContain('state-NY-state-police');
  });
  it('an override with no fixed days falls back to the undue-delay target, citing the override', () => {
    const o = run({ ...base, affected_by_state: { WA: 7 } }, cfg({ regimes: { us_states: { overrides: { WA: { individuals_days: null, source: 'RCW 19.255.010 (counsel)' } } } } }));
    expect(byId(o, 'state-WA-individuals')).toMatchObject({ due: '2026-02-03T15:00:00.000Z', basis: { source: 'RCW 19.255.010 (counsel)' } });
  });
});
