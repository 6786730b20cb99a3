import ipaddr from 'ipaddr.js';

/**
 * CIDR arithmetic on bigint (exact for both families) with a typed-array fast path for IPv4
 * aggregation. Parsing is done with ipaddr.js; the math (range merge, minimal cover) is ours because
 * the maintained CIDR libraries that do it need Node 22.
 */

export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** Network address as an unsigned integer (host bits always zero). */
  base: bigint;
  prefix: number;
}

export const FAMILY_BITS: Record<Family, number> = { 4: 32, 6: 128 };

export function blockSize(c: Pick<Cidr, 'family' | 'prefix'>): bigint {
  return 1n << BigInt(FAMILY_BITS[c.family] - c.prefix);
}

export function lastAddress(c: Cidr): bigint {
  return c.base + blockSize(c) - 1n;
}

/** Clears host bits: the network a (possibly sloppy) CIDR belongs to. */
export function networkOf(family: Family, value: bigint, prefix: number): bigint {
  const host = BigInt(FAMILY_BITS[family] - prefix);
  return (value >> host) << host;
}

export function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bigintToBytes(value: bigint, length: number): number[] {
  const out = new Array<number>(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) {
    const n = Number(value);
    return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  return (ipaddr.fromByteArray(bigintToBytes(value, 16)) as ipaddr.IPv6).toRFC5952String();
}

/** Canonical text: `203.0.113.0/24`, `2001:db8::/32`; single hosts keep their /32 or /128. */
export function formatCidr(c: Cidr): string {
  return `${formatAddress(c.family, c.base)}/${c.prefix}`;
}

export function cidrKey(c: Cidr): string {
  return formatCidr(c);
}

export function compareCidr(a: Cidr, b: Cidr): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.base !== b.base) return a.base < b.base ? -1 : 1;
  return a.prefix - b.prefix;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.prefix <= inner.prefix && networkOf(outer.family, inner.base, outer.prefix) === outer.base;
}

/**
 * Lenient parse for text we did not type ourselves (provider responses): host bits are cleared,
 * IPv4-mapped IPv6 becomes IPv4. Returns undefined for anything unparseable. It still shares the
 * strict grammar's two safety rules: IPv4 is four-part decimal only (never octal or hex), and the
 * IPv4-compatible `::a.b.c.d` stays the IPv6 address it is (ipaddr.js would read it as IPv4-mapped).
 * Config and inputs use `checkCidr` (parse-addresses.ts).
 */
export function parseCidrLoose(text: string): Cidr | undefined {
  const t = text.trim();
  try {
    const [addrText, prefixText] = t.includes('/') ? (t.split('/', 2) as [string, string]) : [t, undefined];
    let family: Family;
    let value: bigint;
    if (addrText.includes(':')) {
      const hex = dottedTailToHex(addrText);
      if (hex === undefined || !ipaddr.IPv6.isValid(hex)) return undefined;
      family = 6;
      value = bytesToBigint(ipaddr.IPv6.parse(hex).toByteArray());
    } else {
      if (!ipaddr.IPv4.isValidFourPartDecimal(addrText)) return undefined;
      family = 4;
      value = bytesToBigint(ipaddr.IPv4.parse(addrText).toByteArray());
    }
    let prefix = prefixText === undefined ? FAMILY_BITS[family] : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > FAMILY_BITS[family]) return undefined;
    if (family === 6 && value >> 32n === 0xffffn && prefix >= 96) {
      family = 4;
      prefix -= 96;
      value &= 0xffffffffn;
    }
    return { family, prefix, base: networkOf(family, value, prefix) };
  } catch {
    return undefined;
  }
}

/** `::ffff:1.2.3.4` → `::ffff:102:304`; text without a dotted tail is returned as is; undefined if the tail is not four-part decimal. */
export function dottedTailToHex(text: string): string | undefined {
  const tail = text.match(/^(.*:)([^:]*\.[^:]*)$/);
  if (!tail) return text;
  if (!ipaddr.IPv4.isValidFourPartDecimal(tail[2]!)) return undefined;
  const v = bytesToBigint(ipaddr.IPv4.parse(tail[2]!).toByteArray());
  return `${tail[1]}${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
}

/** The smallest list of CIDRs covering exactly [start, end] (inclusive), in order. */
export function rangeToCidrs(family: Family, start: bigint, end: bigint, out: Cidr[] = []): Cidr[] {
  const bits = FAMILY_BITS[family];
  let s = start;
  while (s <= end) {
    // Largest aligned block starting at s that does not pass end.
    let host = s === 0n ? bits : trailingZeros(s, bits);
    while (host > 0 && s + (1n << BigInt(host)) - 1n > end) host--;
    out.push({ family, base: s, prefix: bits - host });
    s += 1n << BigInt(host);
  }
  return out;
}

function trailingZeros(v: bigint, bits: number): number {
  let n = 0;
  let x = v;
  while (n < bits && (x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

/**
 * Minimal CIDR cover of the union of the given blocks, sorted (IPv4 first). Overlapping, nested and
 * adjacent blocks merge: 10.0.0.0/25 + 10.0.0.128/25 → 10.0.0.0/24.
 */
export function aggregate(cidrs: readonly Cidr[]): Cidr[] {
  const v4: Cidr[] = [];
  const v6: Cidr[] = [];
  for (const c of cidrs) (c.family === 4 ? v4 : v6).push(c);
  return [...aggregateV4(v4), ...mergeSorted(6, v6)];
}

/**
 * IPv4 fast path: each block packs into one float64 key (base × 33 + host bits < 2^38, exact), so a
 * native typed-array sort replaces a comparator sort over objects, and the merge runs on numbers.
 */
function aggregateV4(cidrs: readonly Cidr[]): Cidr[] {
  const n = cidrs.length;
  if (n === 0) return [];
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = cidrs[i]!;
    keys[i] = Number(c.base) * 33 + (32 - c.prefix);
  }
  keys.sort();
  const out: Cidr[] = [];
  let curStart = -1;
  let curEnd = -1;
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const host = k % 33;
    const start = (k - host) / 33;
    const end = start + 2 ** host - 1;
    if (curStart < 0) {
      curStart = start;
      curEnd = end;
    } else if (start <= curEnd + 1) {
      if (end > curEnd) curEnd = end;
    } else {
      rangeToCidrsV4(curStart, curEnd, out);
      curStart = start;
      curEnd = end;
    }
  }
  rangeToCidrsV4(curStart, curEnd, out);
  return out;
}

function rangeToCidrsV4(start: number, end: number, out: Cidr[]): void {
  let s = start;
  while (s <= end) {
    let size = 1;
    let host = 0;
    while (host < 32 && s % (size * 2) === 0 && s + size * 2 - 1 <= end) {
      size *= 2;
      host++;
    }
    out.push({ family: 4, base: BigInt(s), prefix: 32 - host });
    s += size;
  }
}

function mergeSorted(family: Family, cidrs: readonly Cidr[]): Cidr[] {
  if (cidrs.length === 0) return [];
  const ranges = cidrs.map((c) => ({ start: c.base, end: lastAddress(c) }));
  ranges.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Cidr[] = [];
  let cur = { ...ranges[0]! };
  for (let i = 1; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (r.start <= cur.end + 1n) {
      if (r.end > cur.end) cur.end = r.end;
    } else {
      rangeToCidrs(family, cur.start, cur.end, out);
      cur = { ...r };
    }
  }
  rangeToCidrs(family, cur.start, cur.end, out);
  return out;
}

/**
 * The straightforward sort-and-merge over bigint ranges, kept as the benchmark baseline and as the
 * reference the fast path is tested against (identical output).
 */
export function aggregateBaseline(cidrs: readonly Cidr[]): Cidr[] {
  const v4 = cidrs.filter((c) => c.family === 4);
  const v6 = cidrs.filter((c) => c.family === 6);
  return [...mergeSorted(4, v4), ...mergeSorted(6, v6)];
}
