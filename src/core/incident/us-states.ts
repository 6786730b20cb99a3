import type { StateRule } from '../config/sections/incident.js';

/**
 * Default rules for US state breach-notification laws that set a fixed number of days. States not
 * listed have a "most expedient time / without unreasonable delay" standard (or one we have not
 * sourced): for them the engine uses the configured undue-delay target and says so in the basis.
 * Override or add any state under `incident.regimes.us_states.overrides` — and check with counsel:
 * statutes change (California moved to a fixed 30 days on 1 Jan 2026).
 */
export const DEFAULT_STATE_RULES: Readonly<Record<string, StateRule>> = {
  CA: {
    individuals_days: 30,
    individuals_from: 'discovery',
    ag_threshold: 500,
    ag_threshold_rule: 'gt',
    ag_days: 15,
    ag_from: 'individuals',
    source: 'Cal. Civ. Code §1798.82(a), (f) as amended by SB 446 (2025), in force 2026-01-01: residents within 30 calendar days of discovery; sample notice to the AG within 15 days of notifying residents when more than 500',
  },
  CO: {
    individuals_days: 30,
    individuals_from: 'determination',
    ag_threshold: 500,
    ag_threshold_rule: 'gte',
    ag_days: 30,
    ag_from: 'start',
    source: 'C.R.S. §6-1-716(2)(a), (2)(f): residents and, for 500 or more, the Attorney General, not later than 30 days after determining that a breach occurred',
  },
  FL: {
    individuals_days: 30,
    individuals_from: 'determination',
    ag_threshold: 500,
    ag_threshold_rule: 'gte',
    ag_days: 30,
    ag_from: 'start',
    source: 'Fla. Stat. §501.171(3)(a), (4)(a): individuals and, for 500 or more, the Department of Legal Affairs, no later than 30 days after determining (or having reason to believe) a breach occurred',
  },
  WA: {
    individuals_days: 30,
    individuals_from: 'discovery',
    ag_threshold: 500,
    ag_threshold_rule: 'gt',
    ag_days: 30,
    ag_from: 'start',
    source: 'RCW 19.255.010(7), (8): residents and, for more than 500, the Attorney General, no more than 30 calendar days after the breach was discovered',
  },
  TX: {
    individuals_days: 60,
    individuals_from: 'determination',
    ag_threshold: 250,
    ag_threshold_rule: 'gte',
    ag_days: 30,
    ag_from: 'start',
    source: 'Tex. Bus. & Com. Code §521.053(b), (i) (as amended by SB 768, 2023): individuals within 60 days of determining the breach; the Attorney General within 30 days when at least 250 Texans are affected',
  },
  NY: {
    individuals_days: 30,
    individuals_from: 'discovery',
    ag_threshold: null,
    ag_threshold_rule: 'gte',
    ag_days: null,
    ag_from: 'start',
    source: 'N.Y. Gen. Bus. Law §899-aa(2) as amended December 2024: residents within 30 days after discovery (AG, Department of State and State Police are told of timing and content of that notice; no separate deadline modelled)',
  },
};
