import type { IncidentConfig } from '../config/sections/incident.js';
import { InputError } from '../errors.js';
import {
  addBusinessDays,
  addCivilDays,
  addCivilDaysIn,
  addCivilMonthsIn,
  addHours,
  addUsBusinessDays,
  civilDateIn,
  describeZone,
  endOfDayIn,
  isBrazilBusinessDay,
  zonedTimeToUtc,
} from './calendar.js';
import { customObligations } from './custom-regimes.js';
import type { IncidentFacts } from './facts.js';
import { lawFromOverride, stateObligations, US_BREACH_LAW_BY_CODE } from './us-states.js';

/**
 * The clock engine: incident facts → regulatory obligations with due times. Pure and total: any
 * valid facts give a sorted list (never a throw), and every obligation names its rule, its source
 * and the time zone its civil days were counted in. Duties that the law states as "without undue
 * delay" get the configured target and say so. `checkFactsForClock` is the strict gate in front.
 */

export interface Obligation {
  /** Stable id, e.g. `gdpr-authority`, `hipaa-media-CA`, `state-TX-attorney-general`, or a custom regime's id. */
  id: string;
  recipient: string;
  /** ISO 8601 UTC. */
  due: string;
  /** `zone`: the zone whose calendar governs this obligation (days, months, year ends, business days). */
  basis: { rule: string; source: string; zone?: string };
  /** Roster role responsible (resolved to people by the incident, not here). */
  owner: string;
}

export interface ClockResult {
  obligations: Obligation[];
  /** Things a responder should know that produce no obligation yet (e.g. materiality pending). */
  notes: string[];
  /** Things that are wrong or late already (e.g. a deadline that passed before its trigger was recorded). */
  warnings: string[];
}

/** Categories that make a breach a personal-data breach. */
export const PERSONAL_CATEGORIES: readonly string[] = ['personal', 'contact', 'government_id', 'financial', 'account_credentials', 'biometric', 'medical', 'health_insurance', 'phi', 'minors', 'special'];

const OWNER = { individuals: 'comms_lead', authority: 'compliance_lead', media: 'comms_lead', sec: 'legal' } as const;

export const SEC_ZONE = 'America/New_York';
export const BRAZIL_ZONE = 'America/Sao_Paulo';
export const SINGAPORE_ZONE = 'Asia/Singapore';
/** EU Cyber Resilience Act Art. 71(2): Art. 14 reporting applies from 11 September 2026. */
export const EU_CRA_REPORTING_FROM = '2026-09-11';
/** DPDP Rules 2025, Rule 1(3): Rule 7 commences 18 months after publication (13 November 2025). */
export const DPDP_RULE7_FROM = '2027-05-13';

/** The governing zone of the entity: configured, else the offset discovered_at was written with. */
export function entityZone(facts: IncidentFacts, config: Pick<IncidentConfig, 'timezone'>): { zone: string; label: string; configured: boolean } {
  if (config.timezone) return { zone: config.timezone, label: config.timezone, configured: true };
  const zone = facts.discovered_utc_offset ?? 'UTC';
  return { zone, label: `${describeZone(zone)}, the offset of discovered_at; incident.timezone is not set`, configured: false };
}

export function computeObligations(facts: IncidentFacts, config: Pick<IncidentConfig, 'regimes' | 'timezone'>): ClockResult {
  const out: Obligation[] = [];
  const notes: string[] = [];
  const warnings: string[] = [];
  const r = config.regimes;
  const target = r.undue_delay_target_hours;
  const discovered = new Date(facts.discovered_at);
  const cats = new Set(facts.data_categories.map((c) => c.toLowerCase()));
  const personal = PERSONAL_CATEGORIES.some((c) => cats.has(c));
  const roles = new Set(facts.role === undefined ? [] : Array.isArray(facts.role) ? facts.role : [facts.role]);
  const isOwner = roles.size === 0 || roles.has('controller') || roles.has('covered_entity');
  const ez = entityZone(facts, config);
  const zone = ez.zone;
  const inZone = `calendar days, ${ez.label}`;
  const sent = (id: string): Date | undefined => (facts.submitted[id] ? new Date(facts.submitted[id]!) : undefined);
  const push = (o: Omit<Obligation, 'due' | 'basis'> & { due: Date; basis: { rule: string; source: string; zone?: string } }): void =>
    void out.push({ ...o, due: o.due.toISOString(), basis: { rule: o.basis.rule, source: o.basis.source, zone: o.basis.zone ?? zone } });
  const days = (t: Date, n: number): Date => addCivilDaysIn(t, n, zone);
  const months = (t: Date, n: number): Date => addCivilMonthsIn(t, n, zone);
  const targetFrom = (t: Date): Date => addHours(t, target);
  const undue = (what: string): string => `${what}; no fixed deadline — due is the configured target of ${target} h`;

  if (!ez.configured) {
    warnings.push(`incident.timezone is not set: calendar days, months and year ends are counted in ${describeZone(zone)}, the offset discovered_at was written with, which follows no daylight saving time. Set incident.timezone to the entity's IANA zone (e.g. America/Los_Angeles).`);
  }

  const counts = Object.entries(facts.affected_by_state).sort(([a], [b]) => a.localeCompare(b));
  const stateTotal = counts.reduce((s, [, n]) => s + n, 0);
  const total = facts.affected_count ?? (counts.length > 0 ? stateTotal : undefined);

  // GDPR (EU) and UK GDPR: the same articles, separate authorities.
  const gdprLike = [
    { on: r.gdpr.enabled, subjects: facts.eu_subjects, prefix: 'gdpr', authorityId: 'gdpr-authority', authority: 'Lead supervisory authority (GDPR)', people: 'Affected data subjects (GDPR)', law: 'GDPR', owner: r.gdpr.owner },
    { on: on(r.uk_gdpr), subjects: facts.uk_subjects, prefix: 'uk-gdpr', authorityId: 'uk-gdpr-ico', authority: "Information Commissioner's Office (UK GDPR)", people: 'Affected data subjects (UK GDPR)', law: 'UK GDPR', owner: r.uk_gdpr?.owner },
  ];
  for (const g of gdprLike) {
    if (!g.on || !personal || !(g.subjects === true || (typeof g.subjects === 'number' && g.subjects > 0))) continue;
    if (isOwner) {
      push({
        id: g.authorityId,
        recipient: g.authority,
        due: addHours(discovered, 72),
        basis: { rule: 'Without undue delay and, where feasible, not later than 72 hours after becoming aware of the personal data breach (unless unlikely to result in a risk)', source: `${g.law} Art. 33(1)${g.law === 'UK GDPR' ? '; Data Protection Act 2018' : ''}` },
        owner: g.owner ?? OWNER.authority,
      });
      if (facts.gdpr_high_risk) {
        push({
          id: `${g.prefix}-individuals`,
          recipient: g.people,
          due: targetFrom(discovered),
          basis: { rule: `Without undue delay when the breach is likely to result in a high risk; no fixed deadline — due is the configured target of ${target} h after awareness`, source: `${g.law} Art. 34(1)` },
          owner: g.owner ?? OWNER.individuals,
        });
      }
    }
    if (roles.has('processor')) {
      push({
        id: `${g.prefix}-processor-controller`,
        recipient: `The controller (${g.law} processor notice)`,
        due: targetFrom(discovered),
        basis: { rule: undue('As processor: notify the controller without undue delay after becoming aware of the breach') + ' after awareness (check the processing agreement, which often sets 24–48 h)', source: `${g.law} Art. 33(2)` },
        owner: g.owner ?? OWNER.authority,
      });
    }
  }

  const phi = cats.has('phi');
  const hipaaCovered = r.hipaa.enabled && phi && isOwner;
  let hhsBase: { at: Date; sent: boolean } | undefined;
  if (hipaaCovered) {
    const sixty = days(discovered, 60);
    push({
      id: 'hipaa-individuals',
      recipient: 'Affected individuals (HIPAA)',
      due: sixty,
      basis: { rule: `Without unreasonable delay and in no case later than 60 calendar days after discovery (${inZone})`, source: '45 CFR §164.404(b)' },
      owner: r.hipaa.owner ?? OWNER.individuals,
    });
    let hhsDue: Date;
    if (total === undefined || total >= 500) {
      hhsDue = sixty;
      push({
        id: 'hipaa-hhs',
        recipient: 'HHS Secretary (OCR breach portal)',
        due: hhsDue,
        basis: {
          rule:
            total === undefined
              ? `Number affected not yet known: assuming 500 or more (the earlier deadline) — contemporaneously with individual notice, within 60 days of discovery (${inZone})`
              : `${total} individuals (500 or more): contemporaneously with individual notice, within 60 days of discovery (${inZone})`,
          source: '45 CFR §164.408(b)',
        },
        owner: r.hipaa.owner ?? OWNER.authority,
      });
    } else {
      const year = civilDateIn(discovered, zone).year;
      hhsDue = endOfDayIn(addCivilDays({ year, month: 12, day: 31 }, 60), zone);
      push({
        id: 'hipaa-hhs',
        recipient: 'HHS Secretary (OCR breach portal)',
        due: hhsDue,
        basis: { rule: `${total} individuals (fewer than 500): log and report within 60 days after the end of calendar year ${year} (discovered in ${year} in ${ez.label})`, source: '45 CFR §164.408(c)' },
        owner: r.hipaa.owner ?? OWNER.authority,
      });
    }
    const hhsSent = sent('hipaa-hhs');
    hhsBase = { at: hhsSent ?? hhsDue, sent: hhsSent !== undefined };
    for (const [st, n] of counts) {
      if (n > 500) {
        push({
          id: `hipaa-media-${st}`,
          recipient: `Prominent media outlets serving ${st}`,
          due: sixty,
          basis: { rule: `${n} residents of ${st} (more than 500): within 60 calendar days of discovery (${inZone})`, source: '45 CFR §164.406' },
          owner: r.hipaa.owner ?? OWNER.media,
        });
      }
    }
  }
  if (r.hipaa.enabled && phi && roles.has('business_associate')) {
    push({
      id: 'hipaa-ba-covered-entity',
      recipient: 'The covered entity (HIPAA business associate notice)',
      due: days(discovered, 60),
      basis: { rule: `As business associate: notify the covered entity without unreasonable delay and in no case later than 60 calendar days after discovery, identifying each individual affected (${inZone}). The covered entity's own clocks start when it is notified, unless you act as its agent.`, source: '45 CFR §164.410(b)' },
      owner: r.hipaa.owner ?? OWNER.authority,
    });
  }

  // FTC Health Breach Notification Rule: vendors of personal health records outside HIPAA.
  if (on(r.ftc_hbnr) && facts.phr_vendor && (cats.has('medical') || cats.has('health_insurance') || phi)) {
    const sixty = days(discovered, 60);
    push({
      id: 'ftc-hbnr-individuals',
      recipient: 'Affected individuals (FTC Health Breach Notification Rule)',
      due: sixty,
      basis: { rule: `Without unreasonable delay and in no case later than 60 calendar days after discovery (${inZone})`, source: '16 CFR §318.4(a)' },
      owner: r.ftc_hbnr?.owner ?? OWNER.individuals,
    });
    if (total === undefined || total >= 500) {
      push({
        id: 'ftc-hbnr-ftc',
        recipient: 'Federal Trade Commission (health breach notice)',
        due: sixty,
        basis: { rule: `${total === undefined ? 'Number affected not yet known: assuming 500 or more (the earlier deadline)' : `${total} individuals (500 or more)`}: contemporaneously with notice to individuals and no later than 60 calendar days after discovery (${inZone})`, source: '16 CFR §318.5(a)' },
        owner: r.ftc_hbnr?.owner ?? OWNER.authority,
      });
    } else {
      const year = civilDateIn(discovered, zone).year;
      push({
        id: 'ftc-hbnr-ftc',
        recipient: 'Federal Trade Commission (annual health breach log)',
        due: endOfDayIn(addCivilDays({ year, month: 12, day: 31 }, 60), zone),
        basis: { rule: `${total} individuals (fewer than 500): log and report within 60 calendar days after the end of calendar year ${year} (${ez.label})`, source: '16 CFR §318.5(b)' },
        owner: r.ftc_hbnr?.owner ?? OWNER.authority,
      });
    }
    for (const [st, n] of counts) {
      if (n > 500) {
        push({
          id: `ftc-hbnr-media-${st}`,
          recipient: `Prominent media outlets serving ${st}`,
          due: sixty,
          basis: { rule: `${n} residents of ${st} (more than 500): without unreasonable delay and no later than 60 calendar days after discovery (${inZone})`, source: '16 CFR §318.6' },
          owner: r.ftc_hbnr?.owner ?? OWNER.media,
        });
      }
    }
  }

  // GLBA Safeguards Rule: non-bank financial institutions report to the FTC.
  if (on(r.glba) && facts.glba_institution === 'ftc_safeguards' && personal) {
    if (total === undefined || total >= 500) {
      push({
        id: 'glba-ftc',
        recipient: 'Federal Trade Commission (Safeguards Rule notification event)',
        due: days(discovered, 30),
        basis: { rule: `${total === undefined ? 'Number of consumers not yet known: assuming 500 or more (the earlier deadline)' : `${total} consumers (500 or more)`}: as soon as possible and no later than 30 days after discovery of the notification event (${inZone})`, source: '16 CFR §314.4(j)(1)' },
        owner: r.glba?.owner ?? OWNER.authority,
      });
    } else {
      notes.push(`GLBA Safeguards Rule: ${total} consumers is fewer than 500, so no FTC notice (16 CFR §314.4(j)(1)).`);
    }
  }

  if (r.us_states.enabled) {
    if (!isOwner && counts.length > 0) {
      notes.push('US state laws: as a service provider that only maintains the data (processor / business associate), notify the data owner — most states say immediately or without unreasonable delay (Florida: within 10 days, Fla. Stat. §501.171(6)). The owner\'s residents and regulators are its own clocks.');
    } else {
      const hipaaRegulated = phi || roles.has('covered_entity') || roles.has('business_associate');
      for (const [st, n] of counts) {
        if (n <= 0) continue;
        const override = r.us_states.overrides[st];
        const base = US_BREACH_LAW_BY_CODE.get(st);
        const law = override ? lawFromOverride(st, override, base) : base;
        if (!law) continue;
        stateObligations(st, n, law, r, {
          discovered,
          determined: facts.breach_determined_at ? new Date(facts.breach_determined_at) : undefined,
          cats,
          zone,
          zoneLabel: ez.label,
          target,
          hipaaRegulated,
          glbaRegulated: facts.glba_institution !== undefined,
          nyDfsCovered: facts.ny_dfs_covered,
          hhsBase,
          sent,
          days,
          push,
          note: (s) => notes.push(s),
        }, OWNER);
      }
    }
  }

  if (on(r.ny_dfs) && facts.ny_dfs_covered) {
    const determined = facts.breach_determined_at ? new Date(facts.breach_determined_at) : undefined;
    push({
      id: 'ny-dfs-superintendent',
      recipient: 'New York DFS Superintendent (cybersecurity incident notice, DFS portal)',
      due: addHours(determined ?? discovered, 72),
      basis: { rule: `As promptly as possible and no later than 72 hours after determining that a cybersecurity incident occurred (counted from ${determined ? 'breach_determined_at' : 'discovery: no breach_determined_at recorded'}). An extortion payment needs its own notice within 24 hours of payment (500.17(c)).`, source: '23 NYCRR §500.17(a)(1)' },
      owner: r.ny_dfs?.owner ?? OWNER.authority,
    });
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
          zone: SEC_ZONE,
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
      due: months(base ?? notification, 1),
      basis: { rule: `Final report not later than one month after the incident notification (${base ? 'submitted' : 'counted from its deadline until it is sent'}; calendar month, ${ez.label})`, source: 'NIS2 Art. 23(4)(d)' },
      owner: r.nis2.owner ?? OWNER.authority,
    });
  }

  if (r.dora.enabled && facts.dora_entity) {
    if (facts.dora_major_classified_at) {
      const classified = new Date(facts.dora_major_classified_at);
      const fourH = addHours(classified, 4);
      const backstop = addHours(discovered, 24);
      let initial: Date;
      let why: string;
      if (classified.getTime() > backstop.getTime()) {
        initial = classified;
        why = `classified ${facts.dora_major_classified_at}, after the 24 h cap (${backstop.toISOString()}) had passed: the initial notification is already overdue and is due immediately`;
        warnings.push(`dora-initial: the incident was classified as major ${((classified.getTime() - discovered.getTime()) / 3_600_000).toFixed(1)} h after awareness, later than the 24 h cap (${backstop.toISOString()}). The initial notification is already overdue: send it now and record why classification took longer.`);
      } else {
        initial = fourH.getTime() <= backstop.getTime() ? fourH : backstop;
        why = `${initial === fourH ? '4 h after classification' : '24 h after awareness'} is earlier`;
      }
      push({
        id: 'dora-initial',
        recipient: 'Competent authority (DORA initial notification)',
        due: initial,
        basis: {
          rule: `Within 4 hours of classifying the incident as major and no later than 24 hours after becoming aware of it (${why})`,
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
        due: months(intermediateSent ?? intermediate, 1),
        basis: { rule: `No later than one month after the latest intermediate report (${intermediateSent ? 'submitted' : 'counted from its deadline until it is sent'}; calendar month, ${ez.label})`, source: 'Delegated Regulation (EU) 2025/301 Art. 5(1)(c)' },
        owner: r.dora.owner ?? OWNER.authority,
      });
    } else {
      notes.push('DORA entity: reporting starts once the incident is classified as major (classify without undue delay); record dora_major_classified_at.');
    }
  }

  if (on(r.eu_cra) && facts.cra_event) {
    euCyberResilienceAct(facts, discovered, r.eu_cra?.owner ?? OWNER.authority, zone, ez.label, months, sent, push, notes);
  }

  if (personal) otherJurisdictions(facts, config, discovered, zone, ez.label, target, push, notes, warnings);

  // Custom regimes: hours, calendar or business days, from any fact (./custom-regimes.ts).
  const custom = customObligations(r.custom, facts, zone);
  out.push(...custom.obligations);
  notes.push(...custom.notes);

  const ids = new Set(out.map((o) => o.id));
  for (const id of Object.keys(facts.submitted)) {
    if (!ids.has(id)) warnings.push(`submitted.${id}: no obligation with this id follows from these facts (a typo?); it changes no deadline.`);
  }
  out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.id.localeCompare(b.id)));
  return { obligations: out, notes, warnings };
}

type Push = (o: Omit<Obligation, 'due' | 'basis'> & { due: Date; basis: { rule: string; source: string; zone?: string } }) => void;

function euCyberResilienceAct(facts: IncidentFacts, discovered: Date, owner: string, zone: string, zoneLabel: string, months: (t: Date, n: number) => Date, sent: (id: string) => Date | undefined, push: Push, notes: string[]): void {
  const from = zonedTimeToUtc({ year: 2026, month: 9, day: 11 }, 0, 0, 'Europe/Brussels');
  if (discovered.getTime() < from.getTime()) {
    notes.push(`EU Cyber Resilience Act: Art. 14 reporting applies from ${EU_CRA_REPORTING_FROM} (Art. 71(2)); this awareness is earlier, so no CRA report is due.`);
    return;
  }
  const recipient = 'CSIRT designated as coordinator and ENISA (CRA single reporting platform)';
  const source = 'Cyber Resilience Act, Regulation (EU) 2024/2847';
  const vuln = facts.cra_event === 'actively_exploited_vulnerability';
  push({
    id: 'eu-cra-early-warning',
    recipient,
    due: addHours(discovered, 24),
    basis: { rule: `Early warning of ${vuln ? 'an actively exploited vulnerability' : 'a severe incident having an impact on the security of the product'} without undue delay and in any event within 24 hours of becoming aware`, source: `${source} Art. 14(${vuln ? '2' : '4'})(a)` },
    owner,
  });
  const notification = addHours(discovered, 72);
  push({
    id: 'eu-cra-notification',
    recipient,
    due: notification,
    basis: { rule: `${vuln ? 'Vulnerability' : 'Incident'} notification without undue delay and in any event within 72 hours of becoming aware`, source: `${source} Art. 14(${vuln ? '2' : '4'})(b)` },
    owner,
  });
  if (vuln) {
    if (facts.cra_corrective_measure_at) {
      const measure = new Date(facts.cra_corrective_measure_at);
      push({
        id: 'eu-cra-final',
        recipient,
        due: addCivilDaysIn(measure, 14, zone),
        basis: { rule: `Final report no later than 14 days after a corrective or mitigating measure is available (available ${facts.cra_corrective_measure_at}; calendar days, ${zoneLabel})`, source: `${source} Art. 14(2)(c)` },
        owner,
      });
    } else {
      notes.push('EU Cyber Resilience Act: the final report on an actively exploited vulnerability is due 14 days after a corrective or mitigating measure is available (Art. 14(2)(c)); record cra_corrective_measure_at.');
    }
  } else {
    const base = sent('eu-cra-notification');
    push({
      id: 'eu-cra-final',
      recipient,
      due: months(base ?? notification, 1),
      basis: { rule: `Final report within one month after the incident notification (${base ? 'submitted' : 'counted from its deadline until it is sent'}; calendar month, ${zoneLabel})`, source: `${source} Art. 14(4)(c)` },
      owner,
    });
  }
}

function otherJurisdictions(
  facts: IncidentFacts,
  config: Pick<IncidentConfig, 'regimes'>,
  discovered: Date,
  zone: string,
  zoneLabel: string,
  target: number,
  push: Push,
  notes: string[],
  warnings: string[],
): void {
  const r = config.regimes;
  const j = new Set(facts.jurisdictions);
  const assessed = facts.risk_assessed_at ? new Date(facts.risk_assessed_at) : undefined;
  const owner = (o: string | undefined, d: string): string => o ?? d;
  const fromAssessment = assessed ?? discovered;
  const fromWord = assessed ? 'the risk assessment (risk_assessed_at)' : 'discovery (no risk_assessed_at recorded: counted from discovery, the earlier start)';

  if (j.has('canada') && on(r.pipeda)) {
    const o = owner(r.pipeda?.owner, OWNER.authority);
    push({ id: 'pipeda-opc', recipient: 'Office of the Privacy Commissioner of Canada', due: addHours(fromAssessment, target), basis: { rule: `If the breach creates a real risk of significant harm: report as soon as feasible after determining the breach occurred; no fixed deadline — due is the configured target of ${target} h after ${fromWord}`, source: 'PIPEDA s. 10.1(1)–(2); Breach of Security Safeguards Regulations SOR/2018-64' }, owner: o });
    push({ id: 'pipeda-individuals', recipient: 'Affected individuals (PIPEDA)', due: addHours(fromAssessment, target), basis: { rule: `If real risk of significant harm: notify as soon as feasible; no fixed deadline — due is the configured target of ${target} h after ${fromWord}. Keep a record of every breach (s. 10.3).`, source: 'PIPEDA s. 10.1(3), (6)' }, owner: owner(r.pipeda?.owner, OWNER.individuals) });
  }
  if (j.has('quebec') && on(r.quebec)) {
    push({ id: 'quebec-cai', recipient: "Commission d'accès à l'information du Québec", due: addHours(fromAssessment, target), basis: { rule: `If the confidentiality incident presents a risk of serious injury: notify promptly; no fixed deadline — due is the configured target of ${target} h after ${fromWord}`, source: 'Act respecting the protection of personal information in the private sector (CQLR c. P-39.1) s. 3.5, as amended by Law 25; Regulation respecting confidentiality incidents' }, owner: owner(r.quebec?.owner, OWNER.authority) });
    push({ id: 'quebec-individuals', recipient: 'Affected persons (Québec Law 25)', due: addHours(fromAssessment, target), basis: { rule: `If risk of serious injury: notify promptly; no fixed deadline — due is the configured target of ${target} h after ${fromWord}`, source: 'CQLR c. P-39.1 s. 3.5' }, owner: owner(r.quebec?.owner, OWNER.individuals) });
  }
  if (j.has('australia') && on(r.au_ndb)) {
    push({ id: 'au-ndb-assessment', recipient: 'Internal: complete the eligible-data-breach assessment', due: addCivilDaysIn(discovered, 30, zone), basis: { rule: `Take all reasonable steps to complete the assessment of a suspected eligible data breach within 30 days after becoming aware of it (calendar days, ${zoneLabel})`, source: 'Privacy Act 1988 (Cth) s. 26WH(2)' }, owner: owner(r.au_ndb?.owner, OWNER.authority) });
    if (assessed) {
      push({ id: 'au-ndb-oaic', recipient: 'Office of the Australian Information Commissioner', due: addHours(assessed, target), basis: { rule: `Eligible data breach: statement to the Commissioner as soon as practicable after becoming aware; no fixed deadline — due is the configured target of ${target} h after risk_assessed_at; then notify individuals as soon as practicable (s. 26WL(3))`, source: 'Privacy Act 1988 (Cth) s. 26WK(2)' }, owner: owner(r.au_ndb?.owner, OWNER.authority) });
    } else {
      notes.push('Australia NDB: once the assessment finds an eligible data breach, record risk_assessed_at; the OAIC statement is then due as soon as practicable (s. 26WK).');
    }
  }
  if (j.has('brazil') && on(r.lgpd)) {
    const day0 = civilDateIn(discovered, BRAZIL_ZONE);
    const dueDay = addBusinessDays(day0, 3, isBrazilBusinessDay);
    const due = endOfDayIn(dueDay, BRAZIL_ZONE);
    const rule = `within 3 business days of becoming aware that the incident affected personal data (aware ${day0.year}-${pad(day0.month)}-${pad(day0.day)} in ${BRAZIL_ZONE}; weekends and Brazilian national holidays skipped; due at the end of ${dueDay.year}-${pad(dueDay.month)}-${pad(dueDay.day)})`;
    push({ id: 'lgpd-anpd', recipient: 'Autoridade Nacional de Proteção de Dados (ANPD)', due, basis: { rule: `If the incident may cause relevant risk or damage: communicate ${rule}`, source: 'LGPD (Lei 13.709/2018) Art. 48; Resolução CD/ANPD nº 15/2024 Art. 6', zone: BRAZIL_ZONE }, owner: owner(r.lgpd?.owner, OWNER.authority) });
    push({ id: 'lgpd-data-subjects', recipient: 'Affected data subjects (LGPD)', due, basis: { rule: `If relevant risk or damage: communicate ${rule}`, source: 'LGPD Art. 48; Resolução CD/ANPD nº 15/2024 Art. 9', zone: BRAZIL_ZONE }, owner: owner(r.lgpd?.owner, OWNER.individuals) });
  }
  if (j.has('india') && on(r.dpdp)) {
    if (discovered.toISOString().slice(0, 10) < DPDP_RULE7_FROM) {
      warnings.push(`India DPDP: Rule 7 (breach intimation) commences 18 months after the Rules were published on 13 November 2025, i.e. ${DPDP_RULE7_FROM} (Rule 1(3)); this breach is earlier — confirm with counsel whether the duties below apply yet.`);
    }
    const o = owner(r.dpdp?.owner, OWNER.authority);
    push({ id: 'dpdp-board-intimation', recipient: 'Data Protection Board of India (intimation)', due: addHours(discovered, target), basis: { rule: `Intimation of the breach without delay; no fixed deadline — due is the configured target of ${target} h after becoming aware`, source: 'Digital Personal Data Protection Act 2023 s. 8(6); DPDP Rules 2025 Rule 7(2)(a)' }, owner: o });
    push({ id: 'dpdp-board-report', recipient: 'Data Protection Board of India (detailed report)', due: addHours(discovered, 72), basis: { rule: 'Detailed report within 72 hours of becoming aware of the breach (or a longer period the Board allows on request)', source: 'DPDP Rules 2025 Rule 7(2)(b)' }, owner: o });
    push({ id: 'dpdp-data-principals', recipient: 'Affected data principals (DPDP)', due: addHours(discovered, target), basis: { rule: `Without delay; no fixed deadline — due is the configured target of ${target} h after becoming aware`, source: 'DPDP Act 2023 s. 8(6); DPDP Rules 2025 Rule 7(1)' }, owner: owner(r.dpdp?.owner, OWNER.individuals) });
  }
  if (j.has('singapore') && on(r.pdpa_sg)) {
    push({ id: 'sg-pdpa-assessment', recipient: 'Internal: assess whether the breach is notifiable', due: addCivilDaysIn(discovered, 30, zone), basis: { rule: `Assess in a reasonable and expeditious manner; the PDPC expects it within 30 calendar days of becoming aware (guidance, not statute; calendar days, ${zoneLabel})`, source: 'PDPA 2012 s. 26C(2); PDPC Guide on Managing and Notifying Data Breaches' }, owner: owner(r.pdpa_sg?.owner, OWNER.authority) });
    if (assessed) {
      const day0 = civilDateIn(assessed, SINGAPORE_ZONE);
      const dueDay = addCivilDays(day0, 3);
      push({ id: 'sg-pdpa-pdpc', recipient: 'Personal Data Protection Commission (Singapore)', due: endOfDayIn(dueDay, SINGAPORE_ZONE), basis: { rule: `Notifiable breach: as soon as practicable and no later than 3 calendar days after the day of the assessment (assessed ${day0.year}-${pad(day0.month)}-${pad(day0.day)} in ${SINGAPORE_ZONE}; due at the end of ${dueDay.year}-${pad(dueDay.month)}-${pad(dueDay.day)})`, source: 'PDPA 2012 s. 26D(1)', zone: SINGAPORE_ZONE }, owner: owner(r.pdpa_sg?.owner, OWNER.authority) });
      push({ id: 'sg-pdpa-individuals', recipient: 'Affected individuals (PDPA)', due: addHours(assessed, target), basis: { rule: `Significant harm: on or after notifying the Commission, as soon as practicable; no fixed deadline — due is the configured target of ${target} h after risk_assessed_at`, source: 'PDPA 2012 s. 26D(2)' }, owner: owner(r.pdpa_sg?.owner, OWNER.individuals) });
    } else {
      notes.push('Singapore PDPA: once the assessment finds the breach notifiable, record risk_assessed_at; the PDPC is due 3 calendar days after that day (s. 26D(1)).');
    }
  }
}

/**
 * The strict gate in front of the engine, for facts a responder typed: discovery in the future
 * (relative to `asOf`, the real time unless planning) and `submitted` ids that name no obligation of
 * these facts (a typo would otherwise silently keep a later deadline).
 */
export function checkFactsForClock(facts: IncidentFacts, result: ClockResult, asOf: Date, asOfGiven: boolean, source = 'facts'): void {
  if (Date.parse(facts.discovered_at) > asOf.getTime()) {
    throw new InputError(`${source}: discovered_at: ${facts.discovered_at} is in the future (now is ${asOf.toISOString()})`, {
      field: 'discovered_at',
      code: 'FACTS_INVALID',
      hint: asOfGiven ? 'discovered_at must not be after --as-of.' : 'Check the date and its offset; to plan for a discovery that has not happened yet, pass --as-of <time> at or after it.',
    });
  }
  const ids = new Set(result.obligations.map((o) => o.id));
  for (const id of Object.keys(facts.submitted)) {
    if (!ids.has(id)) {
      throw new InputError(`${source}: submitted.${id}: no obligation with id "${id}" follows from these facts`, {
        field: `submitted.${id}`,
        code: 'FACTS_INVALID',
        hint: `Obligation ids here: ${[...ids].sort().join(', ') || '(none)'}.`,
      });
    }
  }
}

/**
 * A regime added after a config object was built by hand (not through the schema) is on, like the
 * schema's default: a missing toggle must not silently drop a duty.
 */
function on(toggle: { enabled: boolean } | undefined): boolean {
  return toggle?.enabled !== false;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
