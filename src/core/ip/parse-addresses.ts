import ipaddr from 'ipaddr.js';
import { GuardError, InputError } from '../errors.js';
import { aggregate, bytesToBigint, FAMILY_BITS, formatCidr, networkOf, type Cidr, type Family } from './cidr.js';

/**
 * Parses what a responder pastes into the `addresses` box: addresses and CIDRs separated by commas,
 * spaces or newlines, IPv4, IPv6 and IPv4-mapped IPv6 (`::ffff:198.51.100.7` is IPv4).
 *
 * Decisions, documented in the README:
 * - Host bits set in a CIDR (`198.51.100.7/24`) are an error, not a silent widening: the responder
 *   names the network they mean. Blocking 255 more hosts than typed is not ours to guess.
 * - Only four-part decimal IPv4 is accepted: ipaddr.js also reads `127.1`, `0x7f.1` and octal,
 *   which are almost always typos in an incident.
 * - Zone ids (`fe80::1%eth0`) are refused: they mean nothing to a WAF.
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

/** Parses one token strictly; throws InputError/GuardError naming the token. */
export function parseCidrStrict(token: string, field = 'addresses'): Cidr {
  const shown = token.length > 60 ? `${token.slice(0, 60)}…` : token;
  if (token.includes('%')) throw new InputError(`"${shown}" has a zone id; give a plain address or CIDR`, { field, code: 'ADDRESS_INVALID' });
  const slash = token.indexOf('/');
  const addrText = slash < 0 ? token : token.slice(0, slash);
  const prefixText = slash < 0 ? undefined : token.slice(slash + 1);
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(addrText)) addr = ipaddr.IPv4.parse(addrText);
  else if (addrText.includes(':') && ipaddr.IPv6.isValid(addrText)) {
    addr = ipaddr.IPv6.parse(addrText);
    if (addr.zoneId !== undefined) throw new InputError(`"${shown}" has a zone id; give a plain address or CIDR`, { field, code: 'ADDRESS_INVALID' });
    // An embedded dotted quad must itself be four-part decimal.
    const dotted = addrText.match(/([^:]*\.[^:]*)$/);
    if (dotted && !ipaddr.IPv4.isValidFourPartDecimal(dotted[1]!)) {
      throw new InputError(`"${shown}" is not an IP address or CIDR`, { field, code: 'ADDRESS_INVALID' });
    }
  } else {
    throw new InputError(`"${shown}" is not an IP address or CIDR (e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/48)`, { field, code: 'ADDRESS_INVALID' });
  }
  let family: Family = addr.kind() === 'ipv4' ? 4 : 6;
  let prefix = FAMILY_BITS[family];
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > FAMILY_BITS[family]) {
      throw new InputError(`"${shown}" has an invalid prefix length (IPv4 0–32, IPv6 0–128)`, { field, code: 'ADDRESS_INVALID' });
    }
    prefix = Number(prefixText);
  }
  let value = bytesToBigint(addr.toByteArray());
  if (family === 6 && (addr as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
    family = 4;
    prefix -= 96;
    value &= 0xffffffffn;
  }
  if (prefix === 0) {
    throw new GuardError(`"${shown}" is every ${family === 4 ? 'IPv4' : 'IPv6'} address; firebreak never blocks ${family === 4 ? '0.0.0.0/0' : '::/0'}`, {
      code: 'ALL_ADDRESSES',
      hint: 'Name the hostile addresses or networks instead.',
    });
  }
  const base = networkOf(family, value, prefix);
  if (base !== value) {
    const meant = formatCidr({ family, base, prefix });
    throw new InputError(`"${shown}" has host bits set; did you mean ${meant}?`, {
      field,
      code: 'HOST_BITS_SET',
      hint: `Write the network address (${meant}) or the single host without a prefix.`,
    });
  }
  return { family, base, prefix };
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
  const notes: string[] = [];
  const duplicates = tokens.length - entries.length;
  if (duplicates > 0) notes.push(`${duplicates} duplicate entr${duplicates === 1 ? 'y' : 'ies'} removed`);
  if (aggregated.length < entries.length) notes.push(`${entries.length} distinct entries aggregated into ${aggregated.length} CIDR(s)`);
  return { entries, aggregated, tokens: tokens.length, duplicates, notes };
}
