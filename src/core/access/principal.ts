import { InputError } from '../errors.js';
import { formatTarget, parseTarget, type TargetRef } from '../target.js';

/**
 * Who revoke-access and restore-access act on: an IAM user or role, a Cognito user pool user, or a
 * GitHub user in an organisation. Written in the one target grammar (src/core/target.ts).
 */

export const ACCESS_KINDS = ['aws:iam-user', 'aws:iam-role', 'aws:cognito-user', 'github:user'] as const;

export type PrincipalKind = 'iam-user' | 'iam-role' | 'cognito-user' | 'github-user';

export interface Principal {
  kind: PrincipalKind;
  target: TargetRef;
  /** The target as written back (canonical): what records, the ledger and outcomes name. */
  label: string;
}

/** Largest number of principals one run takes: a wider revocation is several deliberate runs. */
export const MAX_PRINCIPALS_PER_RUN = 50;

export function parsePrincipals(text: string, field = 'targets'): Principal[] {
  const items = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new InputError(`${field}: name at least one principal`, { field, code: 'INPUT_MISSING', hint: `One of: ${ACCESS_KINDS.join(', ')} (provider:kind:id).` });
  if (items.length > MAX_PRINCIPALS_PER_RUN) {
    throw new InputError(`${field}: ${items.length} principals, more than ${MAX_PRINCIPALS_PER_RUN} in one run`, { field, code: 'INPUT_TOO_LARGE', hint: 'Split the revocation into several runs.' });
  }
  const out: Principal[] = [];
  for (const item of items) {
    const target = parseTarget(item, { field, kinds: ACCESS_KINDS });
    const p: Principal = { kind: kindOf(target), target, label: formatTarget(target) };
    if (out.some((o) => samePrincipal(o.target, p.target))) throw new InputError(`${field}: ${p.label} is named twice`, { field, code: 'INPUT_DUPLICATE' });
    out.push(p);
  }
  return out;
}

function kindOf(t: TargetRef): PrincipalKind {
  if (t.provider === 'github') return 'github-user';
  return t.kind as PrincipalKind;
}

/** GitHub logins are case-insensitive; AWS and Cognito names are not. */
function sameId(t: TargetRef, a: string, b: string): boolean {
  return t.provider === 'github' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

export function samePrincipal(a: TargetRef, b: TargetRef): boolean {
  return a.provider === b.provider && a.kind === b.kind && sameId(a, a.id, b.id) && (a.scope.account ?? '') === (b.scope.account ?? '') && (a.scope.region ?? '') === (b.scope.region ?? '');
}

/**
 * Whether a protected entry (from firebreak.yml `access.protected`) covers a principal. An entry
 * without a scope covers the name in every account and region; `*` at the end of its id covers a
 * prefix (`aws:iam-role:firebreak-*`).
 */
export function isProtected(entry: string, p: Principal): boolean {
  const m = /^([a-z]+):([a-z-]+):([^@]+?)(?:@(.+))?$/.exec(entry);
  if (!m) return false;
  const [, provider, kind, id, scope] = m;
  if (provider !== p.target.provider || kind !== p.target.kind) return false;
  const wildcard = id!.endsWith('*');
  const pid = p.target.provider === 'github' ? p.target.id.toLowerCase() : p.target.id;
  const eid = p.target.provider === 'github' ? id!.toLowerCase() : id!;
  if (wildcard ? !pid.startsWith(eid.slice(0, -1)) : pid !== eid) return false;
  if (scope === undefined) return true;
  const have = [p.target.scope.account, p.target.scope.region].filter(Boolean).join('/');
  return have === scope || p.target.scope.account === scope || p.target.scope.region === scope;
}

/**
 * The IAM user or role an STS caller ARN stands for: `arn:aws:iam::<acct>:user/<path/>name` or
 * `arn:aws:sts::<acct>:assumed-role/<role>/<session>`.
 */
export function callerPrincipal(arn: string): { account: string; kind: 'iam-user' | 'iam-role'; name: string } | undefined {
  const user = /^arn:aws[\w-]*:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (user) return { account: user[1]!, kind: 'iam-user', name: user[2]! };
  const role = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (role) return { account: role[1]!, kind: 'iam-role', name: role[2]! };
  return undefined;
}
