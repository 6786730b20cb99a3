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
    const raw = m[0].split('/')[0]!.replace(/[.:]+$/, '');
    // Four-part decimal only: "version 1.2.3" or "10.1" are not addresses to anyone reading.
    if (raw.includes(':') ? !ipaddr.IPv6.isValid(raw) : !ipaddr.IPv4.isValidFourPartDecimal(raw)) continue;
    const range = ipaddr.parse(raw).range();
    if (range !== 'unicast' && range !== 'multicast' && range !== 'reserved') out.push({ kind: 'private-ip', match: m[0] });
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
