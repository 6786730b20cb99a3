import { describe, expect, it } from 'vitest';
import { addMonths, addUsBusinessDays, civilKey, isUsBusinessDay, usFederalHolidays, zonedTimeToUtc } from './calendar.js';

describe('US federal holidays (5 U.S.C. 6103)', () => {
  it('2026 as observed', () => {
    expect(usFederalHolidays(2026).map(civilKey)).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
  });
  it('New Year on a Saturday is observed on 31 December of the year before; none before Juneteenth existed', () => {
    expect(usFederalHolidays(2021).map(civilKey)).toContain('2021-12-31');
    expect(usFederalHolidays(2022).map(civilKey)).not.toContain('2022-01-01');
    expect(usFederalHolidays(2020).map(civilKey)).not.toContain('2020-06-19');
  });
  it('a Sunday holiday is observed on the Monday after, a Saturday one on the Friday before (5 U.S.C. 6103(b), OPM)', () => {
    // Sundays: Independence Day 2021, Juneteenth 2022, Christmas 2022, New Year 2023.
    expect(usFederalHolidays(2021).map(civilKey)).toEqual(expect.arrayContaining(['2021-07-05']));
    expect(usFederalHolidays(2021).map(civilKey)).not.toContain('2021-07-04');
    expect(usFederalHolidays(2022).map(civilKey)).toEqual(expect.arrayContaining(['2022-06-20', '2022-12-26']));
    expect(usFederalHolidays(2023).map(civilKey)).toEqual(expect.arrayContaining(['2023-01-02']));
    expect(usFederalHolidays(2023).map(civilKey)).not.toContain('2023-01-01');
    // Saturdays: Christmas 2021 → Friday 24th, Veterans Day 2023 → Friday 10th, Independence Day 2026 → Friday 3rd.
    expect(usFederalHolidays(2021).map(civilKey)).toEqual(expect.arrayContaining(['2021-12-24']));
    expect(usFederalHolidays(2023).map(civilKey)).toEqual(expect.arrayContaining(['2023-11-10']));
    expect(isUsBusinessDay({ year: 2022, month: 12, day: 26 })).toBe(false);
    expect(isUsBusinessDay({ year: 2023, month: 11, day: 10 })).toBe(false);
    expect(isUsBusinessDay({ year: 2023, month: 11, day: 13 })).toBe(true);
  });
  it('the SEC clock counts past an observed Monday holiday: 4 business days from Friday 2022-12-23 is Friday 2022-12-30', () => {
    // Sat 24, Sun 25, Mon 26 (Christmas observed) are skipped: Tue 27, Wed 28, Thu 29, Fri 30.
    expect(civilKey(addUsBusinessDays({ year: 2022, month: 12, day: 23 }, 4))).toBe('2022-12-30');
    expect(civilKey(addUsBusinessDays({ year: 2022, month: 12, day: 30 }, 1))).toBe('2023-01-03');
  });
  it('business days skip weekends and holidays', () => {
    expect(isUsBusinessDay({ year: 2026, month: 11, day: 26 })).toBe(false);
    expect(isUsBusinessDay({ year: 2026, month: 11, day: 28 })).toBe(false);
    expect(civilKey(addUsBusinessDays({ year: 2026, month: 12, day: 23 }, 4))).toBe('2026-12-30');
  });
});

describe('months and zones', () => {
  it('clamps to the month end, including leap years', () => {
    expect(addMonths(new Date('2026-01-31T10:00:00Z'), 1).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(addMonths(new Date('2024-01-31T10:00:00Z'), 1).toISOString()).toBe('2024-02-29T10:00:00.000Z');
    expect(addMonths(new Date('2026-12-15T00:00:00Z'), 1).toISOString()).toBe('2027-01-15T00:00:00.000Z');
  });
  it('wall-clock to UTC across DST', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 9 }, 17, 30, 'America/New_York').toISOString()).toBe('2026-03-09T21:30:00.000Z');
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 6 }, 17, 30, 'America/New_York').toISOString()).toBe('2026-03-06T22:30:00.000Z');
  });
});
