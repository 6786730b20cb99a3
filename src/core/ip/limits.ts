/**
 * Every provider number the block-ips capability designs around, in one place. Each line names the
 * page it comes from; check it before changing a number (limits change, code should not scatter them).
 */
export const PROVIDER_LIMITS = {
  waf: {
    /** AWS WAFv2 CreateIPSet/UpdateIPSet: at most 10,000 addresses per IP set. */
    maxEntriesPerSet: 10_000,
    /** Any CIDR except /0 (AWS WAFv2 IPSet.Addresses). */
    minPrefix: { 4: 1, 6: 1 },
  },
  cloudflare: {
    /** Cloudflare Lists: IPv4 single addresses or /8–/32. */
    minPrefix: { 4: 8, 6: 4 },
    /** IPv6 items are stored no narrower than /64: a single IPv6 address becomes its /64. */
    maxPrefix: { 4: 32, 6: 64 },
    /** Items across all lists on most plans (Enterprise: 500,000); the real capacity comes from config. */
    defaultCapacity: 10_000,
    /** Item comments are "informative summaries"; keep them short enough for every plan. */
    maxCommentLength: 500,
  },
} as const;

/** Defaults for firebreak's own guards (overridable in firebreak.yml `blocking:`). */
export const GUARD_DEFAULTS = {
  /** Broader prefixes than these need an override with a reason. */
  maxBreadth: { 4: 16, 6: 32 },
  /**
   * Percent of each family's address space one run may cover in total (after aggregation and
   * widening). 0.1% of IPv4 is about 4.3 million addresses (65 /16s); 0.000001% of IPv6 is about
   * 43 /32s. More needs an override with a reason.
   */
  maxSharePercent: { 4: 0.1, 6: 0.000001 },
  /** A block without an end date is a block forever; cap how long one may last. */
  maxTtlHours: 24 * 90,
} as const;
