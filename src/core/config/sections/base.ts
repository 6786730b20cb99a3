import ipaddr from 'ipaddr.js';
import * as z from 'zod/mini';

/** A CIDR or single address, checked with ipaddr.js so a typo fails at `config check`, not at 3 a.m. */
export const cidrString = z.string().check(
  z.refine(
    (s) => {
      const t = s.trim();
      if (!t.includes('/')) return ipaddr.isValid(t);
      try {
        ipaddr.parseCIDR(t);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not an IP address or CIDR (e.g. 203.0.113.0/24 or 2001:db8::/32)' },
  ),
);

export const projectSection = z.strictObject({
  /** Shown in summaries and incident titles. */
  name: z._default(z.string().check(z.minLength(1)), 'firebreak'),
  /** owner/repo of the repository holding incidents and workflows. */
  repository: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repo'))),
});

export const limitsSection = z.strictObject({
  /** Blast-radius cap: a run planning more changes than this is refused unless overridden. */
  max_changes_per_run: z._default(z.int().check(z.positive()), 10_000),
});

/** Ranges no step may ever block or isolate: office egress, health checkers, CI, the CDN itself. */
export const protectedRangeSection = z.union([cidrString, z.strictObject({ cidr: cidrString, label: z.string().check(z.minLength(1)) })]);
