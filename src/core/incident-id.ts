import { InputError } from './errors.js';

/**
 * The one incident-id grammar every entry point and step accepts (action input, CLI `--incident`,
 * block-ips/unblock-ips/sweep): a letter or digit, then letters, digits and `. _ : # -`, at most 64
 * characters. Ids minted by `declare` (`INC-2026-11-22-<slug>`) fit it.
 *
 * Why so narrow: the id is written into Cloudflare item comments (`fb inc=…;exp=…`), audit records,
 * S3 keys and issue labels. `/` would split a key into folders, `;` and `=` would forge comment
 * fields, and spaces and control characters make ids that a responder cannot grep for.
 */
export const INCIDENT_ID_MAX_LENGTH = 64;
const FIRST = /^[A-Za-z0-9]/;
const ALLOWED = /^[A-Za-z0-9._:#-]*$/;

export const INCIDENT_ID_RULE = `letters, digits and . _ : # -, starting with a letter or digit, at most ${INCIDENT_ID_MAX_LENGTH} characters`;

/** Why `value` is not an incident id, or undefined when it is one. */
export function incidentIdProblem(value: string): string | undefined {
  if (value.length > INCIDENT_ID_MAX_LENGTH) return `is ${value.length} characters long, more than ${INCIDENT_ID_MAX_LENGTH}`;
  if (!FIRST.test(value)) return `starts with "${value[0]}", not a letter or digit`;
  if (!ALLOWED.test(value)) {
    const bad = [...value].find((ch) => !ALLOWED.test(ch))!;
    // Stryker disable next-line Regex: `bad` is one code point, so removing either anchor cannot change the answer.
    return `contains ${/^[\x21-\x7e]$/.test(bad) ? `"${bad}"` : `the character U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`}, which an incident id may not hold`;
  }
  return undefined;
}

export function isIncidentId(value: string): boolean {
  // The grammar already refuses '' (no first letter or digit).
  return incidentIdProblem(value) === undefined;
}

export interface IncidentIdOptions {
  /** The input's name in messages (`incident-id`, `incident`, `--incident`). */
  field?: string;
  /** When true, an empty value is INCIDENT_ID_MISSING; otherwise it is null (no incident). */
  required?: boolean;
}

/**
 * Reads an incident id. Absent (empty or whitespace) and malformed are different errors: a responder
 * who typed `INC/7` is told what is wrong with it, not that the id is missing.
 */
export function parseIncidentId(raw: unknown, options: IncidentIdOptions & { required: true }): string;
export function parseIncidentId(raw: unknown, options?: IncidentIdOptions): string | null;
export function parseIncidentId(raw: unknown, options: IncidentIdOptions = {}): string | null {
  const field = options.field ?? 'incident-id';
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    throw new InputError(`${field} must be text (${INCIDENT_ID_RULE})`, { field, code: 'INCIDENT_ID_INVALID' });
  }
  const value = (raw ?? '').trim();
  if (value === '') {
    if (!options.required) return null;
    throw new InputError(`${field} is required: name the incident this run belongs to (e.g. INC-2026-11-22-checkout)`, { field, code: 'INCIDENT_ID_MISSING' });
  }
  const problem = incidentIdProblem(value);
  if (problem !== undefined) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    throw new InputError(`${field} ${JSON.stringify(shown)} ${problem}; an incident id is ${INCIDENT_ID_RULE}`, { field, code: 'INCIDENT_ID_INVALID' });
  }
  return value;
}
