import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import '../config/zod-messages.js';
import { InputError } from '../errors.js';
import { daysInMonth } from './calendar.js';
import { US_BREACH_LAWS } from './data/us-breach-laws.js';
import { affectedSubjectsSchema } from './affected-subjects.js';

/**
 * Incident facts: what the clock engine needs to know about a breach. Strict on purpose: a wrong
 * fact silently read gives a wrong deadline, so every doubtful value is refused with the field's name.
 *
 * Times are ISO 8601 / RFC 3339 with an offset (`2026-11-22T09:30:00+01:00` or `Z`), checked as
 * calendar dates (no 30 February, no T24:00) and normalised to UTC. The offset of `discovered_at`
 * is kept in `discovered_utc_offset`: with no `incident.timezone` configured, the engine counts civil
 * days at that offset instead of silently in UTC.
 */

/** Categories the built-in regimes understand. Your own, for custom regimes: prefix with `x-`. */
export const DATA_CATEGORIES = {
  personal: 'personal information: name with an SSN, licence or account number (US state laws), personal data (GDPR and the other privacy laws)',
  contact: 'names, e-mail addresses, phone numbers: personal data under GDPR-style laws, not "personal information" under US state laws',
  government_id: 'social security, driver\'s licence, passport or other government identification numbers',
  financial: 'financial account, credit or debit card numbers (with or without their access codes)',
  account_credentials: 'user name or e-mail address with a password or security question for an online account',
  biometric: 'biometric data used to identify a person',
  medical: 'medical information not held under HIPAA (health apps, employers)',
  health_insurance: 'health insurance policy or subscriber numbers and claims information',
  phi: 'protected health information held by a HIPAA covered entity or business associate',
  minors: 'data about children',
  special: 'GDPR Art. 9 special categories',
  telemetry: 'non-personal operational data',
  secrets: 'non-personal system secrets (keys, tokens)',
  business_confidential: 'non-personal confidential business information',
} as const;

export const KNOWN_CATEGORIES: readonly string[] = Object.keys(DATA_CATEGORIES);

/** Codes with a row in the US breach-law table (50 states, DC, PR, GU, VI). */
export const US_JURISDICTION_CODES: readonly string[] = US_BREACH_LAWS.map((l) => l.code);

export const ROLES = ['controller', 'processor', 'covered_entity', 'business_associate'] as const;
export const JURISDICTIONS = ['canada', 'quebec', 'australia', 'brazil', 'india', 'singapore'] as const;

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;

interface ParsedInstant {
  iso: string;
  /** `+hh:mm`, or undefined for `Z`. */
  offset: string | undefined;
}

/** Parses one ISO 8601 instant strictly; returns an error message instead of guessing. */
export function parseInstant(s: string): ParsedInstant | string {
  const m = ISO.exec(s.trim());
  if (!m) return 'must be an ISO 8601 time with a zone offset, e.g. 2026-11-22T09:30:00Z or 2026-11-22T10:30:00+01:00';
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return `${m[1]}-${m[2]}-${m[3]} is not a calendar date`;
  if (hour > 23 || minute > 59 || second > 59) return `${m[4]}:${m[5]}${m[6] ? `:${m[6]}` : ''} is not a time of day (00:00 to 23:59:59; write 24:00 as 00:00 of the next day)`;
  let offset: string | undefined;
  let offsetMinutes = 0;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 18 || om > 59) return `offset ${m[8]} is not a UTC offset`;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
    offset = `${m[9]}${m[10]}:${m[11]}`;
  }
  const ms = Math.round(Number(`0${m[7] ?? ''}`) * 1000);
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  const d = new Date(t);
  if (d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9000) return 'must be between the years 1970 and 9000';
  return { iso: d.toISOString(), offset: offset === '+00:00' ? undefined : offset };
}

const instant = z.pipe(
  // YAML may hand us Date objects; they are instants already, so render them with their Z.
  z.transform((v: unknown, ctx) => {
    const s = v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : v;
    if (typeof s !== 'string') {
      ctx.issues.push({ code: 'custom', message: 'must be an ISO 8601 time with a zone offset, e.g. 2026-11-22T09:30:00Z', input: v });
      return z.NEVER;
    }
    const p = parseInstant(s);
    if (typeof p === 'string') {
      ctx.issues.push({ code: 'custom', message: p, input: v });
      return z.NEVER;
    }
    return p.iso;
  }),
  z.string(),
);

const subjects = z._default(z.union([z.boolean(), z.int().check(z.nonnegative())]), false);

export const factsSchema = z.strictObject({
  discovered_at: instant,
  /** The offset `discovered_at` was written with (derived; kept so the engine can count civil days there). */
  discovered_utc_offset: z.optional(z.string().check(z.regex(/^[+-](?:0\d|1[0-8]):[0-5]\d$/, 'an offset like -08:00'))),
  /** When the organisation determined a breach occurred (some state laws run from here). */
  breach_determined_at: z.optional(instant),
  data_categories: z._default(z.array(z.string().check(z.minLength(1))), []),
  /** true, or a count of EU/EEA data subjects. */
  eu_subjects: subjects,
  /** true, or a count of UK data subjects (UK GDPR, separate from the EU's). */
  uk_subjects: subjects,
  gdpr_high_risk: z._default(z.boolean(), false),
  /** What the organisation is for this data; absent means controller / covered entity (the data owner). */
  role: z.optional(z.union([z.enum(ROLES), z.array(z.enum(ROLES)).check(z.minLength(1))])),
  /** Other countries whose breach laws apply (people there are affected). */
  jurisdictions: z._default(z.array(z.enum(JURISDICTIONS)), []),
  /** When the organisation concluded the breach is notifiable (PIPEDA real risk of significant harm, Québec risk of serious injury, Australian eligible data breach, Singapore notifiable breach). */
  risk_assessed_at: z.optional(instant),
  affected_by_state: z._default(z.record(z.string().check(z.regex(/^[A-Z]{2}$/, 'two-letter US state or territory code')), z.int().check(z.nonnegative())), {}),
  /** Total people affected, where known (GLBA and FTC thresholds); defaults to the sum of affected_by_state. */
  affected_count: z.optional(z.int().check(z.nonnegative())),
  /** A financial institution under GLBA: `ftc_safeguards` (FTC jurisdiction, 16 CFR 314) or `banking_regulator`. */
  glba_institution: z.optional(z.enum(['ftc_safeguards', 'banking_regulator'])),
  /** A vendor of personal health records or PHR related entity (FTC Health Breach Notification Rule). */
  phr_vendor: z._default(z.boolean(), false),
  /** A covered entity of the New York Department of Financial Services (23 NYCRR 500). */
  ny_dfs_covered: z._default(z.boolean(), false),
  sec_registrant: z._default(z.boolean(), false),
  materiality_determined_at: z.optional(instant),
  nis2_entity: z._default(z.boolean(), false),
  dora_entity: z._default(z.boolean(), false),
  dora_major_classified_at: z.optional(instant),
  /** EU Cyber Resilience Act Art. 14: what a manufacturer became aware of (at discovered_at). */
  cra_event: z.optional(z.enum(['actively_exploited_vulnerability', 'severe_incident'])),
  /** When a corrective or mitigating measure became available (CRA final report on a vulnerability). */
  cra_corrective_measure_at: z.optional(instant),
  /** The affected accounts/subjects list by reference (evidence key, count, SHA-256), never the data. */
  affected_subjects: z.optional(affectedSubjectsSchema),
  /** Declaration and resolution, for custom regimes and internal clocks that start there (filled from the incident). */
  declared_at: z.optional(instant),
  resolved_at: z.optional(instant),
  /** Severity id, for custom regimes that depend on it (seed 000: "or it is Severity 1"). */
  severity: z.optional(z.string()),
  /** Obligation id → when it was actually submitted; later stages run from the real time. */
  submitted: z._default(z.record(z.string(), instant), {}),
});

export type IncidentFacts = z.infer<typeof factsSchema>;
export type IncidentFactsInput = z.input<typeof factsSchema>;

export interface FactsOptions {
  /** More accepted data categories (those named by configured custom regimes). */
  categories?: readonly string[];
  /** More accepted state codes (those added by configured overrides). */
  states?: readonly string[];
}

const HINT =
  'Facts need discovered_at (ISO 8601 with offset) and may have breach_determined_at, data_categories, eu_subjects, uk_subjects, gdpr_high_risk, role, jurisdictions, risk_assessed_at, affected_by_state, affected_count, glba_institution, phr_vendor, ny_dfs_covered, sec_registrant, materiality_determined_at, nis2_entity, dora_entity, dora_major_classified_at, cra_event, cra_corrective_measure_at, severity, submitted. See docs/responders/deadlines.md.';

function invalid(source: string, field: string, message: string, hint = HINT): InputError {
  return new InputError(`${source}: ${field}: ${message}`, { field, code: 'FACTS_INVALID', hint });
}

/** Validates a facts object; the error names the field. */
export function parseFacts(raw: unknown, source = 'facts', options: FactsOptions = {}): IncidentFacts {
  const parsed = factsSchema.safeParse(withDiscoveryOffset(raw));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(root)';
    const keys = issue.code === 'unrecognized_keys' ? ` "${(issue as { keys?: string[] }).keys?.join('", "')}"` : '';
    throw invalid(source, field, `${issue.message}${keys}`);
  }
  const facts = parsed.data;
  const known = new Set([...KNOWN_CATEGORIES, ...(options.categories ?? []).map((c) => c.toLowerCase())]);
  facts.data_categories.forEach((c, i) => {
    if (!known.has(c.toLowerCase()) && !c.toLowerCase().startsWith('x-')) {
      throw invalid(source, `data_categories.${i}`, `unknown data category "${c}"`, `Known categories: ${[...known].join(', ')}; your own (for custom regimes only) start with "x-". A breach of unknown data is never read as non-personal.`);
    }
  });
  facts.data_categories = facts.data_categories.map((c) => c.toLowerCase());
  const states = new Set([...US_JURISDICTION_CODES, ...(options.states ?? [])]);
  for (const code of Object.keys(facts.affected_by_state)) {
    if (!states.has(code)) throw invalid(source, `affected_by_state.${code}`, `unknown US state or territory code "${code}"`, `Known codes: ${[...states].sort().join(', ')}.`);
  }
  const discovered = Date.parse(facts.discovered_at);
  const ordered: Array<[string, string | undefined]> = [
    ['breach_determined_at', facts.breach_determined_at],
    ['materiality_determined_at', facts.materiality_determined_at],
    ['dora_major_classified_at', facts.dora_major_classified_at],
    ['risk_assessed_at', facts.risk_assessed_at],
    ...Object.entries(facts.submitted).map(([id, at]): [string, string] => [`submitted.${id}`, at]),
  ];
  for (const [field, at] of ordered) {
    if (at !== undefined && Date.parse(at) < discovered) {
      throw invalid(source, field, `${at} is before discovered_at (${facts.discovered_at}): nothing can be determined, classified or sent about a breach before it is discovered`, 'Fix the time or move discovered_at back to when the organisation first became aware.');
    }
  }
  return facts;
}

/** Records the offset `discovered_at` was written with; a `Z` time keeps an offset recorded earlier. */
function withDiscoveryOffset(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  if (typeof r.discovered_at !== 'string') return raw;
  const p = parseInstant(r.discovered_at);
  if (typeof p === 'string' || p.offset === undefined) return raw;
  return { ...r, discovered_utc_offset: p.offset };
}

/** Parses YAML or JSON text (JSON is YAML). */
export function parseFactsText(text: string, source = 'facts', options: FactsOptions = {}): IncidentFacts {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new InputError(`${source}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, { field: 'facts', code: 'FACTS_INVALID' });
  }
  return parseFacts(data ?? {}, source, options);
}
