import * as z from 'zod/mini';
import { onePeriod, periodFields } from './clock-period.js';
import { commanderRuleSection, ownClockSection, routesSection, ticksSection } from './own-clocks.js';

/**
 * `incident:` in firebreak.yml — severity scheme, roster and escalation ladder, the regulatory
 * regimes that apply, templates' paths and the close gate's notion of containment.
 * Every field has a default so `version: 1` alone gives a working SEV0–3 setup.
 */

const handle = z.string().check(z.minLength(1));

export const severityLevelSection = z.strictObject({
    /** Label value, e.g. `SEV0`, `P1`, `1`. Ordered most severe first in `levels`. */
    id: z.string().check(z.regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only')),
    name: z.string().check(z.minLength(1)),
    /** Time the incident commander has to acknowledge. */
    ack_minutes: z.int().check(z.positive()),
    /** A status update is due this often while the incident is open. */
    update_every_minutes: z.int().check(z.positive()),
  });

export const checklistRuleSection = z.strictObject({
    /** Answer key, e.g. `phi_accessed`. */
    id: z.string().check(z.regex(/^[a-z0-9_]+$/, 'snake_case')),
    question: z.string().check(z.minLength(1)),
    /** The level a "yes" implies. */
    level: z.string().check(z.minLength(1)),
  });

export const severitySection = z.strictObject({
    /** A preset (see docs/responders/incident.md) or `custom` with `levels` and `checklist`. */
    scheme: z._default(z.enum(['SEV0-3', 'SEV1-4', 'P1-P4', '1-4', 'custom']), 'SEV0-3'),
    levels: z.optional(z.array(severityLevelSection).check(z.minLength(2))),
    checklist: z.optional(z.array(checklistRuleSection)),
    /** Seed 004: "Is there a workaround? → Downgrade by 1 level". */
    workaround_lowers: z.optional(z.boolean()),
    /** Seed 002: "When in doubt, classify one tier up". */
    doubt_raises: z.optional(z.boolean()),
  });

export const escalationStepSection = z.strictObject({
    /** Minutes with no action: since the last status update, or since declaration (`from`). */
    after_minutes: z.int().check(z.nonnegative()),
    /** `last_update` re-arms after every update; `declared` fires once per incident. */
    from: z._default(z.enum(['last_update', 'declared']), 'last_update'),
    /** Roster role to page. */
    notify: z.string().check(z.minLength(1)),
    /** Only for these severities (ids); all when absent. */
    severities: z.optional(z.array(z.string())),
    /** Only when the incident involves a data breach (personal / phi / minors data). */
    data_breach: z.optional(z.boolean()),
  });

const regimeToggle = z.strictObject({ enabled: z._default(z.boolean(), true), owner: z.optional(z.string().check(z.minLength(1))) });

export const stateRuleSection = z.strictObject({
    individuals_days: z.nullable(z.int().check(z.positive())),
    individuals_from: z._default(z.enum(['discovery', 'determination']), 'discovery'),
    ag_threshold: z._default(z.nullable(z.int().check(z.nonnegative())), null),
    /** `gt` for "more than N" statutes, `gte` for "N or more". */
    ag_threshold_rule: z._default(z.enum(['gt', 'gte']), 'gte'),
    ag_days: z._default(z.nullable(z.int().check(z.positive())), null),
    /** `start`: same start as the individuals' clock; `individuals`: from notifying individuals. */
    ag_from: z._default(z.enum(['start', 'individuals']), 'start'),
    source: z.string().check(z.minLength(1)),
  });

export const customRegimeSection = z.strictObject({
    id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'kebab-case')),
    recipient: z.string().check(z.minLength(1)),
    /** One of within_hours / within_days / within_business_days, from any fact (./clock-period.ts). */
    ...periodFields('discovery'),
    /** Applies when ANY of these match (an empty `when` always applies). */
    when: z.prefault(
      z.strictObject({
        data_categories: z.optional(z.array(z.string())),
        severities: z.optional(z.array(z.string())),
      }),
      {},
    ),
    owner: z._default(z.string().check(z.minLength(1)), 'incident_commander'),
    source: z.string().check(z.minLength(1)),
  }).check(onePeriod);

export const regimesSection = z.strictObject({
    /** Target for "without undue delay" duties that have no fixed deadline. */
    undue_delay_target_hours: z._default(z.number().check(z.positive()), 72),
    gdpr: z.prefault(regimeToggle, {}),
    hipaa: z.prefault(regimeToggle, {}),
    us_states: z.prefault(
      z.strictObject({
        enabled: z._default(z.boolean(), true),
        owner: z.optional(z.string().check(z.minLength(1))),
        /** Replace or add a state's rule (two-letter code). */
        overrides: z._default(z.record(z.string().check(z.regex(/^[A-Z]{2}$/, 'two-letter state code')), stateRuleSection), {}),
        /**
         * Categories that trigger EVERY state's law, replacing each state's own list (data/us-breach-laws.ts).
         * Leave unset: the per-state lists follow each statute's definition of personal information.
         */
        categories: z.optional(z.array(z.string())),
      }),
      {},
    ),
    sec: z.prefault(regimeToggle, {}),
    nis2: z.prefault(regimeToggle, {}),
    dora: z.prefault(regimeToggle, {}),
    /** UK GDPR (ICO), separate from the EU's GDPR. */
    uk_gdpr: z.prefault(regimeToggle, {}),
    /** FTC Health Breach Notification Rule (16 CFR 318), for vendors of personal health records. */
    ftc_hbnr: z.prefault(regimeToggle, {}),
    /** GLBA Safeguards Rule notice to the FTC (16 CFR 314.4(j)). */
    glba: z.prefault(regimeToggle, {}),
    /** New York DFS cybersecurity regulation (23 NYCRR 500.17). */
    ny_dfs: z.prefault(regimeToggle, {}),
    /** EU Cyber Resilience Act Art. 14. */
    eu_cra: z.prefault(regimeToggle, {}),
    pipeda: z.prefault(regimeToggle, {}),
    quebec: z.prefault(regimeToggle, {}),
    au_ndb: z.prefault(regimeToggle, {}),
    lgpd: z.prefault(regimeToggle, {}),
    dpdp: z.prefault(regimeToggle, {}),
    pdpa_sg: z.prefault(regimeToggle, {}),
    custom: z._default(z.array(customRegimeSection), []),
  });

export const postmortemSection = z.strictObject({
    /** Placeholders: {timestamp} {date} {slug} {id}. Seed 000: docs/postmortems/incident_{timestamp}.md */
    path: z._default(z.string().check(z.minLength(1)), 'docs/session-log/{date}-incident-{slug}.md'),
    front_matter: z._default(z.boolean(), true),
    base_branch: z._default(z.string().check(z.minLength(1)), 'main'),
  });

export const incidentSection = z.strictObject({
    severity: z.prefault(severitySection, {}),
    /** Role → GitHub handles, first is primary. */
    roster: z._default(z.record(z.string().check(z.regex(/^[a-z_]+$/, 'snake_case role')), z.array(handle)), {}),
    escalation: z._default(z.array(escalationStepSection), []),
    regimes: z.prefault(regimesSection, {}),
    /** Warn this many hours before each obligation is due (each once). */
    warn_before_hours: z._default(z.array(z.number().check(z.positive())), [24, 4]),
    /** Step names whose successful applied run for an incident counts as containment. */
    containment_steps: z._default(z.array(z.string()), ['block-ips', 'rotate-secret', 'disable-routes', 'limit-rate', 'isolate', 'freeze', 'rollback', 'record-containment']),
    /**
     * IANA zone of the entity: civil days, months and year ends of the notification clocks are counted
     * here. Unset: the offset discovered_at was written with (and a warning). SEC always counts in
     * America/New_York, LGPD in America/Sao_Paulo, Singapore's PDPA in Asia/Singapore.
     */
    timezone: z.optional(z.string().check(z.refine(isTimeZone, 'an IANA time zone such as America/Los_Angeles or Europe/Berlin'))),
    postmortem: z.prefault(postmortemSection, {}),
    // The incident's own clocks, commander by severity, routes by category, tick slots (./own-clocks.ts).
    own_clocks: z._default(z.array(ownClockSection), []),
    commander: z._default(z.array(commanderRuleSection), []),
    routes: z._default(routesSection, {}),
    ticks: z.prefault(ticksSection, {}),
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

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
