/**
 * Provider numbers the route and rate steps design around, in one place (PROVIDERS.md and the
 * providers' quota pages, 2026). Check the current page before changing one.
 */
export const ROUTE_LIMITS = {
  waf: {
    /** AWS WAF quotas: "Maximum number of regex patterns in a regex pattern set" (default, adjustable). */
    maxPatternsPerSet: 10,
    /** AWS WAF quotas: "Maximum characters in each regex pattern". */
    maxPatternLength: 200,
    /** Custom response status range for block actions. */
    responseStatus: { min: 200, max: 599 },
    /** Rate-based rule limit range and the evaluation windows WAF accepts. */
    rateLimit: { min: 10, max: 2_000_000_000 },
    rateWindows: [60, 120, 300, 600] as const,
    /** The kit's rule group capacity (infra/components/waf-break-glass.ts); it cannot change after creation. */
    ruleGroupCapacity: 100,
    /** Regex scope-down statements that fit in what the kit leaves free (a regex match with two transformations is 23 WCUs). */
    rateScopeMaxRoutes: 2,
  },
  cloudflare: {
    /** The rulesets API refuses longer expressions (the emulator enforces the same number). */
    maxExpressionLength: 4096,
    /** Custom rules may block with 400–499 only: no 503 at the Cloudflare edge. */
    responseStatus: { min: 400, max: 499 },
    /** Rate-limiting periods (Free: 10 only; paid plans the others). */
    ratePeriods: [10, 60, 120, 300, 600, 3600] as const,
  },
  /** Longest route a responder may type; longer is refused, never truncated. */
  maxRouteLength: 512,
  /** Routes one run may disable. */
  maxRoutesPerRun: 50,
} as const;
