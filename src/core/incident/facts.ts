import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import '../config/zod-messages.js';
import { InputError } from '../errors.js';
import { affectedSubjectsSchema } from './affected-subjects.js';

/**
 * Incident facts: what the clock engine needs to know about a breach. Times carry an offset
 * (`2026-11-22T09:30:00+01:00` or `Z`) and are normalised to UTC; a time without one is refused
 * because "09:30" means different deadlines in different offices.
 */

const instant = z.pipe(
  z.string().check(
    z.refine((s) => /(?:Z|[+-]\d{2}:?\d{2})$/i.test(s.trim()) && !Number.isNaN(Date.parse(s)), {
      message: 'must be an ISO 8601 time with a zone offset, e.g. 2026-11-22T09:30:00Z',
    }),
    z.refine((s) => inRange(new Date(Date.parse(s))), { message: 'must be between the years 1970 and 9000' }),
  ),
  z.transform((s: string) => new Date(Date.parse(s)).toISOString()),
);

// YAML may hand us Date objects; they are instants already, so render them with their Z.
const instantOrDate = z.pipe(
  z.transform((v: unknown) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : v)),
  instant,
);

function inRange(d: Date): boolean {
  const y = d.getUTCFullYear();
  return !Number.isNaN(d.getTime()) && y >= 1970 && y <= 9000;
}

export const factsSchema = z.strictObject({
  discovered_at: instantOrDate,
  /** When the organisation determined a breach occurred (some state laws run from here). */
  breach_determined_at: z.optional(instantOrDate),
  data_categories: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** true, or a count of EU/EEA data subjects. */
  eu_subjects: z._default(z.union([z.boolean(), z.int().check(z.nonnegative())]), false),
  gdpr_high_risk: z._default(z.boolean(), false),
  affected_by_state: z._default(z.record(z.string().check(z.regex(/^[A-Z]{2}$/, 'two-letter US state code')), z.int().check(z.nonnegative())), {}),
  sec_registrant: z._default(z.boolean(), false),
  materiality_determined_at: z.optional(instantOrDate),
  nis2_entity: z._default(z.boolean(), false),
  dora_entity: z._default(z.boolean(), false),
  dora_major_classified_at: z.optional(instantOrDate),
  /** The affected accounts/subjects list by reference (evidence key, count, SHA-256), never the data. */
  affected_subjects: z.optional(affectedSubjectsSchema),
  /** Declaration and resolution, for custom regimes and internal clocks that start there (filled from the incident). */
  declared_at: z.optional(instantOrDate),
  resolved_at: z.optional(instantOrDate),
  /** Severity id, for custom regimes that depend on it (seed 000: "or it is Severity 1"). */
  severity: z.optional(z.string()),
  /** Obligation id → when it was actually submitted; later stages run from the real time. */
  submitted: z._default(z.record(z.string(), instantOrDate), {}),
});

export type IncidentFacts = z.infer<typeof factsSchema>;
export type IncidentFactsInput = z.input<typeof factsSchema>;

/** Validates a facts object; the error names the field. */
export function parseFacts(raw: unknown, source = 'facts'): IncidentFacts {
  const parsed = factsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(root)';
  const keys = issue.code === 'unrecognized_keys' ? ` "${(issue as { keys?: string[] }).keys?.join('", "')}"` : '';
  throw new InputError(`${source}: ${field}: ${issue.message}${keys}`, {
    field,
    code: 'FACTS_INVALID',
    hint: 'Facts need discovered_at (with offset) and may have data_categories, eu_subjects, gdpr_high_risk, affected_by_state, sec_registrant, materiality_determined_at, nis2_entity, dora_entity, dora_major_classified_at.',
  });
}

/** Parses YAML or JSON text (JSON is YAML). */
export function parseFactsText(text: string, source = 'facts'): IncidentFacts {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new InputError(`${source}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, { field: 'facts', code: 'FACTS_INVALID' });
  }
  return parseFacts(data ?? {}, source);
}
