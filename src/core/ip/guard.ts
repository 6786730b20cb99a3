import { GuardError, InputError } from '../errors.js';
import { blastRadiusViolations, type BreadthLimits } from './blast-radius.js';
import { aggregate, contains, formatCidr, FAMILY_BITS, overlaps, type Cidr, type Family } from './cidr.js';
import { GUARD_DEFAULTS, PROVIDER_LIMITS } from './limits.js';
import { checkCidr } from './parse-addresses.js';

export type { BreadthLimits } from './blast-radius.js';

/** A range no step may block: office egress, health checkers, the CDN's and CI's own ranges. */
export interface ProtectedRange {
  cidr: Cidr;
  label: string;
}

/**
 * Reads `protected_ranges` from firebreak.yml (strings or {cidr, label}) with the inputs' strict
 * grammar: the config schema already refuses what this refuses, with file:line:col; this is the
 * second line for callers that build ranges without the schema.
 */
export function toProtectedRanges(entries: ReadonlyArray<string | { cidr: string; label: string }>): ProtectedRange[] {
  const out: ProtectedRange[] = [];
  for (const e of entries) {
    const text = (typeof e === 'string' ? e : e.cidr).trim();
    const cidr = checkCidr(text);
    if ('code' in cidr) throw new InputError(`protected range: ${cidr.message}`, { field: 'protected_ranges', code: 'CONFIG_RANGE_INVALID' });
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

/** Refuses CIDRs broader than the configured breadth, as written to one target (code BREADTH_EXCEEDED, overridable). */
export function assertBreadth(entries: readonly Cidr[], limits: BreadthLimits = GUARD_DEFAULTS.maxBreadth, typed: readonly Cidr[] = entries): void {
  const [breadth] = blastRadiusViolations(typed, [{ target: 'the plan', entries }], { maxBreadth: limits, maxSharePercent: { 4: 100, 6: 100 } });
  if (breadth) throw breadth;
}

/**
 * Maps the blocks to what a Cloudflare list will hold: IPv6 narrower than /64 widens to its /64 (the
 * list stores it that way anyway, so say so), then everything is aggregated again, and only then is
 * the list's minimum prefix checked, so entries that merge (or widen) into something broader than
 * IPv4 /8 are refused with the entries that caused it.
 */
export function toCloudflareEntries(entries: readonly Cidr[]): { entries: Cidr[]; warnings: string[] } {
  const warnings: string[] = [];
  const widened: Cidr[] = [];
  for (const e of entries) {
    const max = PROVIDER_LIMITS.cloudflare.maxPrefix[e.family];
    if (e.prefix > max) {
      const shift = BigInt(FAMILY_BITS[e.family] - max);
      const w: Cidr = { family: e.family, prefix: max, base: (e.base >> shift) << shift };
      warnings.push(`Cloudflare: ${formatCidr(e)} widened to ${formatCidr(w)} (lists hold IPv6 no narrower than /${max})`);
      widened.push(w);
    } else widened.push(e);
  }
  const out = aggregate(widened);
  const tooBroad: string[] = [];
  for (const c of out) {
    const min = PROVIDER_LIMITS.cloudflare.minPrefix[c.family];
    if (c.prefix >= min) continue;
    const sources = entries.filter((e) => contains(c, e));
    const from = sources.length === 1 && formatCidr(sources[0]!) === formatCidr(c) ? formatCidr(c) : `these ${sources.length} entries merge into ${formatCidr(c)}`;
    tooBroad.push(`${from} (Cloudflare accepts ${c.family === 4 ? 'IPv4' : 'IPv6'} /${min} or narrower)`);
  }
  if (tooBroad.length > 0) {
    throw new GuardError(`refused by Cloudflare list limits: ${tooBroad.slice(0, 5).join('; ')}${tooBroad.length > 5 ? ' …' : ''}`, {
      code: 'PROVIDER_LIMIT',
      hint: 'Split the range, or target waf only.',
    });
  }
  return { entries: out, warnings };
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
      hint: 'Aggregate into broader CIDRs, unblock expired entries (`firebreak sweep-expired`), or raise the capacity.',
      details: { target, existing, adding, limit },
    });
  }
}

export function familyName(f: Family): 'IPV4' | 'IPV6' {
  return f === 4 ? 'IPV4' : 'IPV6';
}
