import { describe, expect, it } from 'vitest';
import { incidentSection } from '../config/sections/incident.js';
import { addBusinessDays, holidayCalendar, isCivilDate } from './business-days.js';
import { computeObligations } from './clock.js';
import { parseFacts } from './facts.js';

/**
 * Issue 10 §5, last bullet: custom regimes count business days on a holiday calendar and start from
 * any fact. Sources: seed 002 Step 5 ("File the post-mortem within 5 business days"), 5 U.S.C.
 * 6103(a) (federal holidays, as observed), and the business-day reading "day 0 is the start day,
 * the period ends at the end of the n-th business day".
 */

const cfg = (custom: unknown[], timezone = 'UTC') => incidentSection.parse({ timezone, regimes: { custom } });
const obligation = (custom: unknown[], facts: Record<string, unknown>, timezone = 'UTC') => computeObligations(parseFacts(facts), cfg(custom, timezone));

describe('business days with a holiday calendar (5 U.S.C. 6103(a); seed 002 "within 5 business days")', () => {
  it('skips the weekend and Thanksgiving 2026 in the office zone, not in UTC', () => {
    // 22:00 on Wednesday 25 Nov in Los Angeles is already Thursday (Thanksgiving) in UTC.
    const r = obligation(
      [{ id: 'insurer', recipient: 'Cyber insurer', within_business_days: 5, holidays: { calendar: 'us-federal' }, timezone: 'America/Los_Angeles', source: 'Policy §4.2' }],
      { discovered_at: '2026-11-25T22:00:00-08:00' },
    );
    // Thu 26 holiday; Fri 27 (1), Mon 30 (2), Tue 1 (3), Wed 2 (4), Thu 3 Dec (5): end of day PST.
    expect(r.obligations).toEqual([
      {
        id: 'insurer',
        recipient: 'Cyber insurer',
        due: '2026-12-04T07:59:59.999Z',
        basis: { rule: 'Within 5 business days (America/Los_Angeles, us-federal holidays), to the end of 2026-12-03 of discovery (applies: always)', source: 'Policy §4.2', zone: 'America/Los_Angeles' },
        owner: 'incident_commander',
      },
    ]);
  });

  it('listed dates are holidays too (a company shutdown between Christmas and New Year)', () => {
    const r = obligation(
      [{ id: 'board', recipient: 'Board', within_business_days: 2, holidays: { dates: ['2026-12-24', '2026-12-25', '2026-12-28'] }, timezone: 'Europe/Berlin', source: 'Bylaws §9' }],
      { discovered_at: '2026-12-23T16:00:00+01:00' },
    );
    // 24, 25 listed; 26/27 weekend; 28 listed; 29 (1); 30 (2) → end of 30 Dec in Berlin (CET, +01:00).
    expect(r.obligations[0]!.due).toBe('2026-12-30T22:59:59.999Z');
    expect(r.obligations[0]!.basis.rule).toContain('no public holidays + 3 listed dates');
  });

  it('the start day is day 0 even when it is a holiday or a weekend', () => {
    const cal = holidayCalendar({ calendar: 'us-federal', dates: [] });
    // Saturday 4 July 2026 (observed Friday 3 July): one business day later is Monday 6 July.
    expect(addBusinessDays(new Date('2026-07-04T12:00:00Z'), 1, 'UTC', cal).day).toEqual({ year: 2026, month: 7, day: 6 });
    expect(addBusinessDays(new Date('2026-07-02T12:00:00Z'), 1, 'UTC', cal).day).toEqual({ year: 2026, month: 7, day: 6 });
  });

  it('calendar days are counted on the wall clock across a DST change (America/New_York, 8 March 2026)', () => {
    const r = obligation([{ id: 'partner', recipient: 'Partner', within_days: 30, timezone: 'America/New_York', source: 'DPA §7' }], { discovered_at: '2026-03-01T10:00:00-05:00' });
    // 10:00 EDT on 31 March = 14:00 UTC; 30 × 24 h would say 15:00 UTC (11:00 EDT).
    expect(r.obligations[0]!.due).toBe('2026-03-31T14:00:00.000Z');
  });
});

describe('custom regimes start from any fact', () => {
  const insurer = (from: string) => [{ id: 'insurer', recipient: 'Insurer', within_hours: 24, from, source: 'Policy §4' }];

  it('from declaration and from resolution (issue 10 §5)', () => {
    const facts = { discovered_at: '2026-11-22T08:00:00Z', declared_at: '2026-11-22T09:00:00Z', resolved_at: '2026-11-23T18:30:00Z' };
    expect(obligation(insurer('declaration'), facts).obligations[0]!.due).toBe('2026-11-23T09:00:00.000Z');
    const r = obligation(insurer('resolution'), facts).obligations[0]!;
    expect(r.due).toBe('2026-11-24T18:30:00.000Z');
    expect(r.basis.rule).toBe('Within 24 h of resolution (2026-11-23T18:30:00.000Z) (applies: always)');
  });

  it('from a notification sent: counts from the real submission time', () => {
    const custom = [{ id: 'board-brief', recipient: 'Board', within_business_days: 2, from: 'sent:gdpr-authority', source: 'Governance §3' }];
    const sent = obligation(custom, { discovered_at: '2026-11-20T08:00:00Z', submitted: { 'gdpr-authority': '2026-11-20T17:00:00Z' } });
    // Friday 20 Nov → Mon 23 (1), Tue 24 (2): end of Tuesday UTC.
    expect(sent.obligations.map((o) => [o.id, o.due])).toEqual([['board-brief', '2026-11-24T23:59:59.999Z']]);
  });

  it('a fact not recorded yet gives a note and no invented deadline', () => {
    const r = obligation(insurer('resolution'), { discovered_at: '2026-11-22T08:00:00Z' });
    expect(r.obligations).toEqual([]);
    expect(r.notes).toEqual(['insurer (Insurer): the clock starts at resolution, which is not recorded yet.']);
    const s = obligation([{ id: 'x', recipient: 'X', within_hours: 1, from: 'sent:nis2-notification', source: 's' }], { discovered_at: '2026-11-22T08:00:00Z' });
    expect(s.notes).toEqual(['x (X): the clock starts at notification nis2-notification sent, which is not recorded yet.']);
  });

  it('hours from discovery keep the old wording and due time', () => {
    const r = obligation([{ id: 'school', recipient: 'School', within_hours: 48, source: 'Seed 000 §7' }], { discovered_at: '2026-11-22T08:00:00Z' });
    expect(r.obligations[0]).toMatchObject({ due: '2026-11-24T08:00:00.000Z', basis: { rule: 'Within 48 h of discovery (applies: always)' } });
  });
});

describe('custom regime config is refused when it cannot mean one deadline', () => {
  const bad = (regime: Record<string, unknown>) => incidentSection.safeParse({ regimes: { custom: [{ id: 'r', recipient: 'R', source: 's', ...regime }] } });
  const message = (regime: Record<string, unknown>) => {
    const r = bad(regime);
    expect(r.success).toBe(false);
    return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };
  it('no length, or two lengths', () => {
    expect(message({})).toContain('give exactly one of within_hours, within_days, within_business_days');
    expect(message({ within_hours: 4, within_business_days: 1 })).toContain('give exactly one of');
  });
  it('an impossible holiday date, an unknown zone, an unknown starting fact', () => {
    expect(message({ within_business_days: 1, holidays: { dates: ['2026-02-30'] } })).toContain('must be a real date');
    expect(message({ within_days: 1, timezone: 'Mars/Olympus' })).toContain('unknown IANA time zone');
    expect(message({ within_hours: 1, from: 'lunch' })).toContain('sent:<obligation id>');
    expect(isCivilDate('2027-02-29')).toBe(false);
    expect(isCivilDate('2028-02-29')).toBe(true);
  });
});
