import * as z from 'zod/mini';

/**
 * `routes:`, `rate_limits:` and `health:` in firebreak.yml — settings of disable-routes /
 * enable-routes, limit-rate / restore-rate and verify-health. The kit's resources come from the
 * variables `pulumi up` writes (src/core/names.ts); provider numbers live in src/core/routes/limits.ts.
 */
/** Names of `health` checks or alarms; also used by the recovery steps' `verify_after`. */
export const checkNames = z._default(z.array(z.string().check(z.regex(/^[\w.-]{1,64}$/, 'check names are letters, digits, _ . -'))), []);

export const routesSection = z.strictObject({
  /**
   * Routes no run may disable without an audited override (guard ROUTE_PROTECTED): health checks,
   * the responders' own login. Same syntax as the `routes` input.
   */
  protected: z._default(z.array(z.string()), []),
  /**
   * Cloudflare's `matches` needs a Business or Enterprise plan. Off: a route with a parameter is
   * widened to its literal prefix on Cloudflare (`/erase/<id>` → `/erase/*`) and the plan says so.
   */
  cloudflare_regex: z._default(z.boolean(), false),
  /** The WAF kill-switch's answer; disable-routes puts it back when it differs. */
  waf_response: z.prefault(
    z.strictObject({
      status: z._default(z.int().check(z.minimum(200), z.maximum(599)), 503),
      retry_after_seconds: z._default(z.int().check(z.minimum(0), z.maximum(86_400)), 300),
    }),
    {},
  ),
  /** Health checks run after disable-routes / enable-routes apply (names from `health.checks`). */
  verify_after: checkNames,
  /** Key prefix of the edge ledger inside the kit's evidence bucket. */
  ledger_prefix: z._default(z.string().check(z.regex(/^[\w./-]*$/)), 'edge-ledger/'),
});

export const rateLimitsSection = z.strictObject({
  /** Lowest limit a run may set without an audited override (guard RATE_TOO_LOW). */
  min_limit: z._default(z.int().check(z.minimum(10)), 10),
  /** Health checks run after limit-rate / restore-rate apply. */
  verify_after: checkNames,
});

const healthCheck = z.strictObject({
  name: z.string().check(z.regex(/^[\w.-]{1,64}$/, 'check names are letters, digits, _ . -')),
  // No user:password@ in the URL: the plan and the audit record show it (and this file is committed).
  url: z.string().check(z.regex(/^https?:\/\/[^\s/@?#]+(?:[/?#][^\s]*)?$/, 'an http:// or https:// URL without user:password@')),
  method: z._default(z.enum(['GET', 'HEAD', 'POST', 'OPTIONS']), 'GET'),
  expect_status: z._default(z.array(z.int().check(z.minimum(100), z.maximum(599))), [200]),
  /** A dotted path into a JSON body (`status`, `details.db.ok`) and the value it must hold. */
  json: z.optional(z.strictObject({ path: z.string().check(z.minLength(1)), equals: z.union([z.string(), z.number(), z.boolean(), z.null()]) })),
  /** A regular expression the body must match (JavaScript syntax). */
  body_pattern: z.optional(z.string().check(z.minLength(1), z.maxLength(500))),
  /** Plain headers (never secrets: this file is committed). */
  headers: z._default(z.record(z.string(), z.string()), {}),
  timeout_ms: z._default(z.int().check(z.minimum(1), z.maximum(120_000)), 5_000),
  /** Failed probes tolerated before the check fails. */
  retries: z._default(z.int().check(z.minimum(0), z.maximum(100)), 3),
  /** First wait between probes; doubles each time up to 30 s. */
  backoff_ms: z._default(z.int().check(z.minimum(0), z.maximum(60_000)), 1_000),
  /** Successes in a row needed to pass (a flapping endpoint does not pass on one good answer). */
  consecutive: z._default(z.int().check(z.minimum(1), z.maximum(20)), 1),
  /** Accept a self-signed certificate only for this check (never the default). */
  insecure_tls: z._default(z.boolean(), false),
});

const healthAlarm = z.strictObject({
  name: z.string().check(z.regex(/^[\w.-]{1,64}$/)),
  /** A CloudWatch alarm (metric or composite, metric math included) that must be OK. */
  alarm_name: z.string().check(z.minLength(1), z.maxLength(255)),
});

export const healthSection = z.strictObject({
  checks: z._default(z.array(healthCheck), []),
  alarms: z._default(z.array(healthAlarm), []),
  /** How long an alarm may take to return to OK. */
  alarm_wait_seconds: z._default(z.int().check(z.minimum(0), z.maximum(3_600)), 300),
  alarm_poll_seconds: z._default(z.int().check(z.minimum(1), z.maximum(300)), 15),
});
