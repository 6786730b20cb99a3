import * as z from 'zod/mini';
import { onePeriod, periodFields } from './clock-period.js';

/**
 * The incident's own clocks and people, beside the legal ones (`incident:` in firebreak.yml):
 * - `own_clocks`: internal deadlines per severity (seed 000 §8 "Postmortem within 72 hours",
 *   seed 003 §5 "within 48 hours of resolution", seed 002 Step 5 "within 5 business days",
 *   seed 002 Step 3 "SEV-0/1 assessment within 24h; SEV-2 within 72h").
 * - `commander`: who commands by severity (seed 004 "P1/P2: Senior engineer or team lead").
 * - `routes`: who is paged by category (seed 004's escalation path: infrastructure → DevOps Lead,
 *   security → Security Engineer → CISO, data breach → CISO / Legal).
 * - `ticks`: the slot length that makes ticks from two schedulers idempotent.
 */

const severityIds = z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)));

export const ownClockSection = z
  .strictObject({
    /** Obligation id `internal-<kind>`. `postmortem` is met by write-postmortem; others by record-notification. */
    kind: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'kebab-case, e.g. postmortem or assessment')),
    ...periodFields('declaration'),
    /** Severity ids this entry applies to; all when absent. The first matching entry of a kind wins. */
    severities: severityIds,
    owner: z._default(z.string().check(z.minLength(1)), 'incident_commander'),
    source: z.string().check(z.minLength(1)),
  })
  .check(onePeriod);

export const commanderRuleSection = z.strictObject({
  severities: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  /** Roster role whose first handle commands incidents of these severities. */
  role: z.string().check(z.regex(/^[a-z_]+$/, 'snake_case role')),
});

export const routeStepSection = z.strictObject({
  /** Roster role to page. */
  notify: z.string().check(z.regex(/^[a-z_]+$/, 'snake_case role')),
  /** Minutes after declaration (0 = at the first tick). A ladder's later rungs wait longer. */
  after_minutes: z._default(z.int().check(z.nonnegative()), 0),
  severities: severityIds,
});

export const routesSection = z.record(z.string().check(z.regex(/^[a-z][a-z0-9_]*$/, 'snake_case category, e.g. infrastructure')), z.array(routeStepSection).check(z.minLength(1)));

export const ticksSection = z.strictObject({
  /** Ticks whose scheduled times fall in the same slot are one tick: the second posts nothing. Divides 60. */
  slot_minutes: z._default(z.int().check(z.positive(), z.refine((n: number) => 60 % n === 0, { message: 'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)' })), 5),
});

export type OwnClock = z.infer<typeof ownClockSection>;
export type CommanderRule = z.infer<typeof commanderRuleSection>;
export type RouteStep = z.infer<typeof routeStepSection>;
