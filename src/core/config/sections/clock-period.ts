import * as z from 'zod/mini';
import { HOLIDAY_CALENDARS, isCivilDate } from '../../incident/business-days.js';

/**
 * The period of a custom regime or an internal clock: how long (hours, calendar days or business
 * days on a holiday calendar, in a time zone) counted from which fact. Shared by
 * `incident.regimes.custom[]` and `incident.own_clocks[]` so both read the same way.
 */

/**
 * Facts a clock can start from. `sent:<obligation id>` starts when that notification was sent
 * (e.g. "brief the board 2 business days after the regulator was notified").
 */
export const CLOCK_ANCHORS = ['discovery', 'declaration', 'resolution', 'breach_determination', 'materiality'] as const;
export const ANCHOR_PATTERN = /^(?:discovery|declaration|resolution|breach_determination|materiality|sent:[A-Za-z0-9][A-Za-z0-9-]*)$/;

const validZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const holidaysSection = z.strictObject({
  /** `us-federal` (5 U.S.C. 6103, as observed) or `none`; `dates` add to it. */
  calendar: z._default(z.enum(HOLIDAY_CALENDARS), 'none'),
  dates: z._default(z.array(z.string().check(z.refine(isCivilDate, { message: 'must be a real date, YYYY-MM-DD' }))), []),
});

export function periodFields<A extends string>(defaultFrom: A) {
  return {
    within_hours: z.optional(z.number().check(z.positive())),
    /** Calendar days, counted on the wall clock of `timezone` (a DST change does not move the hour). */
    within_days: z.optional(z.int().check(z.positive())),
    /** Monday–Friday less `holidays`; ends at the end of the last business day in `timezone`. */
    within_business_days: z.optional(z.int().check(z.positive())),
    from: z._default(z.string().check(z.regex(ANCHOR_PATTERN, `one of ${CLOCK_ANCHORS.join(', ')} or sent:<obligation id>`)), defaultFrom as string),
    holidays: z.prefault(holidaysSection, {}),
    /** IANA zone for days and business days; `incident.timezone` when absent. */
    timezone: z.optional(z.string().check(z.refine(validZone, { message: 'unknown IANA time zone' }))),
  };
}

export interface PeriodSpec {
  within_hours?: number | undefined;
  within_days?: number | undefined;
  within_business_days?: number | undefined;
  from: string;
  holidays: { calendar: (typeof HOLIDAY_CALENDARS)[number]; dates: string[] };
  timezone?: string | undefined;
}

/** Exactly one length: a clock with two would have two deadlines. */
type Lengths = { within_hours?: number | undefined; within_days?: number | undefined; within_business_days?: number | undefined };

export const onePeriod = z.refine<Lengths>(
  (p) => [p.within_hours, p.within_days, p.within_business_days].filter((v) => v !== undefined).length === 1,
  { message: 'give exactly one of within_hours, within_days, within_business_days' },
);
