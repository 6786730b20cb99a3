import { z } from 'zod';
import ipaddr from 'ipaddr.js';

/** A CIDR or single address, checked with ipaddr.js so a typo fails at `config check`, not at 3 a.m. */
export const cidrString = z.string().refine(
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
);

export const projectSection = z
  .object({
    /** Shown in summaries and incident titles. */
    name: z.string().min(1).default('firebreak'),
    /** owner/repo of the repository holding incidents and workflows. */
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'must be owner/repo').optional(),
  })
  .strict();

export const limitsSection = z
  .object({
    /** Blast-radius cap: a run planning more changes than this is refused unless overridden. */
    max_changes_per_run: z.number().int().positive().default(10_000),
  })
  .strict();

/** Ranges no step may ever block or isolate: office egress, health checkers, CI, the CDN itself. */
export const protectedRangeSection = z.union([
  cidrString,
  z.object({ cidr: cidrString, label: z.string().min(1) }).strict(),
]);
