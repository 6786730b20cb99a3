import type { IncidentConfig, RegimesConfig } from '../config/sections/incident.js';
import { addCivilDays, addDays, addHours, addMonths, addUsBusinessDays, civilDateIn, endOfDayIn, zonedTimeToUtc } from './calendar.js';
import { customObligations } from './custom-regimes.js';
import type { IncidentFacts } from './facts.js';
import { DEFAULT_STATE_RULES } from './us-states.js';

/**
 * The clock engine: incident facts → regulatory obligations with due times. Pure and total: any
 * valid facts give a sorted list (never a throw), and every obligation names its rule and source.
 * Duties that the law states as "without undue delay" get the configured target and say so.
 */

export interface Obligation {
  /** Stable id, e.g. `gdpr-authority`, `hipaa-media-CA`, `state-TX-attorney-general`, or a custom regime's id. */
  id: string;
  recipient: string;
  /** ISO 8601 UTC. */
  due: string;
  basis: { rule: string; source: string };
  /** Roster role responsible (resolved to people by the incident, not here). */
  owner: string;
}

export interface ClockResult {
  obligations: Obligation[];
  /** Things a responder should know that produce no obligation yet (e.g. materiality pending). */
  notes: string[];
}

/** Categories that make a breach a personal-data breach. */
export const PERSONAL_CATEGORIES: readonly string[] = ['personal', 'phi', 'minors', 'special', 'financial'];

const OWNER = { individuals: 'comms_lead', authority: 'compliance_lead', media: 'comms_lead', sec: 'legal' } as const;

export const SEC_ZONE = 'America/New_York';

export function computeObligations(facts: IncidentFacts, config: Pick<IncidentConfig, 'regimes' | 'timezone'>): ClockResult {
  const out: Obligation[] = [];
  const notes: string[] = [];
  const r = config.regimes;
  const discovered = new Date(facts.discovered_at);
  const cats = new Set(facts.data_categories.map((c) => c.toLowerCase()));
  const personal = PERSONAL_CATEGORIES.some((c) => cats.has(c));
  const sent = (id: string): Date | undefined => (facts.submitted[id] ? new Date(facts.submitted[id]!) : undefined);
  const push = (o: Omit<Obligation, 'due'> & { due: Date }): void => void out.push({ ...o, due: o.due.toISOString() });

  if (r.gdpr.enabled && personal && (facts.eu_subjects === true || (typeof facts.eu_subjects === 'number' && facts.eu_subjects > 0))) {
    push({
      id: 'gdpr-authority',
      recipient: 'Lead supervisory authority (GDPR)',
      due: addHours(discovered, 72),
      basis: { rule: 'Without undue delay and, where feasible, not later than 72 hours after becoming aware of the personal data breach (unless unlikely to result in a risk)', source: 'GDPR Art. 33(1)' },
      owner: r.gdpr.owner ?? OWNER.authority,
    });
    if (facts.gdpr_high_risk) {
      push({
        id: 'gdpr-individuals',
        recipient: 'Affected data subjects (GDPR)',
        due: addHours(discovered, r.undue_delay_target_hours),
        basis: { rule: `Without undue delay when the breach is likely to result in a high risk; no fixed deadline — due is the configured target of ${r.undue_delay_target_hours} h after awareness`, source: 'GDPR Art. 34(1)' },
        owner: r.gdpr.owner ?? OWNER.individuals,
      });
    }
  }

  const counts = Object.entries(facts.affected_by_state).sort(([a], [b]) => a.localeCompare(b));
  const total = counts.reduce((s, [, n]) => s + n, 0);

  if (r.hipaa.enabled && cats.has('phi')) {
    push({
      id: 'hipaa-individuals',
      recipient: 'Affected individuals (HIPAA)',
      due: addDays(discovered, 60),
      basis: { rule: 'Without unreasonable delay and in no case later than 60 calendar days after discovery', source: '45 CFR §164.404(b)' },
      owner: r.hipaa.owner ?? OWNER.individuals,
    });
    if (total >= 500 || counts.length === 0) {
      push({
        id: 'hipaa-hhs',
        recipient: 'HHS Secretary (OCR breach portal)',
        due: addDays(discovered, 60),
        basis: {
          rule:
            counts.length === 0
              ? 'Number affected not yet known: assuming 500 or more (the earlier deadline) — contemporaneously with individual notice, within 60 days of discovery'
              : `${total} individuals (500 or more): contemporaneously with individual notice, within 60 days of discovery`,
          source: '45 CFR §164.408(b)',
        },
        owner: r.hipaa.owner ?? OWNER.authority,
      });
    } else {
      const year = civilDateIn(discovered, config.timezone).year;
      const due = endOfDayIn(addCivilDays({ year, month: 12, day: 31 }, 60), config.timezone);
      push({
        id: 'hipaa-hhs',
        recipient: 'HHS Secretary (OCR breach portal)',
        due,
        basis: { rule: `${total} individuals (fewer than 500): log and report within 60 days after the end of calendar year ${year} (${config.timezone})`, source: '45 CFR §164.408(c)' },
        owner: r.hipaa.owner ?? OWNER.authority,
      });
    }
    for (const [st, n] of counts) {
      if (n > 500) {
        push({
          id: `hipaa-media-${st}`,
          recipient: `Prominent media outlets serving ${st}`,
          due: addDays(discovered, 60),
          basis: { rule: `${n} residents of ${st} (more than 500): within 60 calendar days of discovery`, source: '45 CFR §164.406' },
          owner: r.hipaa.owner ?? OWNER.media,
        });
      }
    }
  }

  if (r.us_states.enabled && r.us_states.categories.some((c) => cats.has(c.toLowerCase()))) {
    for (const [st, n] of counts) {
      if (n <= 0) continue;
      stateObligations(st, n, facts, r, discovered, sent, push);
    }
  }

  if (r.sec.enabled && facts.sec_registrant) {
    if (facts.materiality_determined_at) {
      const determined = new Date(facts.materiality_determined_at);
      const day0 = civilDateIn(determined, SEC_ZONE);
      const dueDay = addUsBusinessDays(day0, 4);
      push({
        id: 'sec-8k',
        recipient: 'SEC (Form 8-K Item 1.05 via EDGAR)',
        due: zonedTimeToUtc(dueDay, 17, 30, SEC_ZONE),
        basis: {
          rule: `Within four business days after determining the incident is material (determined ${day0.year}-${pad(day0.month)}-${pad(day0.day)} ET; weekends and US federal holidays skipped); due at 17:30 ET, EDGAR's standard filing-day cut-off`,
          source: 'SEC Form 8-K Item 1.05 and General Instruction B.1; 17 CFR 229.106; Regulation S-T Rule 13',
        },
        owner: r.sec.owner ?? OWNER.sec,
      });
    } else {
      notes.push('SEC registrant: the 8-K Item 1.05 clock starts when materiality is determined, which must happen without unreasonable delay after discovery. Record materiality_determined_at.');
    }
  }

  if (r.nis2.enabled && facts.nis2_entity) {
    const notification = addHours(discovered, 72);
    push({
      id: 'nis2-early-warning',
      recipient: 'CSIRT or competent authority (NIS2 early warning)',
      due: addHours(discovered, 24),
      basis: { rule: 'Early warning without undue delay and in any event within 24 hours of becoming aware of the significant incident', source: 'NIS2 Directive (EU) 2022/2555 Art. 23(4)(a)' },
      owner: r.nis2.owner ?? OWNER.authority,
    });
    push({
      id: 'nis2-notification',
      recipient: 'CSIRT or competent authority (NIS2 incident notification)',
      due: notification,
      basis: { rule: 'Incident notification without undue delay and in any event within 72 hours of becoming aware', source: 'NIS2 Art. 23(4)(b)' },
      owner: r.nis2.owner ?? OWNER.authority,
    });
    const base = sent('nis2-notification');
    push({
      id: 'nis2-final',
      recipient: 'CSIRT or competent authority (NIS2 final report)',
      due: addMonths(base ?? notification, 1),
      basis: { rule: `Final report not later than one month after the incident notification (${base ? 'submitted' : 'counted from its deadline until it is sent'})`, source: 'NIS2 Art. 23(4)(d)' },
      owner: r.nis2.owner ?? OWNER.authority,
    });
  }

  if (r.dora.enabled && facts.dora_entity) {
    if (facts.dora_major_classified_at) {
      const classified = new Date(facts.dora_major_classified_at);
      const fourH = addHours(classified, 4);
      const backstop = addHours(discovered, 24);
      const initial = fourH.getTime() <= backstop.getTime() ? fourH : backstop;
      push({
        id: 'dora-initial',
        recipient: 'Competent authority (DORA initial notification)',
        due: initial,
        basis: {
          rule: `Within 4 hours of classifying the incident as major and no later than 24 hours after becoming aware of it (${initial === fourH ? '4 h after classification' : '24 h after awareness'} is earlier)`,
          source: 'DORA Regulation (EU) 2022/2554 Art. 19(4); Delegated Regulation (EU) 2025/301 Art. 5(1)(a)',
        },
        owner: r.dora.owner ?? OWNER.authority,
      });
      const initialSent = sent('dora-initial');
      const intermediate = addHours(initialSent ?? initial, 72);
      push({
        id: 'dora-intermediate',
        recipient: 'Competent authority (DORA intermediate report)',
        due: intermediate,
        basis: { rule: `Within 72 hours of the initial notification (${initialSent ? 'submitted' : 'counted from its deadline until it is sent'})`, source: 'Delegated Regulation (EU) 2025/301 Art. 5(1)(b)' },
        owner: r.dora.owner ?? OWNER.authority,
      });
      const intermediateSent = sent('dora-intermediate');
      push({
        id: 'dora-final',
        recipient: 'Competent authority (DORA final report)',
        due: addMonths(intermediateSent ?? intermediate, 1),
        basis: { rule: `No later than one month after the latest intermediate report (${intermediateSent ? 'submitted' : 'counted from its deadline until it is sent'})`, source: 'Delegated Regulation (EU) 2025/301 Art. 5(1)(c)' },
        owner: r.dora.owner ?? OWNER.authority,
      });
    } else {
      notes.push('DORA entity: reporting starts once the incident is classified as major (classify without undue delay); record dora_major_classified_at.');
    }
  }

  // Custom regimes: hours, calendar or business days, from any fact (./custom-regimes.ts).
  const custom = customObligations(r.custom, facts, config.timezone);
  out.push(...custom.obligations);
  notes.push(...custom.notes);

  out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id.localeCompare(b.id)));
  return { obligations: out, notes };
}

function stateObligations(
  st: string,
  n: number,
  facts: IncidentFacts,
  r: RegimesConfig,
  discovered: Date,
  sent: (id: string) => Date | undefined,
  push: (o: Omit<Obligation, 'due'> & { due: Date }) => void,
): void {
  const rule = r.us_states.overrides[st] ?? DEFAULT_STATE_RULES[st];
  const owner = r.us_states.owner;
  const individualsId = `state-${st}-individuals`;
  if (!rule || rule.individuals_days === null) {
    push({
      id: individualsId,
      recipient: `Affected ${st} residents`,
      due: addHours(discovered, r.undue_delay_target_hours),
      basis: {
        rule: `${n} residents of ${st}. No fixed-day rule is configured for ${st} ("most expedient time / without unreasonable delay" or unsourced): due is the configured target of ${r.undue_delay_target_hours} h after discovery`,
        source: rule?.source ?? `${st} breach-notification statute — add incident.regimes.us_states.overrides.${st}`,
      },
      owner: owner ?? OWNER.individuals,
    });
    return;
  }
  const determined = facts.breach_determined_at ? new Date(facts.breach_determined_at) : undefined;
  const start = rule.individuals_from === 'determination' ? (determined ?? discovered) : discovered;
  const startWord = rule.individuals_from === 'determination' ? (determined ? 'determining the breach' : 'discovery (no breach_determined_at recorded)') : 'discovery';
  const individualsDue = addDays(start, rule.individuals_days);
  push({
    id: individualsId,
    recipient: `Affected ${st} residents`,
    due: individualsDue,
    basis: { rule: `${n} residents of ${st}: within ${rule.individuals_days} days of ${startWord}`, source: rule.source },
    owner: owner ?? OWNER.individuals,
  });
  if (rule.ag_threshold === null || rule.ag_days === null) return;
  const over = rule.ag_threshold_rule === 'gt' ? n > rule.ag_threshold : n >= rule.ag_threshold;
  if (!over) return;
  const fromIndividuals = rule.ag_from === 'individuals';
  const individualsSent = sent(individualsId);
  const base = fromIndividuals ? (individualsSent ?? individualsDue) : start;
  const threshold = `${rule.ag_threshold_rule === 'gt' ? 'more than' : 'at least'} ${rule.ag_threshold}`;
  push({
    id: `state-${st}-attorney-general`,
    recipient: `${st} Attorney General`,
    due: addDays(base, rule.ag_days),
    basis: {
      rule: `${n} residents of ${st} (${threshold}): within ${rule.ag_days} days of ${fromIndividuals ? (individualsSent ? 'notifying residents' : "notifying residents (counted from that deadline until it is sent)") : startWord}`,
      source: rule.source,
    },
    owner: owner ?? OWNER.authority,
  });
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
