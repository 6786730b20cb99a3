import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { callerPrincipal, isProtected, parsePrincipals } from './principal.js';
import { mergeRecords, planRestore, planRevoke, recordId, revokeSessionsDocument, sessionsSid, type AccessRecord, type GitHubUserSnapshot, type IamUserSnapshot } from './revocation.js';

const NOW = new Date('2026-12-01T10:00:00Z');
const opts = { revocationId: 'id:r1', now: NOW, github: { mode: 'remove-from-org' as const, teams: [] }, earlier: undefined };

function record(id: string, createdAt: string, changes: AccessRecord['changes']): AccessRecord {
  return { v: 1, id, revocationId: `id:${id}`, principal: 'aws:iam-user:u', kind: 'iam-user', createdAt, updatedAt: createdAt, actor: 'a', incidentId: null, runUrl: null, reason: 'r', changes };
}

describe('principals', () => {
  it('parses every access kind, keeps Cognito usernames with @ when the scope follows, and refuses duplicates and other kinds', () => {
    const ps = parsePrincipals('aws:iam-user:mallory, aws:iam-role:app\ngithub:user:Eve aws:cognito-user:eu-west-1_AbC/alice@example.com@eu-west-1');
    expect(ps.map((p) => [p.kind, p.label])).toEqual([
      ['iam-user', 'aws:iam-user:mallory'],
      ['iam-role', 'aws:iam-role:app'],
      ['github-user', 'github:user:Eve'],
      ['cognito-user', 'aws:cognito-user:eu-west-1_AbC/alice@example.com@eu-west-1'],
    ]);
    expect(() => parsePrincipals('github:user:eve github:user:EVE')).toThrow(/named twice/);
    expect(() => parsePrincipals('aws:secret:db')).toThrow(InputError);
    expect(() => parsePrincipals(' , ')).toThrow(/at least one/);
  });

  it('protected entries match exactly, by prefix, per scope, and GitHub logins case-insensitively', () => {
    const [role, user, gh] = parsePrincipals('aws:iam-role:firebreak-responder aws:iam-user:ci@123456789012 github:user:Octo');
    expect(isProtected('aws:iam-role:firebreak-*', role!)).toBe(true);
    expect(isProtected('aws:iam-role:firebreak', role!)).toBe(false);
    expect(isProtected('aws:iam-user:firebreak-*', role!)).toBe(false);
    expect(isProtected('aws:iam-user:ci@123456789012', user!)).toBe(true);
    expect(isProtected('aws:iam-user:ci@210987654321', user!)).toBe(false);
    expect(isProtected('aws:iam-user:ci', user!)).toBe(true);
    expect(isProtected('github:user:octo', gh!)).toBe(true);
  });

  it('reads the IAM user or role behind an STS caller ARN', () => {
    expect(callerPrincipal('arn:aws:iam::123456789012:user/ops/alice')).toEqual({ account: '123456789012', kind: 'iam-user', name: 'alice' });
    expect(callerPrincipal('arn:aws:sts::123456789012:assumed-role/firebreak-responder-role-1a2b/gha-42')).toEqual({ account: '123456789012', kind: 'iam-role', name: 'firebreak-responder-role-1a2b' });
    expect(callerPrincipal('arn:aws:sts::123456789012:federated-user/bob')).toBeUndefined();
  });
});

describe('planRevoke', () => {
  const user: IamUserSnapshot = { kind: 'iam-user', arn: 'arn', keys: [{ id: 'AKIA1', status: 'Active' }, { id: 'AKIA2', status: 'Inactive' }], loginProfile: { passwordResetRequired: true }, denyAll: undefined };

  it('IAM user: deny-all first, then only the active keys, then the console login, each with the state it replaces', () => {
    const p = planRevoke(user, opts);
    expect(p.changes).toEqual([
      { action: 'deny-all', subject: 'firebreak-deny-all', prior: { attached: false } },
      { action: 'deactivate-key', subject: 'AKIA1', prior: { status: 'Active' } },
      { action: 'delete-login-profile', subject: 'console-login', prior: { existed: true, passwordResetRequired: true } },
    ]);
    expect(p.unchanged).toEqual([{ subject: 'AKIA2', reason: 'access key already inactive' }]);
  });

  it('IAM user already revoked: nothing to change', () => {
    expect(planRevoke({ ...user, keys: [{ id: 'AKIA1', status: 'Inactive' }], loginProfile: undefined, denyAll: '{}' }, opts).changes).toEqual([]);
  });

  it('IAM role: the same revocation is done once; another one moves the cut-off and records the policy it replaces', () => {
    const mine = revokeSessionsDocument(NOW, 'id:r1');
    expect(JSON.parse(mine).Statement[0].Sid).toBe(sessionsSid('id:r1'));
    expect(planRevoke({ kind: 'iam-role', arn: 'a', sessionsPolicy: mine }, opts).changes).toEqual([]);
    expect(planRevoke({ kind: 'iam-role', arn: 'a', sessionsPolicy: mine }, { ...opts, revocationId: 'id:r2' }).changes).toEqual([
      { action: 'revoke-sessions', subject: 'firebreak-revoke-sessions', prior: { document: mine, cutoff: NOW.toISOString() } },
    ]);
  });

  it('Cognito: a re-run whose sign-out failed signs out again even though the user is disabled by now', () => {
    const disabled = { kind: 'cognito-user' as const, enabled: false, status: 'RESET_REQUIRED' };
    expect(planRevoke(disabled, opts).changes).toEqual([]);
    const earlier = record('r1', NOW.toISOString(), [{ action: 'global-sign-out', subject: 'sessions', prior: {}, status: 'failed' }]);
    expect(planRevoke(disabled, { ...opts, earlier }).changes.map((c) => c.action)).toEqual(['global-sign-out']);
  });

  it('GitHub: invitations are cancelled in every mode; removal records role and teams; teams mode only touches the named teams', () => {
    const eve: GitHubUserSnapshot = {
      kind: 'github-user',
      org: 'acme',
      membership: { role: 'admin', state: 'active' },
      outsideCollaborator: false,
      teams: [{ slug: 'payments', role: 'maintainer', state: 'active' }],
      invitations: [{ id: 7, role: 'direct_member' }],
      orgTeams: ['payments', 'docs'],
    };
    expect(planRevoke(eve, opts).changes).toEqual([
      { action: 'cancel-invitation', subject: 'invitation 7', prior: { id: 7, role: 'direct_member' } },
      { action: 'remove-from-org', subject: 'membership', prior: { role: 'admin', teams: [{ team: 'payments', role: 'maintainer' }] } },
    ]);
    const teams = planRevoke(eve, { ...opts, github: { mode: 'remove-from-teams', teams: ['payments', 'docs'] } });
    expect(teams.changes.map((c) => c.action)).toEqual(['cancel-invitation', 'remove-from-team']);
    expect(teams.unchanged).toEqual([{ subject: 'team docs', reason: 'not a member of this team' }]);
  });
});

describe('planRestore', () => {
  it('merges records oldest first: the first record that changed a subject holds its state before any revocation', () => {
    const first = record('r1', '2026-12-01T10:00:00Z', [{ action: 'revoke-sessions', subject: 'p', prior: { document: null }, status: 'applied' }]);
    const second = record('r2', '2026-12-01T11:00:00Z', [{ action: 'revoke-sessions', subject: 'p', prior: { document: '{"x":1}' }, status: 'applied' }]);
    const merged = mergeRecords([second, first]);
    expect(merged).toEqual([{ action: 'revoke-sessions', subject: 'p', prior: { document: null }, from: ['r1', 'r2'] }]);
    const steps = planRestore(merged, { kind: 'iam-role', arn: 'a', sessionsPolicy: '{"x":1}' }, 'aws:iam-role:app');
    expect(steps).toMatchObject([{ action: 'restore-sessions-policy', kind: 'apply', detail: {} }]);
  });

  it('judges each change against the live state: a key deleted since is reported, a console login is left to a person', () => {
    const changes = mergeRecords([
      record('r1', '2026-12-01T10:00:00Z', [
        { action: 'deactivate-key', subject: 'AKIA1', prior: { status: 'Active' }, status: 'applied' },
        { action: 'deactivate-key', subject: 'AKIA9', prior: { status: 'Active' }, status: 'applied' },
        { action: 'delete-login-profile', subject: 'console-login', prior: { existed: true }, status: 'applied' },
      ]),
    ]);
    const steps = planRestore(changes, { kind: 'iam-user', arn: 'a', keys: [{ id: 'AKIA1', status: 'Inactive' }], loginProfile: undefined, denyAll: undefined }, 'aws:iam-user:mallory');
    expect(steps.map((s) => `${s.action}:${s.subject}:${s.kind}`)).toEqual(['activate-key:AKIA1:apply', 'activate-key:AKIA9:manual', 'recreate-login-profile:console-login:manual']);
    expect(steps[2]!.reason).toContain('aws iam create-login-profile --user-name mallory --password-reset-required');
  });

  it('GitHub: invites back with the recorded role and teams, not twice for the same team', () => {
    const changes = mergeRecords([
      record('r1', '2026-12-01T10:00:00Z', [
        { action: 'remove-from-org', subject: 'membership', prior: { role: 'admin', teams: [{ team: 'payments', role: 'maintainer' }] }, status: 'applied' },
        { action: 'remove-from-team', subject: 'team payments', prior: { team: 'payments', role: 'member' }, status: 'applied' },
      ]),
    ]);
    const gone: GitHubUserSnapshot = { kind: 'github-user', org: 'acme', membership: undefined, outsideCollaborator: false, teams: [], invitations: [], orgTeams: ['payments'] };
    expect(planRestore(changes, gone, 'github:user:eve').map((s) => [s.action, s.subject, s.detail])).toEqual([
      ['invite-to-org', 'membership', { role: 'admin' }],
      ['add-to-team', 'team payments', { team: 'payments', role: 'maintainer' }],
    ]);
  });

  it('record ids are stable per principal and revocation', () => {
    expect(recordId('aws:iam-user:u', 'id:a')).toBe(recordId('aws:iam-user:u', 'id:a'));
    expect(recordId('aws:iam-user:u', 'id:a')).not.toBe(recordId('aws:iam-user:u', 'id:b'));
    expect(recordId('aws:iam-user:u', 'id:a')).toMatch(/^[0-9a-f]{32}$/);
  });
});
