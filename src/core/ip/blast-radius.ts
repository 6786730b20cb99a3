import { GuardError } from '../errors.js';
import { aggregate, blockSize, contains, FAMILY_BITS, formatCidr, type Cidr, type Family } from './cidr.js';

/**
 * Blast radius judged on what will actually be written, not on what was typed. Many narrow entries
 * can merge into one broad CIDR (256 adjacent /16s are a /8; 32,768 of them are 0.0.0.0/1), and
 * Cloudflare widens every IPv6 entry to its /64; a guard that looks only at the typed entries lets
 * all of that through. Two guards, both overridable with an audited reason:
 *
 * - BREADTH_EXCEEDED: a CIDR in the plan of any target is broader than `blocking.max_breadth`.
 * - ADDRESS_SPACE_EXCEEDED: the union of everything the run writes covers more than
 *   `blocking.max_share_percent` of the IPv4 or IPv6 address space (many separate /16s that never
 *   merge still add up).
 */

export interface BreadthLimits {
  4: number;
  6: number;
}

export interface ShareLimits {
  /** Percent of the family's address space (0.1 = one thousandth). */
  4: number;
  6: number;
}

export interface WrittenTarget {
  target: string;
  /** Exactly what the target will hold from this run: aggregated, widened where the provider widens. */
  entries: readonly Cidr[];
}

const FAMILY_NAME: Record<Family, string> = { 4: 'IPv4', 6: 'IPv6' };

/** Every blast-radius guard the plan trips, in a stable order (breadth first). Empty when it is fine. */
export function blastRadiusViolations(typed: readonly Cidr[], written: readonly WrittenTarget[], limits: { maxBreadth: BreadthLimits; maxSharePercent: ShareLimits }): GuardError[] {
  const out: GuardError[] = [];
  const breadth = breadthViolation(typed, written, limits.maxBreadth);
  if (breadth) out.push(breadth);
  const share = shareViolation(written, limits.maxSharePercent);
  if (share) out.push(share);
  return out;
}

/** One line per broad CIDR, saying where it comes from: typed as is, merged from N entries, or widened. */
function explain(broad: Cidr, typed: readonly Cidr[], targets: readonly string[]): string {
  const sources = typed.filter((t) => contains(broad, t));
  const on = `on ${targets.join(', ')}`;
  const text = formatCidr(broad);
  if (sources.length === 1 && formatCidr(sources[0]!) === text) return `${text} (${on})`;
  if (sources.length === 1) return `${formatCidr(sources[0]!)} is written as ${text} (${on})`;
  const sample = sources.slice(0, 3).map(formatCidr).join(', ');
  return `these ${sources.length} entries (${sample}${sources.length > 3 ? ', …' : ''}) merge into ${text} (${on})`;
}

function breadthViolation(typed: readonly Cidr[], written: readonly WrittenTarget[], limits: BreadthLimits): GuardError | undefined {
  const broad = new Map<string, { cidr: Cidr; targets: string[] }>();
  for (const w of written) {
    for (const e of w.entries) {
      if (e.prefix >= limits[e.family]) continue;
      const key = formatCidr(e);
      const seen = broad.get(key) ?? { cidr: e, targets: [] };
      seen.targets.push(w.target);
      broad.set(key, seen);
    }
  }
  if (broad.size === 0) return undefined;
  const items = [...broad.values()];
  const families = [...new Set(items.map((b) => b.cidr.family))].sort();
  const allowed = families.map((f) => `/${limits[f]} for ${FAMILY_NAME[f]}`).join(' and ');
  const lines = items.slice(0, 5).map((b) => explain(b.cidr, typed, b.targets));
  return new GuardError(`refused: ${lines.join('; ')}${items.length > 5 ? `; and ${items.length - 5} more` : ''} — broader than the allowed ${allowed} (blocking.max_breadth)`, {
    code: 'BREADTH_EXCEEDED',
    hint: 'Narrow or split the entries, or override guard BREADTH_EXCEEDED with a reason (the override is audited).',
    details: { broad: items.map((b) => ({ cidr: formatCidr(b.cidr), targets: b.targets })) },
  });
}

/** Percent of the family's space the CIDRs cover (their union). */
export function sharePercent(family: Family, cidrs: readonly Cidr[]): { addresses: bigint; percent: number } {
  let addresses = 0n;
  for (const c of aggregate(cidrs.filter((x) => x.family === family))) addresses += blockSize(c);
  return { addresses, percent: (Number(addresses) / Number(1n << BigInt(FAMILY_BITS[family]))) * 100 };
}

function describeCount(family: Family, n: bigint): string {
  if (family === 4) return n.toLocaleString('en-US');
  const bits = n.toString(2).length - 1;
  return (n & (n - 1n)) === 0n ? `2^${bits}` : `about 2^${bits}`;
}

function shareViolation(written: readonly WrittenTarget[], limits: ShareLimits): GuardError | undefined {
  const all = written.flatMap((w) => w.entries);
  const over: string[] = [];
  const details: Record<string, unknown> = {};
  for (const family of [4, 6] as const) {
    const { addresses, percent } = sharePercent(family, all);
    if (percent <= limits[family]) continue;
    details[FAMILY_NAME[family]] = { addresses: addresses.toString(), percent, limitPercent: limits[family] };
    over.push(`${describeCount(family, addresses)} ${FAMILY_NAME[family]} addresses (${formatPercent(percent)} of the ${FAMILY_NAME[family]} space, more than the allowed ${limits[family]}%, blocking.max_share_percent.ipv${family})`);
  }
  if (over.length === 0) return undefined;
  return new GuardError(`refused: this run would block ${over.join(' and ')}`, {
    code: 'ADDRESS_SPACE_EXCEEDED',
    hint: 'Block fewer or narrower ranges, or override guard ADDRESS_SPACE_EXCEEDED with a reason (the override is audited).',
    details,
  });
}

function formatPercent(p: number): string {
  return p >= 0.01 ? `${Number(p.toPrecision(3))}%` : `${p.toExponential(2)}%`;
}
