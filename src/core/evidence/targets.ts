import { InputError } from '../errors.js';

/**
 * What preserve-evidence can be pointed at, one per line:
 *
 *   logs:/app/api                 CloudWatch log group, FilterLogEvents over the window (sliced)
 *   logs-export:/app/api          the same group through an export task (one per account at a time)
 *   rds:orders-db                 a snapshot of an RDS instance (tagged with the incident)
 *   rds-cluster:orders-cluster    a snapshot of an Aurora cluster
 *   ebs:vol-0abc…                 a snapshot of an EBS volume
 *   s3:bucket/suspect/prefix/     every object version under the prefix, copied, plus an inventory
 *   guardduty                     GuardDuty findings updated in the window (kit detector, or guardduty:<detector-id>)
 *   cloudtrail:user:alice         CloudTrail LookupEvents for a principal (or cloudtrail:resource:<name>)
 *   atlas:<project>/<cluster>     an on-demand MongoDB Atlas cloud backup snapshot (project id or name)
 *   file:logs/app.log             a local file (or every file under a directory)
 */
export const SOURCE_KINDS = ['logs', 'logs-export', 'rds', 'rds-cluster', 'ebs', 's3', 'guardduty', 'cloudtrail', 'atlas', 'file'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface EvidenceTarget {
  kind: SourceKind;
  /** The part after `kind:` (may be empty for guardduty). */
  id: string;
  /** `kind:id` as typed (normalised). */
  label: string;
}

const RULES: Record<SourceKind, { re: RegExp; hint: string; optional?: boolean }> = {
  logs: { re: /^[\w./#-]{1,512}$/, hint: 'a log group name' },
  'logs-export': { re: /^[\w./#-]{1,512}$/, hint: 'a log group name' },
  rds: { re: /^[A-Za-z][A-Za-z0-9-]{0,62}$/, hint: 'a DB instance identifier' },
  'rds-cluster': { re: /^[A-Za-z][A-Za-z0-9-]{0,62}$/, hint: 'a DB cluster identifier' },
  ebs: { re: /^vol-[0-9a-f]{8,17}$/, hint: 'a volume id (vol-…)' },
  s3: { re: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, hint: 'bucket/prefix' },
  guardduty: { re: /^[0-9a-f]{32}$|^$/, hint: 'a detector id (or nothing for the kit detector)', optional: true },
  cloudtrail: { re: /^(user|resource):.{1,256}$/, hint: 'user:<name> or resource:<name>' },
  // A project by id (24 hex) or by name (Atlas allows letters, digits, spaces and - _ . ( ) in names).
  atlas: { re: /^[A-Za-z0-9][\w .()-]{0,63}\/[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, hint: '<project-id or project name>/<cluster-name>' },
  file: { re: /^[^\0]{1,4096}$/, hint: 'a path' },
};

export function parseTargets(text: string, field = 'targets'): EvidenceTarget[] {
  const out: EvidenceTarget[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, n) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const kind = (colon < 0 ? line : line.slice(0, colon)) as SourceKind;
    const id = colon < 0 ? '' : line.slice(colon + 1).trim();
    const rule = RULES[kind];
    if (!SOURCE_KINDS.includes(kind) || !rule) {
      throw new InputError(`${field} line ${n + 1} ("${line.slice(0, 80)}"): unknown source; expected one of ${SOURCE_KINDS.join(', ')}`, { field, code: 'TARGET_INVALID' });
    }
    if ((id === '' && !rule.optional) || !rule.re.test(id)) {
      throw new InputError(`${field} line ${n + 1} ("${line.slice(0, 80)}"): ${kind} takes ${rule.hint}`, { field, code: 'TARGET_INVALID' });
    }
    const label = id ? `${kind}:${id}` : kind;
    if (seen.has(label)) return;
    seen.add(label);
    out.push({ kind, id, label });
  });
  if (out.length === 0) throw new InputError(`${field}: nothing to preserve`, { field, code: 'INPUT_MISSING' });
  return out;
}

/** A key segment from free text (log group names, paths): safe in S3 keys and stable. */
export function keySegment(text: string): string {
  return text.replace(/^\/+/, '').replace(/[^A-Za-z0-9._/=-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/\/{2,}/g, '/') || '_';
}
