import { addCivilDays, civilDateIn, civilKey, endOfDayIn, usFederalHolidays, weekday, type CivilDate } from './calendar.js';

/**
 * Business-day arithmetic for internal clocks and custom regimes: "within 5 business days" counts
 * working days on a holiday calendar, in the time zone of the office that keeps the clock. The
 * start day is day 0 (whatever kind of day it is) and the period ends at the end of the n-th
 * business day after it, local time — the reading of "within N business days" that gives the
 * responder the whole last day. Zone offsets come from Intl (calendar.ts), never the host zone.
 */

/** Built-in calendars; anything else is a list of dates in config. */
export const HOLIDAY_CALENDARS = ['none', 'us-federal'] as const;
export type HolidayCalendarName = (typeof HOLIDAY_CALENDARS)[number];

export interface HolidayCalendar {
  /** Shown in an obligation's basis, e.g. `us-federal + 2 dates`. */
  name: string;
  isHoliday(d: CivilDate): boolean;
}

export interface HolidaySpec {
  calendar: HolidayCalendarName;
  /** Extra non-working dates, `YYYY-MM-DD` (company shutdowns, regional holidays). */
  dates: readonly string[];
}

export function holidayCalendar(spec: HolidaySpec): HolidayCalendar {
  const extra = new Set(spec.dates);
  const years = new Map<number, Set<string>>();
  const builtIn = (d: CivilDate): boolean => {
    if (spec.calendar !== 'us-federal') return false;
    let set = years.get(d.year);
    if (!set) {
      set = new Set(usFederalHolidays(d.year).map(civilKey));
      years.set(d.year, set);
    }
    return set.has(civilKey(d));
  };
  const name = [spec.calendar === 'none' ? 'no public holidays' : `${spec.calendar} holidays`, ...(extra.size ? [`${extra.size} listed date${extra.size === 1 ? '' : 's'}`] : [])].join(' + ');
  return { name, isHoliday: (d) => extra.has(civilKey(d)) || builtIn(d) };
}

export function isBusinessDay(d: CivilDate, holidays: HolidayCalendar): boolean {
  const w = weekday(d);
  return w !== 0 && w !== 6 && !holidays.isHoliday(d);
}

export interface BusinessDayDue {
  /** The last business day of the period, in the zone. */
  day: CivilDate;
  /** 23:59:59.999 of that day in the zone, as an instant. */
  due: Date;
}

/** The end of the n-th business day after the civil date of `start` in `zone`. */
export function addBusinessDays(start: Date, n: number, zone: string, holidays: HolidayCalendar): BusinessDayDue {
  let day = civilDateIn(start, zone);
  let left = n;
  // A calendar with no business day at all cannot end a period; ten years of searching says so.
  for (let guard = 0; left > 0; guard++) {
    if (guard > 3660) throw new RangeError(`no ${n} business days within ten years on ${holidays.name}`);
    day = addCivilDays(day, 1);
    if (isBusinessDay(day, holidays)) left--;
  }
  return { day, due: endOfDayIn(day, zone) };
}

/** `YYYY-MM-DD` that names a real date (no 31 June, no 29 February in a common year). */
export function isCivilDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
