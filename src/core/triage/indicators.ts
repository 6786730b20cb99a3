import { InputError } from '../errors.js';
import { formatCidr, parseCidrLoose } from '../ip/cidr.js';

/**
 * Indicators of compromise, one per line as `kind:value`:
 *
 *   ip:203.0.113.7          an address, matched as a whole token (not inside 203.0.113.70)
 *   cidr:198.51.100.0/24    any IPv4 address in the block
 *   user:u-1842             a user id       account:123456789012   an account id
 *   token:AKIA…             a token or key  event:decoy_hit        an event type
 *   correlation:req-7f3a    a correlation / request id
 *   text:any substring      raw bytes, no token boundaries
 *   regex:^.*admin=true     a JavaScript regular expression
 *
 * Every kind but text, regex and cidr matches as a token: the bytes next to it may not be letters,
 * digits or `_` (nor `.` or `:` for ip). A blank line or one starting with `#` is ignored.
 */
export const INDICATOR_KINDS = ['ip', 'cidr', 'user', 'account', 'token', 'event', 'correlation', 'text', 'regex'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

export interface Indicator {
  kind: IndicatorKind;
  value: string;
}

export const MAX_INDICATORS = 10_000;

export function indicatorLabel(i: Indicator): string {
  return `${i.kind}:${i.value}`;
}

export function parseIndicators(text: string, field = 'indicators'): Indicator[] {
  const out: Indicator[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const kind = (colon > 0 ? line.slice(0, colon).toLowerCase() : '') as IndicatorKind;
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    const where = `${field} line ${n + 1} ("${line.slice(0, 80)}")`;
    if (!INDICATOR_KINDS.includes(kind)) {
      throw new InputError(`${where}: expected kind:value with kind one of ${INDICATOR_KINDS.join(', ')}`, { field, code: 'INDICATOR_INVALID' });
    }
    if (value === '') throw new InputError(`${where}: empty value`, { field, code: 'INDICATOR_INVALID' });
    let normal = value;
    if (kind === 'regex') {
      try {
        new RegExp(value, 'g');
      } catch (e) {
        throw new InputError(`${where}: not a valid regular expression: ${(e as Error).message}`, { field, code: 'INDICATOR_INVALID' });
      }
    } else if (kind === 'cidr') {
      const c = parseCidrLoose(value);
      if (!c) throw new InputError(`${where}: not a CIDR block`, { field, code: 'INDICATOR_INVALID' });
      if (c.family !== 4) {
        throw new InputError(`${where}: IPv6 blocks are not searched yet; list the addresses as ip: indicators`, { field, code: 'INDICATOR_UNSUPPORTED' });
      }
      normal = formatCidr(c);
    }
    const key = `${kind}:${normal}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind, value: normal });
  });
  if (out.length === 0) throw new InputError(`${field}: no indicators given`, { field, code: 'INPUT_MISSING' });
  if (out.length > MAX_INDICATORS) throw new InputError(`${field}: ${out.length} indicators, more than ${MAX_INDICATORS}`, { field, code: 'INPUT_TOO_LARGE' });
  return out;
}
