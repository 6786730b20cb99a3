import { createHash } from 'node:crypto';
import type { PrincipalKind } from './principal.js';

/**
 * What revoking access changes on each kind of principal, and what restoring puts back, as pure
 * functions of the principal's current state. The step reads the state through ports, calls these,
 * and records every change with the state it replaced, so that `restore-access` can put exactly that
 * back and say what it cannot.
 */

/** Inline policy names firebreak owns on IAM users and roles. */
export const DENY_ALL_POLICY = 'firebreak-deny-all';
export const REVOKE_SESSIONS_POLICY = 'firebreak-revoke-sessions';

export type RevokeAction =
  | 'deny-all'
  | 'deactivate-key'
  | 'delete-login-profile'
  | 'revoke-sessions'
  | 'force-password-reset'
  | 'global-sign-out'
  | 'disable'
  | 'cancel-invitation'
  | 'remove-from-org'
  | 'convert-to-outside-collaborator'
  | 'remove-from-team';

export type RestoreAction =
  | 'remove-deny-all'
  | 'activate-key'
  | 'recreate-login-profile'
  | 'restore-sessions-policy'
  | 'enable'
  | 'invite-to-org'
  | 'add-to-team'
  | 'none';

/** One change a revocation made (or planned), with the state it replaced. Plain JSON: it is recorded. */
export interface RecordedChange {
  action: RevokeAction;
  subject: string;
  /** The state before the change, enough to put it back. Never a secret. */
  prior: Record<string, unknown>;
}

export type RecordedStatus = 'planned' | 'applied' | 'failed';

/** One revocation of one principal in the access ledger. */
export interface AccessRecord {
  v: 1;
  /** Stable per principal and revocation id: a re-run of the same revocation finds its record. */
  id: string;
  revocationId: string;
  principal: string;
  kind: PrincipalKind;
  createdAt: string;
  updatedAt: string;
  actor: string;
  incidentId: string | null;
  runUrl: string | null;
  reason: string;
  changes: Array<RecordedChange & { status: RecordedStatus }>;
}

/** Marks a record as restored; the record itself stays as evidence. */
export interface RestoreMark {
  id: string;
  restoredAt: string;
  actor: string;
  reason: string;
  runUrl: string | null;
}

export function recordId(principal: string, revocationId: string): string {
  return createHash('sha256').update(`firebreak-revoke\u0000${principal}\u0000${revocationId}`, 'utf8').digest('hex').slice(0, 32);
}

/** The ledger folder of one principal (a hash: logins and pool usernames may hold any character). */
export function principalKey(principal: string): string {
  return createHash('sha256').update(principal.toLowerCase(), 'utf8').digest('hex').slice(0, 24);
}

// ── snapshots: what the ports read ───────────────────────────────────────────────────────────

export interface IamUserSnapshot {
  kind: 'iam-user';
  arn: string;
  keys: Array<{ id: string; status: 'Active' | 'Inactive' }>;
  loginProfile: { passwordResetRequired: boolean } | undefined;
  /** The firebreak deny-all inline policy's document, when attached. */
  denyAll: string | undefined;
}

export interface IamRoleSnapshot {
  kind: 'iam-role';
  arn: string;
  /** The firebreak session-revocation inline policy's document, when attached. */
  sessionsPolicy: string | undefined;
}

export interface CognitoUserSnapshot {
  kind: 'cognito-user';
  enabled: boolean;
  /** UserStatus: CONFIRMED, RESET_REQUIRED, FORCE_CHANGE_PASSWORD, … */
  status: string;
}

export type OrgRole = 'admin' | 'member' | 'billing_manager';
export type TeamRole = 'member' | 'maintainer';

export interface GitHubUserSnapshot {
  kind: 'github-user';
  org: string;
  membership: { role: OrgRole; state: 'active' | 'pending' } | undefined;
  outsideCollaborator: boolean;
  teams: Array<{ slug: string; role: TeamRole; state: 'active' | 'pending' }>;
  invitations: Array<{ id: number; role: string }>;
  /** Every team slug of the organisation (to refuse a team that does not exist). */
  orgTeams: string[];
}

export type Snapshot = IamUserSnapshot | IamRoleSnapshot | CognitoUserSnapshot | GitHubUserSnapshot;

export type GitHubRevokeMode = 'remove-from-org' | 'remove-from-teams' | 'convert-to-outside-collaborator';

export interface RevokePlan {
  changes: RecordedChange[];
  /** Already in the revoked state: subject and why. */
  unchanged: Array<{ subject: string; reason: string }>;
}

// ── policies ─────────────────────────────────────────────────────────────────────────────────

export function denyAllDocument(): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'FirebreakDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }] });
}

/** The Sid names the revocation, so a re-run of the same one sees it is done and moves no cut-off. */
export function sessionsSid(revocationId: string): string {
  return `FirebreakRevokeSessions${createHash('sha256').update(revocationId, 'utf8').digest('hex').slice(0, 16)}`;
}

/**
 * What the AWS console's "Revoke active sessions" attaches: deny everything to sessions whose
 * credentials were issued before the cut-off. New sessions (after it) are not affected.
 */
export function revokeSessionsDocument(cutoff: Date, revocationId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: sessionsSid(revocationId), Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString() } } }],
  });
}

/** Compares policy documents by meaning of their JSON (IAM may return them re-serialised). */
export function samePolicy(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return JSON.stringify(sortKeys(JSON.parse(a))) === JSON.stringify(sortKeys(JSON.parse(b)));
  } catch {
    return a === b;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

// ── revoke ───────────────────────────────────────────────────────────────────────────────────

export interface RevokeOptions {
  revocationId: string;
  now: Date;
  github: { mode: GitHubRevokeMode; teams: readonly string[] };
  /** This revocation's earlier record (a re-run): changes that cannot be read back are judged from it. */
  earlier: AccessRecord | undefined;
}

/**
 * The order matters: what cuts every credential at once goes first (deny-all, sessions), then what
 * stops new sign-ins. Cognito resets the password before disabling, since a reset is refused for a
 * disabled user.
 */
export function planRevoke(s: Snapshot, o: RevokeOptions): RevokePlan {
  const plan: RevokePlan = { changes: [], unchanged: [] };
  const change = (action: RevokeAction, subject: string, prior: Record<string, unknown>) => plan.changes.push({ action, subject, prior });
  const same = (subject: string, reason: string) => plan.unchanged.push({ subject, reason });
  switch (s.kind) {
    case 'iam-user': {
      if (s.denyAll === undefined) change('deny-all', DENY_ALL_POLICY, { attached: false });
      else same(DENY_ALL_POLICY, 'deny-all inline policy already attached');
      for (const k of s.keys) {
        if (k.status === 'Active') change('deactivate-key', k.id, { status: 'Active' });
        else same(k.id, 'access key already inactive');
      }
      if (s.loginProfile) change('delete-login-profile', 'console-login', { existed: true, passwordResetRequired: s.loginProfile.passwordResetRequired });
      else same('console-login', 'no console login profile');
      break;
    }
    case 'iam-role': {
      const sid = sessionsSid(o.revocationId);
      if (s.sessionsPolicy !== undefined && s.sessionsPolicy.includes(`"${sid}"`)) same(REVOKE_SESSIONS_POLICY, 'sessions already revoked by this revocation');
      else change('revoke-sessions', REVOKE_SESSIONS_POLICY, { document: s.sessionsPolicy ?? null, cutoff: o.now.toISOString() });
      break;
    }
    case 'cognito-user': {
      const resetPending = s.status === 'RESET_REQUIRED' || s.status === 'FORCE_CHANGE_PASSWORD';
      if (!resetPending) change('force-password-reset', 'password', { status: s.status });
      else same('password', `a new password is already required (${s.status})`);
      // Disabling revokes the user's tokens too; sign-out is explicit so refresh tokens die even when
      // disabling fails, and it is repeated on a re-run whose earlier sign-out did not go through.
      const earlierSignOut = o.earlier?.changes.find((c) => c.action === 'global-sign-out');
      if (s.enabled || (earlierSignOut !== undefined && earlierSignOut.status !== 'applied')) change('global-sign-out', 'sessions', {});
      else same('sessions', earlierSignOut ? 'signed out by this revocation' : 'user disabled: tokens already revoked');
      if (s.enabled) change('disable', 'user', { enabled: true });
      else same('user', 'already disabled');
      break;
    }
    case 'github-user': {
      for (const inv of s.invitations) change('cancel-invitation', `invitation ${inv.id}`, { id: inv.id, role: inv.role });
      if (o.github.mode === 'remove-from-teams') {
        for (const slug of o.github.teams) {
          const t = s.teams.find((x) => x.slug === slug);
          if (t) change('remove-from-team', `team ${slug}`, { team: slug, role: t.role, state: t.state });
          else same(`team ${slug}`, 'not a member of this team');
        }
        break;
      }
      const m = s.membership;
      if (!m || m.state === 'pending') {
        if (s.invitations.length === 0) same('membership', s.outsideCollaborator ? 'not a member (outside collaborator)' : 'not a member of the organisation');
        break;
      }
      const teams = s.teams.map((t) => ({ team: t.slug, role: t.role }));
      if (o.github.mode === 'convert-to-outside-collaborator') change('convert-to-outside-collaborator', 'membership', { role: m.role, teams });
      else change('remove-from-org', 'membership', { role: m.role, teams });
      break;
    }
  }
  return plan;
}

// ── restore ──────────────────────────────────────────────────────────────────────────────────

export interface RestoreStep {
  action: RestoreAction;
  subject: string;
  /** What to put back (a policy document, a role …). */
  detail: Record<string, unknown>;
  /** `apply`: a change to make; `already`: the state is as before; `manual`: a person must act (reason says how). */
  kind: 'apply' | 'already' | 'manual';
  reason: string;
  /** The revocation records this step restores from. */
  from: string[];
}

/**
 * Merges the open records of one principal, oldest first: the first record that changed a subject
 * holds its state before any revocation, and that is what restoring puts back.
 */
export function mergeRecords(records: readonly AccessRecord[]): Array<RecordedChange & { from: string[] }> {
  const sorted = [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const out: Array<RecordedChange & { from: string[] }> = [];
  for (const r of sorted) {
    for (const c of r.changes) {
      const have = out.find((x) => x.action === c.action && x.subject === c.subject);
      if (have) have.from.push(r.id);
      else out.push({ action: c.action, subject: c.subject, prior: c.prior, from: [r.id] });
    }
  }
  return out;
}

export function planRestore(changes: ReadonlyArray<RecordedChange & { from: string[] }>, s: Snapshot, principalLabel: string): RestoreStep[] {
  const steps: RestoreStep[] = [];
  const push = (action: RestoreAction, subject: string, kind: RestoreStep['kind'], reason: string, from: string[], detail: Record<string, unknown> = {}) =>
    steps.push({ action, subject, kind, reason, from, detail });
  for (const c of changes) {
    switch (c.action) {
      case 'deny-all': {
        const u = s as IamUserSnapshot;
        if (u.denyAll === undefined) push('remove-deny-all', c.subject, 'already', 'deny-all inline policy is not attached', c.from);
        else push('remove-deny-all', c.subject, 'apply', 'detach the deny-all inline policy firebreak attached', c.from);
        break;
      }
      case 'deactivate-key': {
        const k = (s as IamUserSnapshot).keys.find((x) => x.id === c.subject);
        if (!k) push('activate-key', c.subject, 'manual', 'the access key no longer exists (deleted since the revocation); nothing to reactivate', c.from);
        else if (k.status === 'Active') push('activate-key', c.subject, 'already', 'access key already active', c.from);
        else push('activate-key', c.subject, 'apply', 'reactivate the access key that was active before the revocation', c.from);
        break;
      }
      case 'delete-login-profile': {
        const u = s as IamUserSnapshot;
        const user = principalLabel.replace(/^aws:iam-user:/, '').replace(/@.*$/, '');
        if (u.loginProfile) push('recreate-login-profile', c.subject, 'already', 'a console login profile exists again', c.from);
        else
          push(
            'recreate-login-profile',
            c.subject,
            'manual',
            `console login is not recreated by firebreak (it would have to choose a password): an administrator sets a new one out of band, e.g. \`aws iam create-login-profile --user-name ${user} --password-reset-required --password …\` from a password manager, and tells the user through a separate channel`,
            c.from,
          );
        break;
      }
      case 'revoke-sessions': {
        const r = s as IamRoleSnapshot;
        const before = typeof c.prior.document === 'string' ? c.prior.document : undefined;
        if (samePolicy(r.sessionsPolicy, before)) push('restore-sessions-policy', c.subject, 'already', before ? 'the earlier session policy is in place' : 'no session-revocation policy attached', c.from);
        else
          push('restore-sessions-policy', c.subject, 'apply', before ? 'put back the session policy that was attached before' : 'detach the session-revocation policy', c.from, before ? { document: before } : {});
        break;
      }
      case 'disable': {
        const u = s as CognitoUserSnapshot;
        if (u.enabled) push('enable', c.subject, 'already', 'user already enabled', c.from);
        else push('enable', c.subject, 'apply', 'enable the user that was enabled before the revocation', c.from);
        break;
      }
      case 'global-sign-out':
        push('none', c.subject, 'manual', 'signed-out sessions cannot be restored: the user signs in again', c.from);
        break;
      case 'force-password-reset':
        push('none', c.subject, 'manual', `a forced password reset cannot be undone: the user sets a new password (forgot-password flow) before signing in; it was ${String(c.prior.status)} before`, c.from);
        break;
      case 'cancel-invitation':
      case 'remove-from-org':
      case 'convert-to-outside-collaborator': {
        const g = s as GitHubUserSnapshot;
        const role = String(c.prior.role ?? 'member') === 'admin' ? 'admin' : 'member';
        if (g.membership) push('invite-to-org', c.subject, 'already', `already ${g.membership.state === 'active' ? 'a member' : 'invited'} (${g.membership.role})`, c.from);
        else
          push(
            'invite-to-org',
            c.subject,
            'apply',
            `invite back to ${g.org} as ${role}; GitHub makes them a member only when they accept the invitation`,
            c.from,
            { role },
          );
        const teams = Array.isArray(c.prior.teams) ? (c.prior.teams as Array<{ team: string; role: TeamRole }>) : [];
        for (const t of teams) teamStep(steps, g, t.team, t.role, c.from);
        break;
      }
      case 'remove-from-team': {
        teamStep(steps, s as GitHubUserSnapshot, String(c.prior.team), (c.prior.role as TeamRole) ?? 'member', c.from);
        break;
      }
    }
  }
  return steps;
}

function teamStep(steps: RestoreStep[], g: GitHubUserSnapshot, team: string, role: TeamRole, from: string[]): void {
  const subject = `team ${team}`;
  if (steps.some((x) => x.action === 'add-to-team' && x.subject === subject)) return;
  const now = g.teams.find((t) => t.slug === team);
  if (now) steps.push({ action: 'add-to-team', subject, kind: 'already', reason: `already in the team (${now.role}, ${now.state})`, from, detail: { team, role } });
  else steps.push({ action: 'add-to-team', subject, kind: 'apply', reason: `add back to team ${team} as ${role} (pending until an invitation is accepted)`, from, detail: { team, role } });
}
