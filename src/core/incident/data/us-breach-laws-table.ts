import { type BreachLaw, type NoticeTiming, US_BREACH_LAWS } from './us-breach-laws.js';
import { thousands } from '../us-states.js';

/**
 * The US breach-law table as Markdown, for the README and docs/responders/deadlines.md (a test keeps
 * both copies equal to this rendering, so the documentation cannot drift from the data).
 */

function timing(t: NoticeTiming): string {
  switch (t.kind) {
    case 'days':
      return `${t.days} days after ${t.from === 'start' ? 'the start' : 'residents'}${t.or_with_individuals ? ' (or with residents, if sooner)' : ''}`;
    case 'business_days':
      return `${t.days} business days after ${t.from === 'start' ? 'the start' : 'residents'}${t.or_with_individuals ? ' (or with residents, if sooner)' : ''}`;
    case 'hours':
      return `${t.hours} h`;
    case 'with_individuals':
      return 'with residents';
    case 'before_individuals':
      return 'before residents';
    case 'undue_delay':
      return 'without unreasonable delay (target)';
  }
}

const threshold = (min: number): string => (min <= 1 ? 'any' : `≥ ${thousands(min)}`);

function row(l: BreachLaw): string {
  const residents = l.individuals.days === null ? 'most expedient (target)' : `${l.individuals.days} days from ${l.individuals.from}`;
  const regulators = l.regulators.map((r) => `${r.recipient}: ${r.after_hhs ? 'HIPAA entities, 5 business days after HHS' : `${r.dfs_only ? 'DFS-covered entities, ' : ''}${threshold(r.min)}, ${timing(r.timing)}`}`).join('; ') || '—';
  const cra = l.cra ? `${threshold(l.cra.min)}, ${timing(l.cra.timing)}` : '—';
  const extra = l.categories.filter((c) => !['personal', 'government_id', 'financial'].includes(c)).join(', ') || '—';
  const exemptions = l.exemptions.map((e) => `${e.regime.toUpperCase()} (${e.scope})`).join(', ') || '—';
  return `| ${l.code} | ${residents} | ${regulators} | ${cra} | ${extra} | ${exemptions} | ${l.citation} | ${l.last_checked} |`;
}

export function renderUsBreachLawTable(laws: readonly BreachLaw[] = US_BREACH_LAWS): string {
  return [
    '| Code | Residents | Attorney general / regulators (residents, timing) | Consumer reporting agencies | Also covers | HIPAA/GLBA exemption | Statute | Last checked |',
    '|---|---|---|---|---|---|---|---|',
    ...[...laws].sort((a, b) => a.code.localeCompare(b.code)).map(row),
  ].join('\n');
}
