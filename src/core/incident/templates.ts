import ipaddr from 'ipaddr.js';
import { GuardError } from '../errors.js';

/**
 * Status-update templates (seed 004: initial / update / resolved) and the check that keeps internal
 * details out of anything external (seed 000: "Never disclose internal system details").
 */

export type UpdateKind = 'initial' | 'update' | 'resolved';

export interface UpdateFields {
  severity: string;
  title: string;
  status: string;
  impact?: string | undefined;
  rootCause?: string | undefined;
  eta?: string | undefined;
  nextUpdate?: string | undefined;
  commander?: string | undefined;
  duration?: string | undefined;
  fix?: string | undefined;
  postmortem?: string | undefined;
  text?: string | undefined;
}

export function renderUpdate(kind: UpdateKind, audience: 'internal' | 'external', f: UpdateFields): string {
  const lines: string[] = [];
  if (kind === 'initial') {
    lines.push(`🔴 ${f.severity} INCIDENT: ${f.title}`, `Status: ${f.status}`, `Impact: ${f.impact ?? 'assessing'}`, `ETA: ${f.eta ?? 'assessing'}${f.nextUpdate ? ` — next update ${f.nextUpdate}` : ''}`);
    if (audience === 'internal') lines.push(`Commander: ${f.commander ?? 'unassigned'}`);
  } else if (kind === 'update') {
    lines.push(`🔴 ${f.severity} UPDATE: ${f.title}`, `Status: ${f.status}`, `Root cause: ${f.rootCause ?? 'unknown'}`, `ETA: ${f.eta ?? 'assessing'}`);
    if (f.nextUpdate) lines.push(`Next update: ${f.nextUpdate}`);
  } else {
    lines.push(`✅ ${f.severity} RESOLVED: ${f.title}`, `Duration: ${f.duration ?? 'n/a'}`, `Root cause: ${f.rootCause ?? 'under investigation'}`, `Fix: ${f.fix ?? 'n/a'}`);
    if (audience === 'internal' || f.postmortem) lines.push(`Post-mortem: ${f.postmortem ?? 'to follow'}`);
  }
  if (f.text) lines.push('', f.text);
  return lines.join('\n');
}

export interface InternalDetail {
  kind: 'hostname' | 'private-ip' | 'arn' | 'stack-trace' | 'secret-like';
  match: string;
}

const INTERNAL_SUFFIXES = ['internal', 'local', 'localdomain', 'lan', 'corp', 'intranet', 'intra', 'home.arpa', 'svc', 'cluster.local', 'consul'];
const HOST = /\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}\b/gi;
/** Address-shaped tokens (with an optional prefix length); each is confirmed by ipaddr.js. */
const ADDRESS_TOKEN = /[0-9a-f.:]*[.:][0-9a-f.:]*(?:\/\d{1,3})?/gi;
const ARN = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[^\s"'`]+/gi;
const STACK = [
  /^\s+at .+\((?:[^()]+):\d+:\d+\)\s*$/m, // Node
  /^\s+at [\w$.<>]+\([\w$]+\.(?:java|kt|scala):\d+\)\s*$/m, // JVM
  /Traceback \(most recent call last\)/, // Python
  /^\s*File ".+", line \d+/m,
  /^goroutine \d+ \[/m, // Go
  /\bException in thread "/,
];
const SECRET_LIKE = [/\bAKIA[0-9A-Z]{16}\b/, /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/];

/** Finds internal details in text meant for people outside the team. */
export function findInternalDetails(text: string): InternalDetail[] {
  const out: InternalDetail[] = [];
  for (const m of text.matchAll(ARN)) out.push({ kind: 'arn', match: m[0] });
  const withoutArns = text.replace(ARN, ' ');
  for (const m of withoutArns.matchAll(HOST)) {
    const host = m[0].toLowerCase();
    if (/^\d+(\.\d+)+$/.test(host)) continue;
    const internal =
      INTERNAL_SUFFIXES.some((s) => host.endsWith(`.${s}`)) ||
      host.endsWith('.amazonaws.com') ||
      /^ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}\b/.test(host) ||
      /(?:^|\.)localhost$/.test(host);
    if (internal) out.push({ kind: 'hostname', match: m[0] });
  }
  if (/\blocalhost\b/i.test(withoutArns)) out.push({ kind: 'hostname', match: 'localhost' });
  for (const m of withoutArns.matchAll(ADDRESS_TOKEN)) {
    const address = addressIn(m[0]);
    if (address && !isPublicAddress(address)) out.push({ kind: 'private-ip', match: m[0] });
  }
  for (const re of STACK) {
    const m = re.exec(text);
    if (m) out.push({ kind: 'stack-trace', match: m[0].trim() });
  }
  for (const re of SECRET_LIKE) {
    const m = re.exec(text);
    if (m) out.push({ kind: 'secret-like', match: `${m[0].slice(0, 8)}…` });
  }
  return out;
}

/**
 * The address an address-shaped token names, or undefined. Four-part decimal only for IPv4
 * ("version 1.2.3" or "10.1" are not addresses to anyone reading); `a.b.c.d:port` is the IPv4
 * address with a port, not an invalid IPv6 one.
 */
function addressIn(token: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const raw = token.split('/')[0]!.replace(/[.:]+$/, '');
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(raw);
  const text = withPort ? withPort[1]! : raw;
  if (text.includes(':')) return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : undefined;
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
}

/**
 * Default deny: only ranges anyone on the internet can see pass (global unicast, multicast, the
 * documentation ranges used in examples). Loopback, link-local, RFC 1918, CGNAT (100.64/10),
 * unique-local (fc00::/7), site-local, benchmarking, unspecified and broadcast are internal. An IPv6
 * form that embeds an IPv4 address (`::ffff:10.0.0.1`, `::ffff:0:a00:1`, `64:ff9b::a00:1`) is judged
 * by the IPv4 address it carries.
 */
function isPublicAddress(a: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (a.kind() === 'ipv6') {
    const v6 = a as ipaddr.IPv6;
    const range = v6.range();
    if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') {
      const p = v6.parts;
      return isPublicAddress(new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]));
    }
    return PUBLIC_V6.has(range);
  }
  // ipaddr.js files the benchmarking block (RFC 2544) under `reserved`; it is a lab network.
  if ((a as ipaddr.IPv4).match(BENCHMARKING_V4)) return false;
  return PUBLIC_V4.has(a.range());
}
const BENCHMARKING_V4 = ipaddr.parseCIDR('198.18.0.0/15') as [ipaddr.IPv4, number];
const PUBLIC_V4 = new Set(['unicast', 'multicast', 'reserved', 'as112', 'amt']);
const PUBLIC_V6 = new Set(['unicast', 'multicast', 'reserved', 'teredo', '6to4', 'amt', 'as112v6']);

/** Refuses external text with internal details; the error lists each one so it can be edited out. */
export function assertExternalSafe(text: string): void {
  const found = findInternalDetails(text);
  if (found.length === 0) return;
  const list = found.map((f) => `${f.kind}: ${f.match}`).join('; ');
  throw new GuardError(`external text discloses internal details (${list})`, {
    code: 'INTERNAL_DETAIL',
    hint: 'Never disclose internal system details to customers, schools or the public: describe impact, not infrastructure. Remove the listed items and post again.',
    details: { found },
  });
}
