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
  formatterFor(zone);
}

/** Wall-clock parts of an instant in a zone. */
export function zonedParts(t: Date, zone: string): CivilDate & { hour: number; minute: number; second: number } {
  const parts = formatterFor(zone).formatToParts(t);
  // Stryker disable next-line OptionalChaining: formatToParts always yields every part the formatter was built with.
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

export function civilDateIn(t: Date, zone: string): CivilDate {
  const p = zonedParts(t, zone);
  return { year: p.year, month: p.month, day: p.day };
}

/** The instant a wall-clock time happens in a zone (for a skipped DST hour: the later offset). */
export function zonedTimeToUtc(d: CivilDate, hour: number, minute: number, zone: string): Date {
  const guess = Date.UTC(d.year, d.month - 1, d.day, hour, minute);
  let t = guess;
  // Two passes converge for every real zone (offset changes at most once near the target).
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(t), zone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    t = t - (asUtc - guess);
  }
  return new Date(t);
}

/** Last instant of a civil date in a zone: 23:59:59.999 local. */
export function endOfDayIn(d: CivilDate, zone: string): Date {
  return new Date(zonedTimeToUtc(addCivilDays(d, 1), 0, 0, zone).getTime() - 1);
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
  let cur = d;
  let left = n;
  while (left > 0) {
    cur = addCivilDays(cur, 1);
    if (isUsBusinessDay(cur)) left--;
  }
  return cur;
}
