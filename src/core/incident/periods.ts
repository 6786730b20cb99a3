import type { PeriodSpec } from '../config/sections/clock-period.js';
import { addBusinessDays, holidayCalendar } from './business-days.js';
import { addCivilDays, civilKey, zonedParts, zonedTimeToUtc } from './calendar.js';
import type { IncidentFacts } from './facts.js';

/**
 * When a configured period (custom regime or internal clock) starts and ends. A clock whose
 * starting fact has not happened yet (no resolution, notification not sent) has no due time: the
 * caller says so in a note instead of inventing one.
 */

/** The facts a period can start from, as instants (ISO UTC) or undefined when not yet known. */
export interface ClockAnchors {
  discovery: string;
  declaration?: string | undefined;
  resolution?: string | undefined;
  breach_determination?: string | undefined;
  materiality?: string | undefined;
  sent: Readonly<Record<string, string>>;
}

export function anchorsFromFacts(facts: IncidentFacts, extra: { declaredAt?: string | undefined; resolvedAt?: string | undefined } = {}): ClockAnchors {
  return {
    discovery: facts.discovered_at,
    declaration: extra.declaredAt ?? facts.declared_at,
    resolution: extra.resolvedAt ?? facts.resolved_at,
    breach_determination: facts.breach_determined_at,
    materiality: facts.materiality_determined_at,
    sent: facts.submitted,
  };
}

const WORDS: Record<string, string> = {
  discovery: 'discovery',
  declaration: 'declaration',
  resolution: 'resolution',
  breach_determination: 'breach determination',
  materiality: 'the materiality determination',
};

/** Human name of a starting fact, e.g. `resolution`, `notification gdpr-authority sent`. */
export function anchorWords(from: string): string {
  return from.startsWith('sent:') ? `notification ${from.slice(5)} sent` : (WORDS[from] ?? from);
}

export function anchorTime(from: string, anchors: ClockAnchors): string | undefined {
  if (from.startsWith('sent:')) return anchors.sent[from.slice(5)];
  switch (from) {
    case 'discovery':
      return anchors.discovery;
    case 'declaration':
      return anchors.declaration;
    case 'resolution':
      return anchors.resolution;
    case 'breach_determination':
      return anchors.breach_determination;
    case 'materiality':
      return anchors.materiality;
    default:
      return undefined;
  }
}

export interface PeriodDue {
  due: Date;
  /** e.g. `5 business days (Europe/Berlin, no public holidays + 1 listed date), to the end of 2026-12-01`. */
  text: string;
}

export function periodDue(startIso: string, p: PeriodSpec, defaultZone: string): PeriodDue {
  const start = new Date(startIso);
  const zone = p.timezone ?? defaultZone;
  if (p.within_business_days !== undefined) {
    const cal = holidayCalendar(p.holidays);
    const r = addBusinessDays(start, p.within_business_days, zone, cal);
    return { due: r.due, text: `${p.within_business_days} business days (${zone}, ${cal.name}), to the end of ${civilKey(r.day)}` };
  }
  if (p.within_days !== undefined) {
    // Same wall-clock time n days later in the zone, so a DST change in between moves no deadline by an hour.
    const w = zonedParts(start, zone);
    const day = addCivilDays({ year: w.year, month: w.month, day: w.day }, p.within_days);
    const due = new Date(zonedTimeToUtc(day, w.hour, w.minute, zone).getTime() + w.second * 1000 + start.getUTCMilliseconds());
    return { due, text: `${p.within_days} calendar days (${zone})` };
  }
  const h = p.within_hours!;
  return { due: new Date(start.getTime() + h * 3_600_000), text: `${h} h` };
}
