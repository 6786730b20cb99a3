import { GuardError, InputError } from '../errors.js';
import { aggregate, formatCidr, FAMILY_BITS, overlaps, parseCidrLoose, type Cidr, type Family } from './cidr.js';
import { GUARD_DEFAULTS, PROVIDER_LIMITS } from './limits.js';

/** A range no step may block: office egress, health checkers, the CDN's and CI's own ranges. */
export interface ProtectedRange {
  cidr: Cidr;
  label: string;
}

/** Reads `protected_ranges` from firebreak.yml (strings or {cidr, label}). Host bits are cleared (broader is safer). */
export function toProtectedRanges(entries: ReadonlyArray<string | { cidr: string; label: string }>): ProtectedRange[] {
  const out: ProtectedRange[] = [];
  for (const e of entries) {
    const text = typeof e === 'string' ? e : e.cidr;
    const cidr = parseCidrLoose(text);
    if (!cidr) throw new InputError(`protected range "${text}" is not an IP address or CIDR`, { field: 'protected_ranges', code: 'CONFIG_RANGE_INVALID' });
    out.push({ cidr, label: typeof e === 'string' ? text : e.label });
  }
  return out;
}

/** Refuses (not overridable) any entry that touches a protected range. */
export function assertNoProtectedOverlap(entries: readonly Cidr[], ranges: readonly ProtectedRange[]): void {
  const hits: string[] = [];
  for (const e of entries) {
    for (const r of ranges) {
      if (overlaps(e, r.cidr)) hits.push(`${formatCidr(e)} overlaps protected ${formatCidr(r.cidr)} (${r.label})`);
    }
  }
  if (hits.length > 0) {
    throw new GuardError(`refused: ${hits.length} entr${hits.length === 1 ? 'y overlaps' : 'ies overlap'} protected ranges: ${hits.slice(0, 10).join('; ')}${hits.length > 10 ? ' …' : ''}`, {
      code: 'PROTECTED_RANGE',
      hint: 'Remove those entries (or split them around the protected range). Protected ranges come from `protected_ranges` in firebreak.yml.',
      details: { overlaps: hits },
    });
  }
}

export interface BreadthLimits {
  4: number;
  6: number;
}

/** Refuses prefixes broader than the configured breadth; overridable with a reason (code BREADTH_EXCEEDED). */
export function assertBreadth(entries: readonly Cidr[], limits: BreadthLimits = GUARD_DEFAULTS.maxBreadth): void {
  const broad = entries.filter((e) => e.prefix < limits[e.family]);
  if (broad.length > 0) {
    throw new GuardError(
      `refused: ${broad.map(formatCidr).slice(0, 10).join(', ')} ${broad.length === 1 ? 'is' : 'are'} broader than the allowed /${limits[4]} (IPv4) or /${limits[6]} (IPv6)`,
      {
        code: 'BREADTH_EXCEEDED',
        hint: 'Narrow the ranges, or override guard BREADTH_EXCEEDED with a reason (the override is audited).',
        details: { broad: broad.map(formatCidr) },
      },
    );
  }
}

/**
 * Maps the blocks to what a Cloudflare list can hold: IPv6 narrower than /64 widens to its /64 (the
 * list stores it that way anyway, so say so), IPv4 broader than /8 is refused with the numbers.
 */
export function toCloudflareEntries(entries: readonly Cidr[]): { entries: Cidr[]; warnings: string[] } {
  const warnings: string[] = [];
  const out: Cidr[] = [];
  const tooBroad: string[] = [];
  for (const e of entries) {
    const min = PROVIDER_LIMITS.cloudflare.minPrefix[e.family];
    const max = PROVIDER_LIMITS.cloudflare.maxPrefix[e.family];
    if (e.prefix < min) {
      tooBroad.push(`${formatCidr(e)} (Cloudflare accepts ${e.family === 4 ? 'IPv4' : 'IPv6'} /${min} or narrower)`);
      continue;
    }
    if (e.prefix > max) {
      const shift = BigInt(FAMILY_BITS[e.family] - max);
      const widened: Cidr = { family: e.family, prefix: max, base: (e.base >> shift) << shift };
      warnings.push(`Cloudflare: ${formatCidr(e)} widened to ${formatCidr(widened)} (lists hold IPv6 no narrower than /${max})`);
      out.push(widened);
    } else out.push(e);
  }
  if (tooBroad.length > 0) {
    throw new GuardError(`refused by Cloudflare list limits: ${tooBroad.join('; ')}`, { code: 'PROVIDER_LIMIT', hint: 'Split the range, or target waf only.' });
  }
  return { entries: aggregate(out), warnings };
}

/** Refuses anything WAFv2 cannot hold (only /0, which parsing already refuses; kept for the record). */
export function assertWafPrefixes(entries: readonly Cidr[]): void {
  const bad = entries.filter((e) => e.prefix < PROVIDER_LIMITS.waf.minPrefix[e.family]);
  if (bad.length) throw new GuardError(`refused by WAF limits: ${bad.map(formatCidr).join(', ')}`, { code: 'PROVIDER_LIMIT' });
}

/** Over a capacity limit: refuse with the numbers, before anything changes. */
export function assertCapacity(target: string, existing: number, adding: number, limit: number): void {
  if (existing + adding > limit) {
    throw new GuardError(`refused: ${target} holds ${existing} entries, adding ${adding} would make ${existing + adding}, over its limit of ${limit}`, {
      code: 'PROVIDER_LIMIT',
      hint: 'Aggregate into broader CIDRs (with an override if needed), unblock expired entries (`firebreak sweep-expired`), or raise the capacity.',
      details: { target, existing, adding, limit },
    });
  }
}

export function familyName(f: Family): 'IPV4' | 'IPV6' {
  return f === 4 ? 'IPV4' : 'IPV6';
}
