import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addBusinessDays, addCivilDays, addCivilDaysIn, addCivilMonthsIn, addDays, addHours, addMonths, addUsBusinessDays, assertTimeZone, brazilNationalHolidays, civilDateIn, civilKey, daysInMonth, describeZone, easterSunday, endOfDayIn, fixedOffsetMinutes, isBrazilBusinessDay, isLeapYear, isUsBusinessDay, isUsFederalHoliday, usFederalHolidays, weekday, zonedParts, zonedTimeToUtc } from './calendar.js';

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

describe('calendar arithmetic, exactly', () => {
  it('hours and days are exact multiples of the hour and the day', () => {
    const t = new Date('2026-11-22T08:15:30.250Z');
    expect(addHours(t, 72).toISOString()).toBe('2026-11-25T08:15:30.250Z');
    expect(addHours(t, -1).toISOString()).toBe('2026-11-22T07:15:30.250Z');
    expect(addDays(t, 60).toISOString()).toBe('2027-01-21T08:15:30.250Z');
  });

  it('months: backwards, across years, keeping the time of day to the millisecond', () => {
    expect(addMonths(new Date('2026-03-31T23:59:58.999Z'), -1).toISOString()).toBe('2026-02-28T23:59:58.999Z');
    expect(addMonths(new Date('2026-01-15T01:02:03.004Z'), -13).toISOString()).toBe('2024-12-15T01:02:03.004Z');
    expect(addMonths(new Date('2026-11-30T12:00:00Z'), 15).toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(addMonths(new Date('2026-05-31T12:00:00Z'), 12).toISOString()).toBe('2027-05-31T12:00:00.000Z');
    expect(daysInMonth(2024, 1)).toBe(29);
    expect(daysInMonth(2026, 11)).toBe(31);
  });

  it('leap years: every 4th, not every 100th, every 400th', () => {
    expect([2024, 2023, 2000, 1900, 2100, 2400].map(isLeapYear)).toEqual([true, false, true, false, false, true]);
  });

  it('civil dates and wall clocks in a zone, never the host zone', () => {
    expect(zonedParts(new Date('2026-11-23T00:30:45Z'), 'Europe/Berlin')).toEqual({ year: 2026, month: 11, day: 23, hour: 1, minute: 30, second: 45, millisecond: 0 });
    expect(zonedParts(new Date('2026-11-22T23:00:00Z'), 'Europe/Berlin')).toEqual({ year: 2026, month: 11, day: 23, hour: 0, minute: 0, second: 0, millisecond: 0 });
    expect(civilDateIn(new Date('2026-11-23T03:00:00Z'), 'America/Los_Angeles')).toEqual({ year: 2026, month: 11, day: 22 });
    expect(civilDateIn(new Date('2026-11-23T03:00:00Z'), 'Asia/Tokyo')).toEqual({ year: 2026, month: 11, day: 23 });
    expect(civilKey({ year: 2026, month: 3, day: 9 })).toBe('2026-03-09');
    expect(addCivilDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(weekday({ year: 2026, month: 11, day: 22 })).toBe(0);
    expect(() => assertTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => assertTimeZone('Asia/Kolkata')).not.toThrow();
  });

  it('end of day is 23:59:59.999 local, on DST days and in half-hour zones; a skipped hour takes the later offset', () => {
    expect(endOfDayIn({ year: 2026, month: 3, day: 8 }, 'America/New_York').toISOString()).toBe('2026-03-09T03:59:59.999Z');
    expect(endOfDayIn({ year: 2026, month: 11, day: 1 }, 'America/New_York').toISOString()).toBe('2026-11-02T04:59:59.999Z');
    expect(endOfDayIn({ year: 2026, month: 11, day: 22 }, 'Asia/Kolkata').toISOString()).toBe('2026-11-22T18:29:59.999Z');
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 8 }, 2, 30, 'America/New_York').toISOString()).toBe('2026-03-08T06:30:00.000Z');
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 22 }, 9, 0, 'Asia/Kolkata').toISOString()).toBe('2026-11-22T03:30:00.000Z');
  });

  it('holiday lists whole, in date order, for years with observed shifts at both ends', () => {
    expect(usFederalHolidays(2022).map(civilKey)).toEqual(['2022-01-17', '2022-02-21', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-10-10', '2022-11-11', '2022-11-24', '2022-12-26']);
    expect(usFederalHolidays(2021).map(civilKey)).toEqual(['2021-01-01', '2021-01-18', '2021-02-15', '2021-05-31', '2021-06-18', '2021-07-05', '2021-09-06', '2021-10-11', '2021-11-11', '2021-11-25', '2021-12-24', '2021-12-31']);
    expect(usFederalHolidays(2020).map(civilKey)).toEqual(['2020-01-01', '2020-01-20', '2020-02-17', '2020-05-25', '2020-07-03', '2020-09-07', '2020-10-12', '2020-11-11', '2020-11-26', '2020-12-25']);
    expect(isUsFederalHoliday({ year: 2021, month: 12, day: 31 })).toBe(true);
    expect(isUsFederalHoliday({ year: 2021, month: 12, day: 30 })).toBe(false);
    expect(isUsBusinessDay({ year: 2026, month: 11, day: 29 })).toBe(false);
    expect(addUsBusinessDays({ year: 2026, month: 11, day: 28 }, 0)).toEqual({ year: 2026, month: 11, day: 28 });
  });
});

// Issue 10 §2: "within N days" and "one month" are civil periods in the governing zone; across a
// daylight-saving change they are not N × 24 h (Regulation 1182/71 Art. 3; 45 CFR §164.404(b) "calendar days").
describe('civil periods in a zone', () => {
  it('30 days across the US spring-forward keeps the wall clock: 23:30 PST 1 March → 23:30 PDT 31 March, not 00:30 on 1 April', () => {
    const t = new Date('2026-03-01T23:30:00-08:00');
    expect(addCivilDaysIn(t, 30, 'America/Los_Angeles').toISOString()).toBe('2026-04-01T06:30:00.000Z');
    expect(addDays(t, 30).toISOString()).toBe('2026-04-01T07:30:00.000Z');
  });
  it('60 days across the fall-back keeps the wall clock too (an hour later in UTC than 60 × 24 h)', () => {
    expect(addCivilDaysIn(new Date('2026-10-15T09:00:00-04:00'), 60, 'America/New_York').toISOString()).toBe('2026-12-14T14:00:00.000Z');
  });
  it('a month in Europe/Berlin across the October change: 29 Sep 00:30 CEST → 29 Oct 00:30 CET', () => {
    expect(addCivilMonthsIn(new Date('2026-09-28T22:30:00Z'), 1, 'Europe/Berlin').toISOString()).toBe('2026-10-28T23:30:00.000Z');
    // In UTC months the same instant is 28 Sep + 1 month = 28 Oct 22:30Z, the previous Berlin day.
    expect(addMonths(new Date('2026-09-28T22:30:00Z'), 1).toISOString()).toBe('2026-10-28T22:30:00.000Z');
  });
  it('month ends clamp in the zone, not in UTC: 31 Jan 20:00 in Los Angeles + 1 month = 28 Feb 20:00 there', () => {
    expect(addCivilMonthsIn(new Date('2026-02-01T04:00:00Z'), 1, 'America/Los_Angeles').toISOString()).toBe('2026-03-01T04:00:00.000Z');
    expect(addCivilMonthsIn(new Date('2026-11-30T12:00:00Z'), 15, 'UTC').toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(addCivilMonthsIn(new Date('2026-03-31T12:00:00Z'), -1, 'UTC').toISOString()).toBe('2026-02-28T12:00:00.000Z');
  });
  it('a wall time that repeats when clocks go back is read as its first occurrence; one that is skipped, with the later offset', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 11, day: 1 }, 1, 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(addCivilDaysIn(new Date('2026-10-31T01:30:00-04:00'), 1, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(addCivilDaysIn(new Date('2026-03-07T02:30:00-05:00'), 1, 'America/New_York').toISOString()).toBe('2026-03-08T06:30:00.000Z');
  });
  it('fixed offsets (from a timestamp) count civil days without DST; seconds and milliseconds survive', () => {
    expect(zonedParts(new Date('2026-12-31T04:00:00.123Z'), '-08:00')).toEqual({ year: 2026, month: 12, day: 30, hour: 20, minute: 0, second: 0, millisecond: 123 });
    expect(addCivilDaysIn(new Date('2026-03-01T23:30:15.250-08:00'), 30, '-08:00').toISOString()).toBe('2026-04-01T07:30:15.250Z');
    expect(civilDateIn(new Date('2027-01-01T04:00:00Z'), '-08:00')).toEqual({ year: 2026, month: 12, day: 31 });
    expect(endOfDayIn({ year: 2026, month: 12, day: 31 }, '+05:30').toISOString()).toBe('2026-12-31T18:29:59.999Z');
    expect(fixedOffsetMinutes('+05:30')).toBe(330);
    expect(fixedOffsetMinutes('Europe/Berlin')).toBeUndefined();
    expect(describeZone('-08:00')).toBe('UTC-08:00 (fixed offset)');
    expect(() => assertTimeZone('+19:00')).toThrow(RangeError);
    expect(() => assertTimeZone('-08:00')).not.toThrow();
  });
});

describe('Brazilian business days (Resolução CD/ANPD nº 15/2024 Art. 6: três dias úteis)', () => {
  it('Easter and Good Friday', () => {
    expect(civilKey(easterSunday(2026))).toBe('2026-04-05');
    expect(civilKey(easterSunday(2027))).toBe('2027-03-28');
    expect(civilKey(easterSunday(2000))).toBe('2000-04-23');
  });
  it('national holidays of 2026, with Black Consciousness Day (Lei 14.759/2023) and without it before 2024', () => {
    expect(brazilNationalHolidays(2026).map(civilKey)).toEqual(['2026-01-01', '2026-04-03', '2026-04-21', '2026-05-01', '2026-09-07', '2026-10-12', '2026-11-02', '2026-11-15', '2026-11-20', '2026-12-25']);
    expect(brazilNationalHolidays(2023).map(civilKey)).not.toContain('2023-11-20');
  });
  it('three business days from Thursday 19 Nov 2026 skip Friday 20 Nov (holiday) and the weekend: Wednesday 25 Nov', () => {
    expect(civilKey(addBusinessDays({ year: 2026, month: 11, day: 19 }, 3, isBrazilBusinessDay))).toBe('2026-11-25');
    expect(isBrazilBusinessDay({ year: 2026, month: 4, day: 3 })).toBe(false);
    expect(isBrazilBusinessDay({ year: 2026, month: 2, day: 16 })).toBe(true); // Carnival Monday: ponto facultativo, counted
  });
});

describe('zone offsets (cached per minute) agree with Intl for any instant', () => {
  it('property: wall-clock parts equal Intl.DateTimeFormat parts, across DST changes and half-hour zones', () => {
    const zones = ['America/Los_Angeles', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(...zones), (t, zone) => {
        const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(t);
        const get = (type: string): number => Number(parts.find((p) => p.type === type)!.value);
        expect(zonedParts(t, zone)).toEqual({ year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second'), millisecond: t.getUTCMilliseconds() });
      }),
      { numRuns: 500 },
    );
  });
});
