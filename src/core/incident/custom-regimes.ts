import type { CustomRegime } from '../config/sections/incident.js';
import type { Obligation } from './clock.js';
import type { IncidentFacts } from './facts.js';
import { anchorTime, anchorWords, anchorsFromFacts, periodDue } from './periods.js';

/**
 * Custom regimes from config ("notify the school within 48 h", "the insurer within 3 business
 * days of declaration", "the board 2 business days after the regulator was notified"): hours,
 * calendar days or business days on a holiday calendar, from any recorded fact. A regime whose
 * starting fact has not happened yet gives a note, not an invented deadline.
 */
export function customObligations(regimes: readonly CustomRegime[], facts: IncidentFacts, zone: string): { obligations: Obligation[]; notes: string[] } {
  const obligations: Obligation[] = [];
  const notes: string[] = [];
  const cats = new Set(facts.data_categories.map((c) => c.toLowerCase()));
  const anchors = anchorsFromFacts(facts);
  for (const c of regimes) {
    const whenCats = c.when.data_categories ?? [];
    const whenSev = c.when.severities ?? [];
    const unconditional = whenCats.length === 0 && whenSev.length === 0;
    const catHit = whenCats.find((x) => cats.has(x.toLowerCase()));
    const sevHit = facts.severity !== undefined && whenSev.includes(facts.severity) ? facts.severity : undefined;
    if (!unconditional && catHit === undefined && sevHit === undefined) continue;
    const why = unconditional ? 'always' : catHit !== undefined ? `data category "${catHit}"` : `severity ${sevHit}`;
    const start = anchorTime(c.from, anchors);
    if (start === undefined) {
      notes.push(`${c.id} (${c.recipient}): the clock starts at ${anchorWords(c.from)}, which is not recorded yet.`);
      continue;
    }
    const p = periodDue(start, c, zone);
    obligations.push({
      id: c.id,
      recipient: c.recipient,
      due: p.due.toISOString(),
      basis: { rule: `Within ${p.text} of ${anchorWords(c.from)}${c.from === 'discovery' ? '' : ` (${start})`} (applies: ${why})`, source: c.source, zone: c.timezone ?? zone },
      owner: c.owner,
    });
  }
  return { obligations, notes };
}
