import type { RegimesConfig, StateRule } from '../config/sections/incident.js';
import { addUsBusinessDays, civilDateIn, zonedParts, zonedTimeToUtc } from './calendar.js';
import { type BreachLaw, type LawCategory, type NoticeTiming, US_BREACH_LAWS } from './data/us-breach-laws.js';

/**
 * US state breach-notification duties from the table in data/us-breach-laws.ts: residents, attorneys
 * general and other agencies, consumer reporting agencies, with the HIPAA/GLBA exemptions a statute
 * states. Config overrides (`incident.regimes.us_states.overrides`) replace a state's row.
 */

export const US_BREACH_LAW_BY_CODE: ReadonlyMap<string, BreachLaw> = new Map(US_BREACH_LAWS.map((l) => [l.code, l]));

const ALL_CATEGORIES: readonly LawCategory[] = ['personal', 'government_id', 'financial', 'account_credentials', 'biometric', 'medical', 'health_insurance'];

/** A config override as a table row: residents and (optionally) the attorney general, nothing else. */
export function lawFromOverride(code: string, rule: StateRule, base: BreachLaw | undefined): BreachLaw {
  const regulators: BreachLaw['regulators'] =
    rule.ag_threshold === null || rule.ag_days === null
      ? []
      : [{ id: 'attorney-general', recipient: `${code} Attorney General`, min: rule.ag_threshold_rule === 'gt' ? rule.ag_threshold + 1 : Math.max(rule.ag_threshold, 1), timing: { kind: 'days', days: rule.ag_days, from: rule.ag_from === 'individuals' ? 'individuals' : 'start' } }];
  return {
    code,
    name: base?.name ?? code,
    citation: rule.source,
    last_checked: 'configured override',
    categories: base?.categories ?? ALL_CATEGORIES,
    individuals: { days: rule.individuals_days, from: rule.individuals_from },
    regulators,
    cra: null,
    exemptions: [],
  };
}

export interface StateContext {
  discovered: Date;
  determined: Date | undefined;
  /** Categories of the breach, lower case. */
  cats: ReadonlySet<string>;
  zone: string;
  zoneLabel: string;
  target: number;
  hipaaRegulated: boolean;
  glbaRegulated: boolean;
  nyDfsCovered: boolean;
  /** When HHS was (or must be) told, if the entity is a covered entity that must tell it. */
  hhsBase: { at: Date; sent: boolean } | undefined;
  sent: (id: string) => Date | undefined;
  days: (t: Date, n: number) => Date;
  push: (o: { id: string; recipient: string; due: Date; basis: { rule: string; source: string }; owner: string }) => void;
  note: (s: string) => void;
}

/** Which of the law's categories the breach touches (PHI counts as medical and health insurance information). */
export function coveredCategories(law: BreachLaw, cats: ReadonlySet<string>, configured: readonly string[] | undefined): string[] {
  if (configured) return configured.filter((c) => cats.has(c.toLowerCase()));
  const hit: string[] = law.categories.filter((c) => cats.has(c));
  if (cats.has('phi') && (law.categories.includes('medical') || law.categories.includes('health_insurance'))) hit.push('phi (as medical / health insurance information)');
  return hit;
}

export function stateObligations(code: string, n: number, law: BreachLaw, r: RegimesConfig, ctx: StateContext, owners: { individuals: string; authority: string }): void {
  const covered = coveredCategories(law, ctx.cats, r.us_states.categories);
  if (covered.length === 0) {
    ctx.note(`${code}: ${n} residents, but none of the breached categories (${[...ctx.cats].join(', ') || 'none'}) is personal information under ${law.citation}; no ${code} duty.`);
    return;
  }
  const owner = r.us_states.owner;
  const exemption = law.exemptions.find((e) => (e.regime === 'hipaa' && ctx.hipaaRegulated) || (e.regime === 'glba' && ctx.glbaRegulated));
  const start = law.individuals.from === 'determination' ? (ctx.determined ?? ctx.discovered) : ctx.discovered;
  const startWord = law.individuals.from === 'determination' ? (ctx.determined ? 'determining the breach' : 'discovery (no breach_determined_at recorded)') : 'discovery';
  const who = `${n} residents of ${code}`;
  const src = (extra?: string): string => `${law.citation}${extra ? `; ${extra}` : ''}${law.last_checked === 'configured override' ? '' : ` (last checked ${law.last_checked})`}`;

  const individualsId = `state-${code}-individuals`;
  const individualsDue = law.individuals.days === null ? new Date(ctx.discovered.getTime() + ctx.target * 3_600_000) : ctx.days(start, law.individuals.days);
  const individualsRule =
    law.individuals.days === null
      ? `${who} (${covered.join(', ')}): in the most expedient time possible and without unreasonable delay; no fixed deadline — due is the configured target of ${ctx.target} h after discovery`
      : `${who} (${covered.join(', ')}): within ${law.individuals.days} days of ${startWord} (calendar days, ${ctx.zoneLabel})`;
  const individualsSent = ctx.sent(individualsId);
  const individualsBase = individualsSent ?? individualsDue;
  const baseWord = individualsSent ? 'notifying residents' : 'notifying residents (counted from that deadline until it is sent)';

  if (exemption) {
    ctx.note(`${code}: ${exemption.scope === 'all' ? `no ${code} breach-law duties` : 'no separate notice to residents'} for a ${exemption.regime === 'hipaa' ? 'HIPAA-regulated' : 'GLBA-regulated'} entity that notifies under those rules — ${exemption.source}.`);
  } else {
    ctx.push({ id: individualsId, recipient: `Affected ${law.name} residents`, due: individualsDue, basis: { rule: individualsRule, source: src() }, owner: owner ?? owners.individuals });
  }

  const timed = (t: NoticeTiming): { due: Date; words: string } => {
    switch (t.kind) {
      case 'days': {
        const base = t.from === 'start' ? start : individualsBase;
        let due = ctx.days(base, t.days);
        let words = `within ${t.days} days of ${t.from === 'start' ? startWord : baseWord} (calendar days, ${ctx.zoneLabel})`;
        if (t.or_with_individuals) {
          if (individualsBase.getTime() < due.getTime()) due = individualsBase;
          words += ', or when residents are notified if that is earlier';
        }
        return { due, words };
      }
      case 'business_days': {
        const base = t.from === 'start' ? start : individualsBase;
        let due = businessDaysLater(base, t.days, ctx.zone);
        let words = `within ${t.days} business days of ${t.from === 'start' ? startWord : baseWord} (Mon–Fri, US federal holidays skipped, ${ctx.zoneLabel})`;
        if (t.or_with_individuals) {
          if (individualsBase.getTime() < due.getTime()) due = individualsBase;
          words += ', or when residents are notified if that is earlier';
        }
        return { due, words };
      }
      case 'hours':
        return { due: new Date(start.getTime() + t.hours * 3_600_000), words: `within ${t.hours} hours of ${startWord}` };
      case 'with_individuals':
        return { due: individualsBase, words: `no later than the notice to residents (${individualsSent ? 'sent' : 'due with it'})` };
      case 'before_individuals':
        return { due: individualsBase, words: `BEFORE notifying residents (due with that notice at the latest${individualsSent ? '; residents were already notified' : ''})` };
      case 'undue_delay':
        return { due: new Date(ctx.discovered.getTime() + ctx.target * 3_600_000), words: `without unreasonable delay; no fixed deadline — due is the configured target of ${ctx.target} h after discovery` };
    }
  };

  for (const reg of law.regulators) {
    if (n < reg.min || (reg.dfs_only && !ctx.nyDfsCovered)) continue;
    const threshold = reg.min <= 1 ? 'whenever residents are notified' : atLeast(reg.min);
    if (reg.after_hhs) {
      if (!ctx.hhsBase) continue;
      const due = businessDaysLater(ctx.hhsBase.at, 5, ctx.zone);
      ctx.push({
        id: `state-${code}-${reg.id}`,
        recipient: reg.recipient,
        due,
        basis: { rule: `HIPAA covered entity with ${code} residents affected: a copy of the HHS breach notice within 5 business days of notifying HHS (${ctx.hhsBase.sent ? 'sent' : 'counted from the HHS deadline until it is sent'}; US federal holidays skipped, ${ctx.zoneLabel})`, source: src() },
        owner: owner ?? owners.authority,
      });
      continue;
    }
    if (exemption?.scope === 'all') continue;
    const { due, words } = timed(reg.timing);
    ctx.push({ id: `state-${code}-${reg.id}`, recipient: reg.recipient, due, basis: { rule: `${who} (${threshold}): ${words}`, source: src() }, owner: owner ?? owners.authority });
  }

  if (law.cra && n >= law.cra.min && !exemption) {
    const { due, words } = timed(law.cra.timing);
    const threshold = law.cra.min <= 1 ? 'any number' : atLeast(law.cra.min);
    ctx.push({
      id: `state-${code}-consumer-reporting-agencies`,
      recipient: 'Nationwide consumer reporting agencies (Equifax, Experian, TransUnion)',
      due,
      basis: { rule: `${who} (${threshold}): timing, content and distribution of the notices, ${words}`, source: src() },
      owner: owner ?? owners.authority,
    });
  }
}

/** Statutes say "more than 500" or "500 or more"; `min` is inclusive, so 501 reads as the former. */
function atLeast(min: number): string {
  return (min - 1) % 50 === 0 ? `more than ${thousands(min - 1)}` : `${thousands(min)} or more`;
}

/** 10000 → "10,000" without Intl (a NumberFormat per call is the slowest thing the engine would do). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The same wall-clock time n US business days later in the zone. */
export function businessDaysLater(t: Date, n: number, zone: string): Date {
  const p = zonedParts(t, zone);
  const day = addUsBusinessDays(civilDateIn(t, zone), n);
  return zonedTimeToUtc(day, p.hour, p.minute, zone, p.second, p.millisecond);
}
