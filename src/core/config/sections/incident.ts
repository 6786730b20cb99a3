import { z } from 'zod';

/**
 * `incident:` in firebreak.yml — severity scheme, roster and escalation ladder, the regulatory
 * regimes that apply, templates' paths and the close gate's notion of containment.
 * Every field has a default so `version: 1` alone gives a working SEV0–3 setup.
 */

const handle = z.string().min(1);

export const severityLevelSection = z
  .object({
    /** Label value, e.g. `SEV0`, `P1`, `1`. Ordered most severe first in `levels`. */
    id: z.string().regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only'),
    name: z.string().min(1),
    /** Time the incident commander has to acknowledge. */
    ack_minutes: z.number().int().positive(),
    /** A status update is due this often while the incident is open. */
    update_every_minutes: z.number().int().positive(),
  })
  .strict();

export const checklistRuleSection = z
  .object({
    /** Answer key, e.g. `phi_accessed`. */
    id: z.string().regex(/^[a-z0-9_]+$/, 'snake_case'),
    question: z.string().min(1),
    /** The level a "yes" implies. */
    level: z.string().min(1),
  })
  .strict();

export const severitySection = z
  .object({
    /** A preset (see README) or `custom` with `levels` and `checklist`. */
    scheme: z.enum(['SEV0-3', 'SEV1-4', 'P1-P4', '1-4', 'custom']).default('SEV0-3'),
    levels: z.array(severityLevelSection).min(2).optional(),
    checklist: z.array(checklistRuleSection).optional(),
    /** Seed 004: "Is there a workaround? → Downgrade by 1 level". */
    workaround_lowers: z.boolean().optional(),
    /** Seed 002: "When in doubt, classify one tier up". */
    doubt_raises: z.boolean().optional(),
  })
  .strict();

export const escalationStepSection = z
  .object({
    /** Minutes with no action: since the last status update, or since declaration (`from`). */
    after_minutes: z.number().int().nonnegative(),
    /** `last_update` re-arms after every update; `declared` fires once per incident. */
    from: z.enum(['last_update', 'declared']).default('last_update'),
    /** Roster role to page. */
    notify: z.string().min(1),
    /** Only for these severities (ids); all when absent. */
    severities: z.array(z.string()).optional(),
    /** Only when the incident involves a data breach (personal / phi / minors data). */
    data_breach: z.boolean().optional(),
  })
  .strict();

const regimeToggle = z.object({ enabled: z.boolean().default(true), owner: z.string().min(1).optional() }).strict();

export const stateRuleSection = z
  .object({
    individuals_days: z.number().int().positive().nullable(),
    individuals_from: z.enum(['discovery', 'determination']).default('discovery'),
    ag_threshold: z.number().int().nonnegative().nullable().default(null),
    /** `gt` for "more than N" statutes, `gte` for "N or more". */
    ag_threshold_rule: z.enum(['gt', 'gte']).default('gte'),
    ag_days: z.number().int().positive().nullable().default(null),
    /** `start`: same start as the individuals' clock; `individuals`: from notifying individuals. */
    ag_from: z.enum(['start', 'individuals']).default('start'),
    source: z.string().min(1),
  })
  .strict();

export const customRegimeSection = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'kebab-case'),
    recipient: z.string().min(1),
    within_hours: z.number().positive(),
    /** Applies when ANY of these match (an empty `when` always applies). */
    when: z
      .object({
        data_categories: z.array(z.string()).optional(),
        severities: z.array(z.string()).optional(),
      })
      .strict()
      .prefault({}),
    owner: z.string().min(1).default('incident_commander'),
    source: z.string().min(1),
  })
  .strict();

export const regimesSection = z
  .object({
    /** Target for "without undue delay" duties that have no fixed deadline. */
    undue_delay_target_hours: z.number().positive().default(72),
    gdpr: regimeToggle.prefault({}),
    hipaa: regimeToggle.prefault({}),
    us_states: z
      .object({
        enabled: z.boolean().default(true),
        owner: z.string().min(1).optional(),
        /** Replace or add a state's rule (two-letter code). */
        overrides: z.record(z.string().regex(/^[A-Z]{2}$/, 'two-letter state code'), stateRuleSection).default({}),
        /** Categories that trigger state breach laws. */
        categories: z.array(z.string()).default(['personal']),
      })
      .strict()
      .prefault({}),
    sec: regimeToggle.prefault({}),
    nis2: regimeToggle.prefault({}),
    dora: regimeToggle.prefault({}),
    custom: z.array(customRegimeSection).default([]),
  })
  .strict();

export const postmortemSection = z
  .object({
    /** Placeholders: {timestamp} {date} {slug} {id}. Seed 000: docs/postmortems/incident_{timestamp}.md */
    path: z.string().min(1).default('docs/session-log/{date}-incident-{slug}.md'),
    front_matter: z.boolean().default(true),
    base_branch: z.string().min(1).default('main'),
  })
  .strict();

export const incidentSection = z
  .object({
    severity: severitySection.prefault({}),
    /** Role → GitHub handles, first is primary. */
    roster: z.record(z.string().regex(/^[a-z_]+$/, 'snake_case role'), z.array(handle)).default({}),
    escalation: z.array(escalationStepSection).default([]),
    regimes: regimesSection.prefault({}),
    /** Warn this many hours before each obligation is due (each once). */
    warn_before_hours: z.array(z.number().positive()).default([24, 4]),
    /** Step names whose successful applied run for an incident counts as containment. */
    containment_steps: z
      .array(z.string())
      .default(['block-ips', 'rotate-secret', 'disable-routes', 'limit-rate', 'isolate', 'freeze', 'rollback', 'record-containment']),
    /** IANA zone for calendar rules (HIPAA year end); SEC always counts in America/New_York. */
    timezone: z.string().default('UTC'),
    postmortem: postmortemSection.prefault({}),
  })
  .strict();

export type IncidentConfig = z.infer<typeof incidentSection>;
export type SeverityLevel = z.infer<typeof severityLevelSection>;
export type ChecklistRule = z.infer<typeof checklistRuleSection>;
export type EscalationStep = z.infer<typeof escalationStepSection>;
export type StateRule = z.infer<typeof stateRuleSection>;
export type CustomRegime = z.infer<typeof customRegimeSection>;
export type RegimesConfig = z.infer<typeof regimesSection>;

/** The defaults as a value, for code paths without a config file. */
export function defaultIncidentConfig(): IncidentConfig {
  return incidentSection.parse({});
}
