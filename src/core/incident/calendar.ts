/**
 * Calendar arithmetic for regulatory clocks: hours, calendar days, calendar months (clamped to the
 * month's end), business days on the US federal calendar, and wall-clock dates in an IANA zone.
 * Pure: uses Intl for zone offsets (full ICU ships with Node), never the host's local zone.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function addHours(t: Date, hours: number): Date {
  return new Date(t.getTime() + hours * HOUR);
}

export function addDays(t: Date, days: number): Date {
  return new Date(t.getTime() + days * DAY);
}

/**
 * Adds calendar months in UTC; a day that does not exist in the target month clamps to its last
 * day (31 Jan + 1 month = 28 or 29 Feb), which is how "one month after" is read in EU law
 * (Regulation 1182/71 Art. 3(2)(c): a period ending on a day that does not exist ends on the month's last day).
 */
export function addMonths(t: Date, months: number): Date {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const last = daysInMonth(targetYear, targetMonth);
  const day = Math.min(t.getUTCDate(), last);
  return new Date(Date.UTC(targetYear, targetMonth, day, t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds(), t.getUTCMilliseconds()));
}

export function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** A calendar date (no time, no zone). */
export interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export function civilKey(d: CivilDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

function civilFromUtcDays(days: number): CivilDate {
  const t = new Date(days * DAY);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function utcDays(d: CivilDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY);
}

export function addCivilDays(d: CivilDate, n: number): CivilDate {
  return civilFromUtcDays(utcDays(d) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(d: CivilDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A zone is an IANA name (`Europe/Berlin`) or a fixed UTC offset (`-08:00`, `+05:30`). A fixed
 * offset is what a timestamp tells us when no zone is configured: it does not follow daylight
 * saving time, which is why the clock engine warns when it has to use one.
 */
const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

export function fixedOffsetMinutes(zone: string): number | undefined {
  const m = FIXED_OFFSET.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  // Stryker disable next-line ConditionalExpression: a cache; building a new formatter each time gives the same parts.
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    // Stryker disable next-line all: a cache.
    formatters.set(zone, f);
  }
  return f;
}

/** Throws RangeError for an unknown zone: callers validate config with it. */
export function assertTimeZone(zone: string): void {
  const fixed = fixedOffsetMinutes(zone);
  if (fixed !== undefined) {
    if (Math.abs(fixed) > 18 * 60 || Number(zone.slice(4)) > 59) throw new RangeError(`Invalid time zone offset: ${zone}`);
    return;
  }
  formatterFor(zone);
}

export interface WallTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Wall-clock parts of an instant in a zone. */
export function zonedParts(t: Date, zone: string): WallTime {
  const fixed = fixedOffsetMinutes(zone);
  if (fixed !== undefined) {
    const s = new Date(t.getTime() + fixed * 60_000);
    return { year: s.getUTCFullYear(), month: s.getUTCMonth() + 1, day: s.getUTCDate(), hour: s.getUTCHours(), minute: s.getUTCMinutes(), second: s.getUTCSeconds(), millisecond: s.getUTCMilliseconds() };
  }
  const ms = t.getTime();
  const s = new Date(ms + ianaOffset(ms, zone));
  return { year: s.getUTCFullYear(), month: s.getUTCMonth() + 1, day: s.getUTCDate(), hour: s.getUTCHours(), minute: s.getUTCMinutes(), second: s.getUTCSeconds(), millisecond: s.getUTCMilliseconds() };
}

// Zone offsets change only on whole minutes (every tz database transition is at hh:mm:00), so one
// Intl lookup per zone and minute serves every instant in that minute: the engine asks about the
// same few instants many times per call, and Intl is its only slow part.
const offsetCache = new Map<string, number>();

function ianaOffset(ms: number, zone: string): number {
  const minute = Math.floor(ms / 60_000);
  const key = `${zone}|${minute}`;
  let off = offsetCache.get(key);
  if (off === undefined) {
    const at = minute * 60_000;
    const parts = formatterFor(zone).formatToParts(new Date(at));
    // Stryker disable next-line OptionalChaining: formatToParts always yields every part the formatter was built with.
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    off = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second')) - at;
    // Stryker disable next-line all: a bounded cache.
    if (offsetCache.size > 50_000) offsetCache.clear();
    offsetCache.set(key, off);
  }
  return off;
}

export function civilDateIn(t: Date, zone: string): CivilDate {
  const p = zonedParts(t, zone);
  return { year: p.year, month: p.month, day: p.day };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(t: number, zone: string): number {
  const p = zonedParts(new Date(t), zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond) - t;
}

/**
 * The instant a wall-clock time happens in a zone. A time repeated when clocks go back is read as
 * its first (earlier) occurrence, and a time skipped when clocks go forward is read with the later
 * offset (02:30 on the New York spring-forward night is 06:30Z, i.e. 01:30 EST): either way the
 * instant is never later than the wall time the law names.
 */
export function zonedTimeToUtc(d: CivilDate, hour: number, minute: number, zone: string, second = 0, millisecond = 0): Date {
  const wall = Date.UTC(d.year, d.month - 1, d.day, hour, minute, second, millisecond);
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  const candidates = [wall - before, wall - after].filter((t) => t + offsetAt(t, zone) === wall).sort((a, b) => a - b);
  return new Date(candidates[0] ?? wall - after);
}

/** Last instant of a civil date in a zone: 23:59:59.999 local. */
export function endOfDayIn(d: CivilDate, zone: string): Date {
  return new Date(zonedTimeToUtc(addCivilDays(d, 1), 0, 0, zone).getTime() - 1);
}

/**
 * "Within N days": the same wall-clock time N calendar days later in the governing zone. Across a
 * daylight-saving change this differs from N × 24 hours by the change, which is the point: the
 * law counts civil days where the entity or authority is, not hours.
 */
export function addCivilDaysIn(t: Date, days: number, zone: string): Date {
  const p = zonedParts(t, zone);
  return zonedTimeToUtc(addCivilDays(p, days), p.hour, p.minute, zone, p.second, p.millisecond);
}

/** "One month after" in the governing zone, clamped to the month's end (Regulation 1182/71 Art. 3(2)(c)). */
export function addCivilMonthsIn(t: Date, months: number, zone: string): Date {
  const p = zonedParts(t, zone);
  const m = p.month - 1 + months;
  const year = p.year + Math.floor(m / 12);
  const month0 = ((m % 12) + 12) % 12;
  const day = Math.min(p.day, daysInMonth(year, month0));
  return zonedTimeToUtc({ year, month: month0 + 1, day }, p.hour, p.minute, zone, p.second, p.millisecond);
}

/** A readable name for a zone in a basis text: `America/Los_Angeles` or `UTC-08:00 (fixed offset)`. */
export function describeZone(zone: string): string {
  return fixedOffsetMinutes(zone) === undefined ? zone : `UTC${zone} (fixed offset)`;
}

function nthWeekdayOfMonth(year: number, month: number, dow: number, n: number): CivilDate {
  const first = weekday({ year, month, day: 1 });
  const day = 1 + ((dow - first + 7) % 7) + (n - 1) * 7;
  return { year, month, day };
}

function lastWeekdayOfMonth(year: number, month: number, dow: number): CivilDate {
  const lastDay = daysInMonth(year, month - 1);
  const lastDow = weekday({ year, month, day: lastDay });
  return { year, month, day: lastDay - ((lastDow - dow + 7) % 7) };
}

/** Saturday holidays are observed on Friday, Sunday ones on Monday (5 U.S.C. 6103(b), E.O. 11582). */
function observed(d: CivilDate): CivilDate {
  const w = weekday(d);
  if (w === 6) return addCivilDays(d, -1);
  if (w === 0) return addCivilDays(d, 1);
  return d;
}

/**
 * Legal public holidays of 5 U.S.C. 6103(a) as observed, for one year. Juneteenth from 2021.
 * An observed New Year's Day of the next year may fall on 31 December of this one.
 */
export function usFederalHolidays(year: number): CivilDate[] {
  const fixed = (month: number, day: number): CivilDate => observed({ year, month, day });
  const out: CivilDate[] = [
    fixed(1, 1),
    nthWeekdayOfMonth(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekdayOfMonth(year, 2, 1, 3), // Washington's Birthday
    lastWeekdayOfMonth(year, 5, 1), // Memorial Day
    fixed(7, 4),
    nthWeekdayOfMonth(year, 9, 1, 1), // Labor Day
    nthWeekdayOfMonth(year, 10, 1, 2), // Columbus Day
    fixed(11, 11),
    nthWeekdayOfMonth(year, 11, 4, 4), // Thanksgiving
    fixed(12, 25),
  ];
  if (year >= 2021) out.push(fixed(6, 19));
  const nextNewYear = observed({ year: year + 1, month: 1, day: 1 });
  // Stryker disable next-line ConditionalExpression: the year filter below drops it when it falls in the next year.
  if (nextNewYear.year === year) out.push(nextNewYear);
  return out.filter((d) => d.year === year).sort((a, b) => utcDays(a) - utcDays(b));
}

const holidayCache = new Map<number, Set<string>>();

export function isUsFederalHoliday(d: CivilDate): boolean {
  let set = holidayCache.get(d.year);
  // Stryker disable next-line ConditionalExpression: a cache.
  if (!set) {
    set = new Set(usFederalHolidays(d.year).map(civilKey));
    // Stryker disable next-line all: a cache.
    holidayCache.set(d.year, set);
  }
  return set.has(civilKey(d));
}

/** SEC "business day": any day other than Saturday, Sunday or a federal holiday (17 CFR 230.405 / Rule 0-3). */
export function isUsBusinessDay(d: CivilDate): boolean {
  const w = weekday(d);
  return w !== 0 && w !== 6 && !isUsFederalHoliday(d);
}

/** The n-th business day after a date (the date itself is day 0, whatever kind of day it is). */
export function addUsBusinessDays(d: CivilDate, n: number): CivilDate {
  return addBusinessDays(d, n, isUsBusinessDay);
}

export function addBusinessDays(d: CivilDate, n: number, isBusinessDay: (d: CivilDate) => boolean): CivilDate {
  let cur = d;
  let left = n;
  while (left > 0) {
    cur = addCivilDays(cur, 1);
    if (isBusinessDay(cur)) left--;
  }
  return cur;
}

/** Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" algorithm). */
export function easterSunday(year: number): CivilDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/**
 * Brazilian national holidays: Lei 662/1949 as amended by Lei 10.607/2002 (1 Jan, 21 Apr, 1 May,
 * 7 Sep, 2 Nov, 15 Nov, 25 Dec), Lei 6.802/1980 (12 Oct), Lei 14.759/2023 (20 Nov, from 2024) and
 * Good Friday (observed nationwide under Lei 9.093/1995). Carnival and Corpus Christi are only
 * "ponto facultativo" for the federal administration, so they count as business days here: that
 * can only make an ANPD deadline earlier, never later.
 */
export function brazilNationalHolidays(year: number): CivilDate[] {
  const easter = easterSunday(year);
  const fixed: Array<[number, number]> = [[1, 1], [4, 21], [5, 1], [9, 7], [10, 12], [11, 2], [11, 15], [12, 25]];
  if (year >= 2024) fixed.push([11, 20]);
  const out = fixed.map(([month, day]) => ({ year, month, day }));
  out.push(addCivilDays(easter, -2));
  return out.sort((a, b) => utcDays(a) - utcDays(b));
}

const brCache = new Map<number, Set<string>>();

export function isBrazilBusinessDay(d: CivilDate): boolean {
  const w = weekday(d);
  if (w === 0 || w === 6) return false;
  let set = brCache.get(d.year);
  // Stryker disable next-line ConditionalExpression: a cache.
  if (!set) {
    set = new Set(brazilNationalHolidays(d.year).map(civilKey));
    // Stryker disable next-line all: a cache.
    brCache.set(d.year, set);
  }
  return !set.has(civilKey(d));
}
