import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { DATA_CATEGORIES, parseFacts, parseFactsText, US_JURISDICTION_CODES } from './facts.js';

// Issue 10 §1: a wrong fact is refused with its field's name, never silently read. The rules follow
// ISO 8601-1:2019 §5.4 / RFC 3339 §5.6 (date-time with a UTC offset; no hour 24 with an offset in RFC 3339).
const refused = (raw: Record<string, unknown>): InputError => {
  try {
    parseFacts(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  return expect.unreachable('accepted') as never;
};

describe('timestamps: ISO 8601 with an offset, real calendar dates only (RFC 3339 §5.6, §5.7)', () => {
  it.each([
    ['2026-02-30T10:00:00Z', /2026-02-30 is not a calendar date/],
    ['2026-06-31T10:00:00+02:00', /2026-06-31 is not a calendar date/],
    ['2026-02-29T10:00:00Z', /2026-02-29 is not a calendar date/],
    ['2100-02-29T10:00:00Z', /2100-02-29 is not a calendar date/],
    ['2026-11-22T24:00:00Z', /24:00:00 is not a time of day/],
    ['2026-11-22T23:60:00Z', /is not a time of day/],
    ['2026-13-01T10:00:00Z', /not a calendar date/],
    ['03/04/2026 10:00 +01:00', /ISO 8601/],
    ['2026-11-22 10:00:00+01:00', /ISO 8601/],
    ['2026-11-22T10:00:00', /ISO 8601/],
    ['2026-11-22', /ISO 8601/],
    ['Sun, 22 Nov 2026 10:00:00 GMT', /ISO 8601/],
    ['2026-11-22T10:00:00+25:00', /not a UTC offset/],
  ])('%s is refused, naming discovered_at', (value, message) => {
    const e = refused({ discovered_at: value });
    expect(e.field).toBe('discovered_at');
    expect(e.code).toBe('FACTS_INVALID');
    expect(e.message).toMatch(message);
  });
  it('every time field is checked the same way, by name', () => {
    const base = { discovered_at: '2026-11-22T10:00:00Z' };
    for (const field of ['breach_determined_at', 'materiality_determined_at', 'dora_major_classified_at', 'risk_assessed_at', 'cra_corrective_measure_at']) {
      expect(refused({ ...base, [field]: '2026-02-30T10:00:00Z' }).field).toBe(field);
    }
    expect(refused({ ...base, submitted: { 'gdpr-authority': '31/12/2026' } }).field).toBe('submitted.gdpr-authority');
    expect(refused({ ...base, discovered_at: 1_764_000_000 }).field).toBe('discovered_at');
  });
  it('29 February of a leap year, fractions, basic-format offsets and lower-case z are real instants', () => {
    expect(parseFacts({ discovered_at: '2028-02-29T23:30:00.5-05:00' }).discovered_at).toBe('2028-03-01T04:30:00.500Z');
    expect(parseFacts({ discovered_at: '2000-02-29T00:00:00+0530' }).discovered_at).toBe('2000-02-28T18:30:00.000Z');
    expect(parseFacts({ discovered_at: '2026-11-22t10:00z' }).discovered_at).toBe('2026-11-22T10:00:00.000Z');
  });
  it('keeps the offset discovered_at was written with, and keeps it across a re-parse of normalised facts', () => {
    const f = parseFacts({ discovered_at: '2026-12-31T20:00:00-08:00' });
    expect(f).toMatchObject({ discovered_at: '2027-01-01T04:00:00.000Z', discovered_utc_offset: '-08:00' });
    expect(parseFacts({ ...f }).discovered_utc_offset).toBe('-08:00');
    expect(parseFacts({ discovered_at: '2026-12-31T20:00:00Z' }).discovered_utc_offset).toBeUndefined();
    expect(parseFacts({ discovered_at: '2026-12-31T20:00:00+00:00' }).discovered_utc_offset).toBeUndefined();
    expect(refused({ discovered_at: '2026-12-31T20:00:00Z', discovered_utc_offset: '+99:99' }).field).toBe('discovered_utc_offset');
  });
});

describe('order of events: nothing is determined, classified or sent before discovery', () => {
  const base = { discovered_at: '2026-11-22T10:00:00+01:00' };
  it.each(['breach_determined_at', 'materiality_determined_at', 'dora_major_classified_at', 'risk_assessed_at'])('%s one second before discovery is refused; at discovery it is accepted', (field) => {
    expect(refused({ ...base, [field]: '2026-11-22T08:59:59Z' }).field).toBe(field);
    expect(parseFacts({ ...base, [field]: '2026-11-22T09:00:00Z' })[field as 'breach_determined_at']).toBe('2026-11-22T09:00:00.000Z');
  });
  it('a submitted time before discovery is refused, naming the obligation', () => {
    const e = refused({ ...base, submitted: { 'nis2-notification': '2026-11-21T10:00:00+01:00' } });
    expect(e.field).toBe('submitted.nis2-notification');
    expect(e.message).toMatch(/before discovered_at/);
  });
});

describe('unknown values are errors that list the known ones', () => {
  it('PII and health are not categories: the error names the index and lists every known category', () => {
    for (const [cats, i] of [[['PII'], 0], [['personal', 'health'], 1]] as const) {
      const e = refused({ discovered_at: '2026-11-22T10:00:00Z', data_categories: cats });
      expect(e.field).toBe(`data_categories.${i}`);
      for (const known of Object.keys(DATA_CATEGORIES)) expect(e.hint).toContain(known);
    }
  });
  it('categories are read case-insensitively; x- categories are the user\'s own; configured ones are known', () => {
    expect(parseFacts({ discovered_at: '2026-11-22T10:00:00Z', data_categories: ['PHI', 'x-pupils'] }).data_categories).toEqual(['phi', 'x-pupils']);
    expect(parseFacts({ discovered_at: '2026-11-22T10:00:00Z', data_categories: ['pupils'] }, 'facts', { categories: ['Pupils'] }).data_categories).toEqual(['pupils']);
  });
  it('state and territory codes: all 50 states, DC, PR, GU and VI; others are errors unless an override adds them', () => {
    expect(US_JURISDICTION_CODES).toHaveLength(54);
    expect(parseFacts({ discovered_at: '2026-11-22T10:00:00Z', affected_by_state: { PR: 1, GU: 1, VI: 1, DC: 1 } }).affected_by_state).toEqual({ PR: 1, GU: 1, VI: 1, DC: 1 });
    const e = refused({ discovered_at: '2026-11-22T10:00:00Z', affected_by_state: { ZZ: 3 } });
    expect(e.field).toBe('affected_by_state.ZZ');
    expect(e.hint).toContain('WY');
    expect(parseFacts({ discovered_at: '2026-11-22T10:00:00Z', affected_by_state: { AS: 3 } }, 'facts', { states: ['AS'] }).affected_by_state).toEqual({ AS: 3 });
  });
  it('roles and jurisdictions are closed lists', () => {
    expect(refused({ discovered_at: '2026-11-22T10:00:00Z', role: 'vendor' }).field).toBe('role');
    expect(refused({ discovered_at: '2026-11-22T10:00:00Z', jurisdictions: ['CA'] }).field).toBe('jurisdictions.0');
    expect(parseFacts({ discovered_at: '2026-11-22T10:00:00Z', role: ['processor', 'business_associate'], jurisdictions: ['quebec'] })).toMatchObject({ role: ['processor', 'business_associate'], jurisdictions: ['quebec'] });
  });
  it('YAML text goes through the same checks', () => {
    expect(() => parseFactsText('discovered_at: 2026-02-30T10:00:00Z\n')).toThrow(expect.objectContaining({ field: 'discovered_at' }));
  });
});
