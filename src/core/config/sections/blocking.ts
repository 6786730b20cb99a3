import * as z from 'zod/mini';

/**
 * `blocking:` in firebreak.yml — guards and targets for block-ips / unblock-ips / sweep-expired.
 * The kit's IP sets and list come from the variables `pulumi up` writes (src/core/names.ts); this
 * section adds sets the kit does not manage (e.g. a CLOUDFRONT pair next to the kit's REGIONAL one)
 * and tunes the guards. Provider numbers live in src/core/ip/limits.ts, not here.
 */
const wafIpSetEntry = z.strictObject({
  scope: z.enum(['REGIONAL', 'CLOUDFRONT']),
  ip_version: z.enum(['IPV4', 'IPV6']),
  name: z.string().check(z.regex(/^[\w-]{1,128}$/, 'WAF names are 1–128 letters, digits, _ or -')),
  id: z.string().check(z.regex(/^[0-9a-f-]{1,36}$/i, 'WAF ids are up to 36 hex digits and dashes')),
});

export const blockingSection = z.strictObject({
  /**
   * CIDRs broader than these need an audited override (guard BREADTH_EXCEEDED). Judged per target on
   * what will be written: 256 typed /16s that merge into a /8 are a /8.
   */
  max_breadth: z.prefault(
    z.strictObject({
      ipv4: z._default(z.int().check(z.minimum(1), z.maximum(32)), 16),
      ipv6: z._default(z.int().check(z.minimum(1), z.maximum(128)), 32),
    }),
    {},
  ),
  /**
   * Percent of the IPv4 / IPv6 address space one run may cover in total, judged on what is written
   * (after aggregation and Cloudflare's /64 widening). More needs an audited override (guard
   * ADDRESS_SPACE_EXCEEDED). 0.1% of IPv4 ≈ 4.3 M addresses; 0.000001% of IPv6 ≈ 43 /32s.
   */
  max_share_percent: z.prefault(
    z.strictObject({
      ipv4: z._default(z.number().check(z.positive(), z.maximum(100)), 0.1),
      ipv6: z._default(z.number().check(z.positive(), z.maximum(100)), 0.000001),
    }),
    {},
  ),
  default_ttl: z._default(z.string().check(z.regex(/^\d{1,6}[mhdw]$/, 'like 30m, 24h, 7d or 2w')), '24h'),
  max_ttl_hours: z._default(z.int().check(z.positive()), 24 * 90),
  waf: z.prefault(z.strictObject({ ip_sets: z._default(z.array(wafIpSetEntry), []) }), {}),
  cloudflare: z.prefault(
    z.strictObject({
      /** Items the account may hold across lists: 10,000 on most plans, 500,000 on Enterprise. */
      capacity: z._default(z.int().check(z.positive()), 10_000),
    }),
    {},
  ),
  /** Key prefix of the block ledger inside the kit's evidence bucket. */
  ledger_prefix: z._default(z.string().check(z.regex(/^[\w./-]*$/)), 'block-ledger/'),
});

export type BlockingConfig = z.infer<typeof blockingSection>;
