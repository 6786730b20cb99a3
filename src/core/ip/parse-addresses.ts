import ipaddr from 'ipaddr.js';
import { GuardError, InputError } from '../errors.js';
import { aggregate, bytesToBigint, FAMILY_BITS, formatCidr, networkOf, type Cidr, type Family } from './cidr.js';

/**
 * Parses what a responder pastes into the `addresses` box: addresses and CIDRs separated by commas,
 * spaces or newlines, IPv4, IPv6 and IPv4-mapped IPv6 (`::ffff:198.51.100.7` is IPv4).
 * The same grammar (`checkCidr`) reads `protected_ranges` in firebreak.yml.
 *
 * Decisions, documented in docs/responders/block-ips.md and docs/responders/block-ips-refusals.md:
 * - Host bits set in a CIDR (`198.51.100.7/24`) are an error, not a silent widening: the responder
 *   names the network they mean. Blocking 255 more hosts than typed is not ours to guess.
 * - Only four-part decimal IPv4 is accepted: ipaddr.js also reads `127.1`, `0x7f.1` and octal,
 *   which are almost always typos in an incident.
 * - Zone ids (`fe80::1%eth0`) are refused: they mean nothing to a WAF.
 * - Leading zeros are refused in octets and in the prefix (`198.051.100.0`, `/032`): tools disagree
 *   on whether they are octal.
 * - `::a.b.c.d` (IPv4-compatible, deprecated) is refused: it is an IPv6 address, not a.b.c.d.
 * - `/0` in either family is refused here, before anything else runs, and cannot be overridden.
 */

export const MAX_INPUT_CHARS = 1_000_000;
export const MAX_TOKENS = 100_000;

export interface ParsedAddresses {
  /** Canonical, de-duplicated entries as typed (one per distinct block), sorted. */
  entries: Cidr[];
  /** Minimal CIDR cover of the entries. */
  aggregated: Cidr[];
  /** How many tokens were read, and how many were exact duplicates after normalisation. */
  tokens: number;
  duplicates: number;
  notes: string[];
}

const SEPARATORS = /[\s,;]+/;

export function splitAddressText(text: string): string[] {
  return text.split(SEPARATORS).filter((t) => t.length > 0);
}

/** Why a token is not an address or CIDR firebreak accepts, in words a responder can act on. */
export interface CidrProblem {
  code: 'ADDRESS_INVALID' | 'HOST_BITS_SET' | 'ALL_ADDRESSES';
  message: string;
  hint?: string;
}

const DOTTED = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Four-part decimal only; leading zeros are named (`010` is 8 to inet_aton and 10 to a human). */
function readIPv4(text: string, shown: string): bigint | CidrProblem {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return bytesToBigint(ipaddr.IPv4.parse(text).toByteArray());
  if (DOTTED.test(text) && text.split('.').some((o) => o.length > 1 && o.startsWith('0'))) {
    const cleaned = text.split('.').map((o) => String(Number(o))).join('.');
    return {
      code: 'ADDRESS_INVALID',
      message: `"${shown}" has an octet with a leading zero, which some tools read as octal; write ${cleaned} if that is what you mean`,
    };
  }
  return { code: 'ADDRESS_INVALID', message: `"${shown}" is not an IP address or CIDR (e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/48)` };
}

/**
 * IPv6, with an embedded dotted quad read by us: ipaddr.js turns the deprecated IPv4-compatible form
 * `::a.b.c.d` into the IPv4-mapped `::ffff:a.b.c.d`, which would make `::198.51.100.7` block
 * 198.51.100.7. It is really the IPv6 address `::c633:6407`; a responder who typed it almost
 * certainly meant the IPv4 address, so it is refused with both readings.
 */
function readIPv6(text: string, shown: string): { value: bigint; mapped: boolean } | CidrProblem {
  const invalid: CidrProblem = { code: 'ADDRESS_INVALID', message: `"${shown}" is not an IP address or CIDR (e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/48)` };
  let hex = text;
  let dotted: string | undefined;
  const tail = text.match(/^(.*:)([^:]*\.[^:]*)$/);
  if (tail) {
    dotted = tail[2]!;
    const v4 = readIPv4(dotted, shown);
    if (typeof v4 !== 'bigint') return v4;
    hex = `${tail[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  if (!ipaddr.IPv6.isValid(hex)) return invalid;
  const addr = ipaddr.IPv6.parse(hex);
  const value = bytesToBigint(addr.toByteArray());
  const high = value >> 32n;
  if (dotted !== undefined && high === 0n) {
    return {
      code: 'ADDRESS_INVALID',
      message: `"${shown}" is the deprecated IPv4-compatible IPv6 form: it means the IPv6 address ${formatCidr({ family: 6, base: value, prefix: 128 }).slice(0, -4)}, not the IPv4 address ${dotted}`,
      hint: `Write ${dotted} (or ::ffff:${dotted}) to block the IPv4 address.`,
    };
  }
  return { value, mapped: high === 0xffffn };
}

/** The one address grammar: inputs, `protected_ranges` and every other address in firebreak.yml. */
export function checkCidr(token: string): Cidr | CidrProblem {
  const shown = token.length > 60 ? `${token.slice(0, 60)}…` : token;
  if (token.includes('%')) return { code: 'ADDRESS_INVALID', message: `"${shown}" has a zone id; give a plain address or CIDR` };
  const slash = token.indexOf('/');
  const addrText = slash < 0 ? token : token.slice(0, slash);
  const prefixText = slash < 0 ? undefined : token.slice(slash + 1);
  let family: Family;
  let value: bigint;
  let mapped = false;
  if (addrText.includes(':')) {
    const v6 = readIPv6(addrText, shown);
    if ('code' in v6) return v6;
    family = 6;
    value = v6.value;
    mapped = v6.mapped;
  } else {
    const v4 = readIPv4(addrText, shown);
    if (typeof v4 !== 'bigint') return v4;
    family = 4;
    value = v4;
  }
  let prefix = FAMILY_BITS[family];
  if (prefixText !== undefined) {
    if (/^0\d+$/.test(prefixText)) {
      return { code: 'ADDRESS_INVALID', message: `"${shown}" has a prefix length with a leading zero (/${prefixText}); write /${Number(prefixText)} if that is what you mean` };
    }
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > FAMILY_BITS[family]) {
      return { code: 'ADDRESS_INVALID', message: `"${shown}" has an invalid prefix length (IPv4 0–32, IPv6 0–128)` };
    }
    prefix = Number(prefixText);
  }
  if (mapped && prefix >= 96) {
    family = 4;
    prefix -= 96;
    value &= 0xffffffffn;
  }
  if (prefix === 0) {
    return {
      code: 'ALL_ADDRESSES',
      message: `"${shown}" is every ${family === 4 ? 'IPv4' : 'IPv6'} address; firebreak never blocks ${family === 4 ? '0.0.0.0/0' : '::/0'}`,
      hint: 'Name the hostile addresses or networks instead.',
    };
  }
  const base = networkOf(family, value, prefix);
  if (base !== value) {
    const meant = formatCidr({ family, base, prefix });
    return { code: 'HOST_BITS_SET', message: `"${shown}" has host bits set; did you mean ${meant}?`, hint: `Write the network address (${meant}) or the single host without a prefix.` };
  }
  return { family, base, prefix };
}

/** Parses one token strictly; throws InputError (GuardError for /0, never overridable) naming the token. */
export function parseCidrStrict(token: string, field = 'addresses'): Cidr {
  const out = checkCidr(token);
  if (!('code' in out)) return out;
  if (out.code === 'ALL_ADDRESSES') throw new GuardError(out.message, { code: out.code, ...(out.hint ? { hint: out.hint } : {}) });
  throw new InputError(out.message, { field, code: out.code, ...(out.hint ? { hint: out.hint } : {}) });
}

/**
 * The normalised view a step keeps in its input and the audit record shows: canonical CIDR text
 * (`198.51.100.0/25`), never the bigint form a reader cannot use.
 */
export interface AddressList {
  entries: string[];
  aggregated: string[];
  tokens: number;
  duplicates: number;
  notes: string[];
}

export function toAddressList(p: ParsedAddresses): AddressList {
  return { entries: p.entries.map(formatCidr), aggregated: p.aggregated.map(formatCidr), tokens: p.tokens, duplicates: p.duplicates, notes: [...p.notes] };
}

/** Reads back canonical text this module wrote (an AddressList, a plan subject). */
export function cidrsOf(texts: readonly string[]): Cidr[] {
  return texts.map(canonicalCidr);
}

const CANONICAL_V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Fast path for the common case (canonical IPv4 `a.b.c.d/p`, checked); anything else goes through the strict grammar. */
function canonicalCidr(text: string): Cidr {
  const m = CANONICAL_V4.exec(text);
  if (m) {
    const o = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    const prefix = Number(m[5]);
    if (o.every((x) => x <= 255) && prefix >= 1 && prefix <= 32 && String(o[0]) === m[1] && String(o[1]) === m[2] && String(o[2]) === m[3] && String(o[3]) === m[4] && String(prefix) === m[5]) {
      const base = BigInt(((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!);
      if (networkOf(4, base, prefix) === base) return { family: 4, base, prefix };
    }
  }
  return parseCidrStrict(text, 'canonical');
}

/** Parses the whole input box. Empty input is an error: a block with nothing to block is a typo. */
export function parseAddresses(text: unknown, field = 'addresses'): ParsedAddresses {
  if (typeof text !== 'string') throw new InputError(`${field} must be text`, { field });
  if (text.length > MAX_INPUT_CHARS) throw new InputError(`${field} is longer than ${MAX_INPUT_CHARS} characters`, { field, code: 'INPUT_TOO_LARGE' });
  const tokens = splitAddressText(text);
  if (tokens.length === 0) throw new InputError(`${field} is empty: give at least one address or CIDR`, { field, code: 'ADDRESSES_EMPTY' });
  if (tokens.length > MAX_TOKENS) throw new InputError(`${field} has ${tokens.length} entries, more than ${MAX_TOKENS}`, { field, code: 'INPUT_TOO_LARGE' });
  const seen = new Map<string, Cidr>();
  for (const token of tokens) {
    const c = parseCidrStrict(token, field);
    const key = `${c.family}/${c.base}/${c.prefix}`;
    if (!seen.has(key)) seen.set(key, c);
  }
  const entries = [...seen.values()].sort((a, b) => a.family - b.family || (a.base < b.base ? -1 : a.base > b.base ? 1 : a.prefix - b.prefix));
  const aggregated = aggregate(entries);
  // The /0 rule holds for what would be written, not only for what was typed: 0.0.0.0/1 and
  // 128.0.0.0/1 together are every address.
  const everything = aggregated.find((c) => c.prefix === 0);
  if (everything) {
    const n = entries.filter((e) => e.family === everything.family).length;
    throw new GuardError(`these ${n} entries merge into ${formatCidr(everything)}, every ${everything.family === 4 ? 'IPv4' : 'IPv6'} address; firebreak never blocks it`, {
      code: 'ALL_ADDRESSES',
      hint: 'Name the hostile addresses or networks instead.',
    });
  }
  const notes: string[] = [];
  const duplicates = tokens.length - entries.length;
  if (duplicates > 0) notes.push(`${duplicates} duplicate entr${duplicates === 1 ? 'y' : 'ies'} removed`);
  if (aggregated.length < entries.length) notes.push(`${entries.length} distinct entries aggregated into ${aggregated.length} CIDR(s)`);
  return { entries, aggregated, tokens: tokens.length, duplicates, notes };
}
