import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { InputError } from '../errors.js';

/**
 * One alert, whatever sent it: the normalized shape rules match on. Every sender's payload is
 * untrusted: it is size-checked, then parsed by a schema, and its fields only ever become input
 * values for a step's own schema (never a shell word, never a workflow expression).
 */

export const ALERT_EVENT_TYPE = 'firebreak-alert';
export const ALERT_PAYLOAD_VERSION = 1;
/** GitHub caps `client_payload` at 64 KB; an alert larger than that is refused before parsing. */
export const ALERT_MAX_BYTES = 64 * 1024;

export const SEVERITY_HINTS = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type SeverityHint = (typeof SEVERITY_HINTS)[number];

const text = (max: number) => z.string().check(z.maxLength(max));
const LABEL_KEY = /^[A-Za-z_][\w.\-/]{0,99}$/;

export const alertSchema = z.strictObject({
  source: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a source is 1–64 lowercase letters, digits, . _ -')),
  fingerprint: z.string().check(z.regex(/^[\w.:\-/]{1,200}$/, 'a fingerprint is 1–200 letters, digits and . _ : - /')),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  severity_hint: z.optional(z.enum(SEVERITY_HINTS)),
  labels: z._default(
    z.record(z.string().check(z.regex(LABEL_KEY, 'label names are letters, digits, _ . - /')), text(1000)).check(z.refine((r) => Object.keys(r).length <= 50, 'at most 50 labels')),
    {},
  ),
  addresses: z._default(z.array(text(64)).check(z.maxLength(100)), []),
  subjects: z._default(z.array(text(200)).check(z.maxLength(100)), []),
  // Only https links: the URL is shown on the incident issue.
  url: z.optional(z.url({ protocol: /^https$/ }).check(z.maxLength(2000))),
});

export type Alert = z.infer<typeof alertSchema>;

/**
 * The senders the kit reads; `firebreak` is the documented native shape. GitHub Actions cannot be
 * triggered by code_scanning_alert / secret_scanning_alert, so their webhook payloads arrive as the
 * `code-scanning` / `secret-scanning` formats of the same dispatch.
 */
export const ALERT_FORMATS = ['firebreak', 'alertmanager', 'guardduty', 'cloudflare', 'code-scanning', 'secret-scanning'] as const;
export type AlertFormat = (typeof ALERT_FORMATS)[number];

/** `client_payload` of a `firebreak-alert` repository_dispatch. */
export const dispatchPayloadSchema = z.strictObject({
  v: z.literal(ALERT_PAYLOAD_VERSION),
  format: z.enum(ALERT_FORMATS),
  body: z.unknown(),
});

/** Refuses a payload larger than the cap before any schema walks it. */
export function checkAlertSize(payload: unknown, what = 'the alert payload'): void {
  const size = Buffer.byteLength(JSON.stringify(payload ?? null), 'utf8');
  if (size > ALERT_MAX_BYTES) throw new InputError(`${what} is ${size} bytes, more than ${ALERT_MAX_BYTES}`, { field: 'client_payload', code: 'ALERT_TOO_LARGE' });
}

/** A schema failure as the typed error responders read: which field, what was wrong. */
export function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  const path = first.path.map(String).join('.') || '(root)';
  throw new InputError(`${what} is not valid: ${path}: ${first.message}`, { field: path, code: 'ALERT_INVALID' });
}

/** A stable, short key for the storm an alert belongs to: same source and fingerprint, same key. */
export function fingerprintKey(alert: Pick<Alert, 'source' | 'fingerprint'>): string {
  return createHash('sha256').update(`${alert.source}\n${alert.fingerprint}`).digest('hex').slice(0, 16);
}

/** The label that ties an incident issue to its storm (labels are at most 50 characters). */
export function fingerprintLabel(alert: Pick<Alert, 'source' | 'fingerprint'>): string {
  return `alert:${fingerprintKey(alert)}`;
}

/** The marker comment written on the incident issue when an alert opens or joins it. */
export function fingerprintMarker(alert: Pick<Alert, 'source' | 'fingerprint'>): string {
  return `<!-- firebreak-alert ${fingerprintKey(alert)} -->`;
}
