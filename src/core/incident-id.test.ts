import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { incidentIdFor } from './incident/render.js';
import { INCIDENT_ID_MAX_LENGTH, isIncidentId, parseIncidentId } from './incident-id.js';

function refusal(raw: unknown, required = true): InputError {
  try {
    parseIncidentId(raw, { field: 'incident', required });
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  expect.unreachable(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('incident id grammar', () => {
  it('accepts the ids declare mints and the usual ticket forms', () => {
    for (const id of [incidentIdFor(new Date('2026-11-22T10:00:00Z'), 'Checkout down!'), 'INC-7', 'DRILL-1', 'SEC_2026.11#3', 'jira:OPS-12', 'a'.repeat(INCIDENT_ID_MAX_LENGTH)]) {
      expect(parseIncidentId(id, { required: true }), id).toBe(id);
      expect(isIncidentId(id)).toBe(true);
    }
    expect(parseIncidentId('  INC-7 ')).toBe('INC-7');
  });

  it('tells missing from malformed', () => {
    expect(refusal('').code).toBe('INCIDENT_ID_MISSING');
    expect(refusal(undefined).code).toBe('INCIDENT_ID_MISSING');
    expect(parseIncidentId('', { required: false })).toBeNull();
    const cases: Array<[unknown, RegExp]> = [
      ['INC/7', /contains "\/"/],
      ['a'.repeat(INCIDENT_ID_MAX_LENGTH + 1), /65 characters long, more than 64/],
      ['-INC', /starts with "-"/],
      ['INC 7', /contains the character U\+0020/],
      ['INC;exp=2099', /contains ";"/],
      ['INC\u00e97', /U\+00E9/],
      [7, /must be text/],
    ];
    for (const [raw, message] of cases) {
      const e = refusal(raw, false);
      expect(e.code, String(raw)).toBe('INCIDENT_ID_INVALID');
      expect(e.message, String(raw)).toMatch(message);
      expect(e.message).not.toMatch(/required/);
    }
  });

  it('isIncidentId is the same grammar', () => {
    for (const bad of ['', 'INC/7', '-INC', 'a'.repeat(65)]) expect(isIncidentId(bad), bad).toBe(false);
  });

  it('null is absent like undefined; a non-string is invalid, whatever the field is called', () => {
    expect(refusal(null).code).toBe('INCIDENT_ID_MISSING');
    expect(parseIncidentId(null)).toBeNull();
    expect(() => parseIncidentId({ id: 'INC-7' })).toThrow(/^incident-id must be text \(letters, digits and \. _ : # -, starting with a letter or digit, at most 64 characters\)$/);
    expect(refusal('   ').message).toBe('incident is required: name the incident this run belongs to (e.g. INC-2026-11-22-checkout)');
  });

  it('quotes a bad id whole up to 40 characters and clipped beyond, with the rule', () => {
    const forty = `INC/${'a'.repeat(36)}`;
    expect(refusal(forty).message).toBe(`incident "${forty}" contains "/", which an incident id may not hold; an incident id is letters, digits and . _ : # -, starting with a letter or digit, at most 64 characters`);
    const fortyOne = `${forty}b`;
    expect(refusal(fortyOne).message).toMatch(new RegExp(`^incident "${forty.replace('/', '\\/')}…" contains "/"`));
  });

  it('names printable characters as themselves and the rest by code point, at both ends of printable ASCII', () => {
    expect(refusal('INC!7').message).toMatch(/contains "!"/);
    expect(refusal('INC~7').message).toMatch(/contains "~"/);
    expect(refusal('INC\u007f7').message).toMatch(/contains the character U\+007F,/);
    expect(refusal('INC\u00017').message).toMatch(/contains the character U\+0001,/);
    expect(refusal('INC\u{1F525}7').message).toMatch(/contains the character U\+1F525,/);
    expect(refusal('.INC').message).toMatch(/starts with "\."/);
  });
});
