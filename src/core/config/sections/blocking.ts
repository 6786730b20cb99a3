import { z } from 'zod';

/**
 * `blocking:` in firebreak.yml — guards and targets for block-ips / unblock-ips / sweep-expired.
 * The kit's IP sets and list come from the variables `pulumi up` writes (src/core/names.ts); this
 * section adds sets the kit does not manage (e.g. a CLOUDFRONT pair next to the kit's REGIONAL one)
 * and tunes the guards. Provider numbers live in src/core/ip/limits.ts, not here.
 */
const wafIpSetEntry = z
  .object({
    scope: z.enum(['REGIONAL', 'CLOUDFRONT']),
    ip_version: z.enum(['IPV4', 'IPV6']),
    name: z.string().regex(/^[\w-]{1,128}$/, 'WAF names are 1–128 letters, digits, _ or -'),
    id: z.string().regex(/^[0-9a-f-]{1,36}$/i, 'WAF ids are up to 36 hex digits and dashes'),
  })
  .strict();

export const blockingSection = z
  .object({
    /** Prefixes broader than these need an audited override (guard BREADTH_EXCEEDED). */
    max_breadth: z
      .object({ ipv4: z.number().int().min(1).max(32).default(16), ipv6: z.number().int().min(1).max(128).default(32) })
      .strict()
      .prefault({}),
    default_ttl: z.string().regex(/^\d{1,6}[mhdw]$/, 'like 30m, 24h, 7d or 2w').default('24h'),
    max_ttl_hours: z.number().int().positive().default(24 * 90),
    waf: z.object({ ip_sets: z.array(wafIpSetEntry).default([]) }).strict().prefault({}),
    cloudflare: z
      .object({
        /** Items the account may hold across lists: 10,000 on most plans, 500,000 on Enterprise. */
        capacity: z.number().int().positive().default(10_000),
      })
      .strict()
      .prefault({}),
    /** Key prefix of the block ledger inside the kit's evidence bucket. */
    ledger_prefix: z.string().regex(/^[\w./-]*$/).default('block-ledger/'),
  })
  .strict();

export type BlockingConfig = z.infer<typeof blockingSection>;
