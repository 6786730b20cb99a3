import { checkCidr } from '../../ip/parse-addresses.js';
import * as z from 'zod/mini';

/**
 * A CIDR or single address, read with the same strict grammar as the `addresses` input
 * (src/core/ip/parse-addresses.ts): leading zeros, `/0`, zone ids, host bits and `::a.b.c.d` are
 * config errors at `config check` (file:line:col), never a silently different network at 3 a.m.
 */
export const cidrString = z.string().check(
  z.superRefine((s, ctx) => {
    const out = checkCidr(s.trim());
    if (!('code' in out)) return;
    const message = out.code === 'ALL_ADDRESSES' ? `"${s.trim()}" is every ${s.includes(':') ? 'IPv6' : 'IPv4'} address; /0 is not allowed here` : out.message;
    ctx.addIssue({ code: 'custom', message, input: s });
  }),
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
