/**
 * Provider write rates a fleet run honours per account and region (PROVIDERS.md; AWS WAF quotas:
 * about one Create/Put/Update call per second per account and Region). Kept here, next to the
 * keyed token bucket that enforces them, so the number lives in one place.
 */
export const FLEET_RATE_LIMITS = {
  waf: { writesPerSecond: 1, burst: 1 },
} as const;
