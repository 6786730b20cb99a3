import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CreateAccessKeyCommand, CreateUserCommand, DeleteAccessKeyCommand, GetLoginProfileCommand, GetRolePolicyCommand, GetUserPolicyCommand, IAMClient, ListAccessKeysCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import type { Plan } from '../../core/plan.js';
import type { AccessPorts } from '../../core/ports/access.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { buildAccessPorts } from '../../runtime/ports/access.js';
import { restoreAccessStep } from '../restore-access/step.js';
import { CONSOLE_PASSWORD, provisionAccessKit, type AccessKit } from './fixture.js';
import { revokeAccessStep } from './step.js';

const instant = async () => {};
const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer;
let gh: GitHubEmulator;
let kit: AccessKit;
let audit: MemoryAuditSink;
let logger: ReturnType<typeof memoryLogger>;
let n = 0;

beforeAll(async () => {
  moto = await startMoto();
  gh = await startGitHubEmulator({ owner: 'acme', repo: 'shop' });
}, 60_000);
afterAll(async () => {
  await gh?.stop();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  gh.reset();
  kit = await provisionAccessKit(moto, gh, `t${++n}`);
  audit = new MemoryAuditSink();
  logger = memoryLogger();
});

function ports(config = 'version: 1\n', env: Record<string, string> = {}): AccessPorts {
  return buildAccessPorts({ ...moto.env(), ...kit.env, ...env }, parseConfig(config), { sleep: instant, timeoutMs: 5_000, random: () => 0.5, callAttempts: 2 });
}
function ctx(over: Partial<Parameters<typeof makeContext>[0]> = {}) {
  return makeContext({ audit, clock: manualClock('2026-12-01T10:00:00Z'), sleep: instant, logger, dryRun: false, incidentId: 'INC-11', actor: 'responder', runUrl: 'https://github.example/acme/shop/actions/runs/7', ...over });
}
const iam = () => new IAMClient({ region: 'us-east-1', endpoint: moto.directEndpoint, credentials: CREDS });
const idp = () => new CognitoIdentityProviderClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: CREDS });
async function keys(user = kit.user): Promise<Record<string, string>> {
  const out = await iam().send(new ListAccessKeysCommand({ UserName: user }));
  return Object.fromEntries((out.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]));
}
async function hasLogin(user = kit.user): Promise<boolean> {
  return iam()
    .send(new GetLoginProfileCommand({ UserName: user }))
    .then(() => true)
    .catch((e: { name?: string }) => (e.name === 'NoSuchEntity' || e.name === 'NoSuchEntityException' ? false : Promise.reject(e)));
}
async function userPolicies(user = kit.user): Promise<string[]> {
  return (await iam().send(new ListUserPoliciesCommand({ UserName: user }))).PolicyNames ?? [];
}
async function cognito() {
  const out = await idp().send(new AdminGetUserCommand({ UserPoolId: kit.pool, Username: kit.cognitoUser }));
  return { enabled: out.Enabled, status: out.UserStatus };
}
async function ledgerKeys(): Promise<string[]> {
  const s3 = new S3Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: CREDS, forcePathStyle: true });
  return ((await s3.send(new ListObjectsV2Command({ Bucket: kit.bucket }))).Contents ?? []).map((o) => o.Key!);
}
const records = () => audit.entries.map((e) => e.record);
const codeOf = (e: unknown) => (e instanceof FirebreakError ? e.code : `not a FirebreakError: ${String(e)}`);
const org = () => gh.state.org;

describe('revoke-access: IAM user', () => {
  it('denies everything, deactivates the active key, deletes the console login, and records the state before', async () => {
    const run = await runStep(revokeAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'leaked key' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await keys()).toEqual({ [kit.activeKey]: 'Inactive', [kit.inactiveKey]: 'Inactive' });
    expect(await hasLogin()).toBe(false);
    expect(await userPolicies()).toEqual(['firebreak-deny-all']);
    const doc = (await iam().send(new GetUserPolicyCommand({ UserName: kit.user, PolicyName: 'firebreak-deny-all' }))).PolicyDocument!;
    expect(JSON.parse(decodeURIComponent(doc))).toMatchObject({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] });
    // The audit record holds what each change replaced; the key that was already inactive is not a change.
    const rec = records().at(-1)! as unknown as { plan: Plan };
    expect(rec.plan?.changes.map((c) => `${c.action} ${c.subject}`)).toEqual(['deny-all firebreak-deny-all', `deactivate-key ${kit.activeKey}`, 'delete-login-profile console-login']);
    expect(rec.plan?.changes.find((c) => c.action === 'delete-login-profile')?.detail).toEqual({ prior: { existed: true, passwordResetRequired: false } });
    expect(rec.plan?.unchanged).toContainEqual({ target: `aws:iam-user:${kit.user}`, subject: kit.inactiveKey, reason: 'access key already inactive' });
    // One ledger record for the principal, written before and after.
    expect((await ledgerKeys()).filter((k) => k.includes('/records/'))).toHaveLength(1);
    expect(JSON.stringify(records())).not.toContain(CONSOLE_PASSWORD);
    expect(JSON.stringify(records())).not.toContain(kit.activeSecret);
  });

  it('a re-run plans nothing and writes nothing to IAM (already revoked)', async () => {
    await runStep(revokeAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'leaked key' }, ports(), ctx());
    const again = await runStep(revokeAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'leaked key' }, ports(), ctx({ runUrl: 'https://github.example/acme/shop/actions/runs/8' }));
    expect(again.plan?.changes).toEqual([]);
    expect(again.plan?.unchanged.map((u) => u.subject)).toEqual(['firebreak-deny-all', kit.activeKey, kit.inactiveKey, 'console-login']);
    expect(again.result?.status).toBe('noop');
    // Nothing changed, so no second ledger record either.
    expect((await ledgerKeys()).filter((k) => k.includes('/records/'))).toHaveLength(1);
    expect(await keys()).toEqual({ [kit.activeKey]: 'Inactive', [kit.inactiveKey]: 'Inactive' });
  });

  it('restore-access puts back exactly what was changed: the key that was active, the login is left to a person, the deny-all goes', async () => {
    await runStep(revokeAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'leaked key' }, ports(), ctx());
    // A key created after the revocation stays as it is (it was never revoked); IAM allows two keys.
    await iam().send(new DeleteAccessKeyCommand({ UserName: kit.user, AccessKeyId: kit.inactiveKey }));
    const later = (await iam().send(new CreateAccessKeyCommand({ UserName: kit.user }))).AccessKey!.AccessKeyId!;
    const noReason = await runStep(restoreAccessStep, { targets: `aws:iam-user:${kit.user}` }, ports(), ctx()).catch((e: unknown) => e);
    expect(codeOf(noReason)).toBe('INPUT_MISSING');
    expect(await userPolicies()).toEqual(['firebreak-deny-all']);

    const run = await runStep(restoreAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'false alarm, key holder verified' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await keys()).toEqual({ [kit.activeKey]: 'Active', [later]: 'Active' });
    expect(await userPolicies()).toEqual([]);
    expect(await hasLogin()).toBe(false);
    const outcomes = run.result!.outcomes.map((o) => `${o.action}:${o.status}`);
    expect(outcomes).toEqual(['activate-key:applied', 'remove-deny-all:applied', 'recreate-login-profile:skipped', 'mark-restored:applied']);
    expect(run.result!.outcomes.find((o) => o.action === 'recreate-login-profile')?.reason).toContain('create-login-profile');
    expect(run.plan?.warnings.join('\n')).toContain('console login is not recreated');
    // Restored records are closed: a re-run says so and changes nothing.
    const again = await runStep(restoreAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'again' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(again.plan?.unchanged[0]?.reason).toBe('already restored by responder at 2026-12-01T10:00:00.000Z: false alarm, key holder verified');
    // A principal never revoked has nothing to restore.
    const never = await runStep(restoreAccessStep, { targets: `aws:iam-role:${kit.role}`, reason: 'x y z' }, ports(), ctx()).catch((e: unknown) => e);
    expect(codeOf(never)).toBe('NOTHING_TO_RESTORE');
    expect((await ledgerKeys()).filter((k) => k.includes('/restored/'))).toHaveLength(1);
  });

  it('the same revocation id after a restore is refused instead of recording the restored state as the state before', async () => {
    const raw = { targets: `aws:iam-user:${kit.user}`, reason: 'leaked key', revocationId: 'rev-1' };
    await runStep(revokeAccessStep, raw, ports(), ctx());
    await runStep(restoreAccessStep, { targets: raw.targets, reason: 'verified' }, ports(), ctx());
    const again = await runStep(revokeAccessStep, raw, ports(), ctx()).catch((e: unknown) => e);
    expect(codeOf(again)).toBe('REVOCATION_RESTORED');
    expect(await keys()).toEqual({ [kit.activeKey]: 'Active', [kit.inactiveKey]: 'Inactive' });
  });
});

describe('revoke-access: IAM user, failure half-way', () => {
  it('names the change that failed, applies the others, and a re-run finishes with the state recorded first', async () => {
    // IAM is the query protocol (POST / with a form body): the proxy cannot match the operation, so
    // the fault counts requests to "/": STS GetCallerIdentity, the four reads, PutUserPolicy, then
    // UpdateAccessKey, which gets a non-retryable IAM error. The outcome check below fails loudly if
    // that order ever changes.
    moto.faults.add({
      method: 'POST',
      path: '/',
      skip: 6,
      times: 1,
      status: 409,
      headers: { 'content-type': 'text/xml' },
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>ConcurrentModification</Code><Message>drill: concurrent change</Message></Error><RequestId>f1</RequestId></ErrorResponse>',
    });
    const raw = { targets: `aws:iam-user:${kit.user}`, reason: 'leaked key' };
    const half = await runStep(revokeAccessStep, raw, ports(), ctx()).catch((e: unknown) => e);
    expect(half).toBeInstanceOf(PartialFailureError);
    const outcomes = ((half as PartialFailureError).result as { outcomes: Array<{ action: string; status: string; reason?: string }> }).outcomes;
    expect(outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['deny-all:applied', 'deactivate-key:failed', 'delete-login-profile:applied', 'none:already']);
    expect(outcomes[1]!.reason).toContain('ConcurrentModification');
    expect(await keys()).toEqual({ [kit.activeKey]: 'Active', [kit.inactiveKey]: 'Inactive' });
    expect(await hasLogin()).toBe(false);

    const healed = await runStep(revokeAccessStep, raw, ports(), ctx());
    expect(healed.result?.outcomes.filter((o) => o.status === 'applied').map((o) => o.action)).toEqual(['deactivate-key']);
    expect(await keys()).toEqual({ [kit.activeKey]: 'Inactive', [kit.inactiveKey]: 'Inactive' });
    // Restore knows the login profile existed although the re-run saw none.
    const restored = await runStep(restoreAccessStep, { targets: raw.targets, reason: 'verified' }, ports(), ctx());
    expect(restored.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['activate-key:applied', 'remove-deny-all:applied', 'recreate-login-profile:skipped', 'mark-restored:applied']);
  });
});

describe('revoke-access: IAM role', () => {
  it("denies sessions issued before the plan's time; the same revocation re-run is a no-op; restore detaches it", async () => {
    const raw = { targets: `aws:iam-role:${kit.role}`, reason: 'stolen task credentials' };
    const run = await runStep(revokeAccessStep, raw, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const doc = JSON.parse(decodeURIComponent((await iam().send(new GetRolePolicyCommand({ RoleName: kit.role, PolicyName: 'firebreak-revoke-sessions' }))).PolicyDocument!));
    expect(doc.Statement[0]).toMatchObject({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-12-01T10:00:00.000Z' } } });
    const again = await runStep(revokeAccessStep, raw, ports(), ctx({ clock: manualClock('2026-12-01T11:00:00Z') }));
    expect(again.result?.status).toBe('noop');
    // A new revocation moves the cut-off (sessions minted in between are cut too).
    const later = await runStep(revokeAccessStep, { ...raw, revocationId: 'second' }, ports(), ctx({ clock: manualClock('2026-12-01T12:00:00Z') }));
    expect(later.result?.status).toBe('ok');
    const doc2 = JSON.parse(decodeURIComponent((await iam().send(new GetRolePolicyCommand({ RoleName: kit.role, PolicyName: 'firebreak-revoke-sessions' }))).PolicyDocument!));
    expect(doc2.Statement[0].Condition.DateLessThan['aws:TokenIssueTime']).toBe('2026-12-01T12:00:00.000Z');
    // Restore merges both records: the state before the first one (no policy) is what comes back.
    const restored = await runStep(restoreAccessStep, { targets: raw.targets, reason: 'rotated the task role instead' }, ports(), ctx());
    expect(restored.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['restore-sessions-policy:applied', 'mark-restored:applied']);
    const gone = await iam()
      .send(new GetRolePolicyCommand({ RoleName: kit.role, PolicyName: 'firebreak-revoke-sessions' }))
      .catch((e: { name?: string }) => e.name);
    expect(gone).toMatch(/NoSuchEntity/);
  });
});

describe('revoke-access: Cognito user', () => {
  it('forces a password reset, signs out, disables; restore enables and says what it cannot undo', async () => {
    const target = `aws:cognito-user:${kit.pool}/${kit.cognitoUser}@${moto.region}`;
    expect(await cognito()).toEqual({ enabled: true, status: 'CONFIRMED' });
    const run = await runStep(revokeAccessStep, { targets: target, reason: 'account takeover' }, ports(), ctx());
    expect(run.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['force-password-reset:applied', 'global-sign-out:applied', 'disable:applied']);
    expect(await cognito()).toEqual({ enabled: false, status: 'RESET_REQUIRED' });
    const again = await runStep(revokeAccessStep, { targets: target, reason: 'account takeover' }, ports(), ctx({ runUrl: null, incidentId: 'INC-12' }));
    expect(again.result?.status).toBe('noop');

    const restored = await runStep(restoreAccessStep, { targets: target, reason: 'user verified by support' }, ports(), ctx());
    expect(restored.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['enable:applied', 'not-restorable:skipped', 'not-restorable:skipped', 'mark-restored:applied']);
    expect(await cognito()).toEqual({ enabled: true, status: 'RESET_REQUIRED' });
  });

  it('a failure half-way says what was and was not applied; the re-run finishes and keeps the state recorded first', async () => {
    const target = `aws:cognito-user:${kit.pool}/${kit.cognitoUser}@${moto.region}`;
    moto.faults.add({ target: 'AdminDisableUser', times: 2, ...awsJsonError('InternalErrorException', 'drill: cognito is down', 500) });
    const half = await runStep(revokeAccessStep, { targets: target, reason: 'account takeover' }, ports(), ctx()).catch((e: unknown) => e);
    expect(half).toBeInstanceOf(PartialFailureError);
    const outcomes = ((half as PartialFailureError).result as { outcomes: Array<{ action: string; status: string; reason?: string }> }).outcomes;
    expect(outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['force-password-reset:applied', 'global-sign-out:applied', 'disable:failed']);
    expect(outcomes[2]!.reason).toContain('Re-run the same revocation');
    expect((half as Error).message).toContain('1 change(s) failed, 2 applied');
    expect(await cognito()).toEqual({ enabled: true, status: 'RESET_REQUIRED' });

    const healed = await runStep(revokeAccessStep, { targets: target, reason: 'account takeover' }, ports(), ctx());
    expect(healed.result?.status).toBe('ok');
    expect(healed.result?.outcomes.filter((o) => o.status === 'applied').map((o) => o.action)).toEqual(['global-sign-out', 'disable']);
    expect(await cognito()).toEqual({ enabled: false, status: 'RESET_REQUIRED' });
    // The recorded state is the one before the first attempt: CONFIRMED, not RESET_REQUIRED.
    const restored = await runStep(restoreAccessStep, { targets: target, reason: 'verified' }, ports(), ctx());
    expect(restored.result?.outcomes.find((o) => o.subject === 'password')?.reason).toContain('it was CONFIRMED before');
  });
});

describe('revoke-access: GitHub organisation', () => {
  it('removes a member from the organisation (and so every team) and cancels pending invitations; restore invites back with role and teams', async () => {
    const run = await runStep(revokeAccessStep, { targets: 'github:user:eve github:user:trudy', reason: 'compromised laptop' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(org().member('eve')).toBeUndefined();
    expect([...org().teams.values()].some((t) => t.members.has('eve'))).toBe(false);
    expect(org().invitationFor('trudy')).toBeUndefined();
    const removal = run.plan?.changes.find((c) => c.target === 'github:user:eve');
    expect(removal).toMatchObject({ action: 'remove-from-org', detail: { prior: { role: 'member', teams: [{ team: 'payments', role: 'maintainer' }, { team: 'platform', role: 'member' }] } } });

    const restored = await runStep(restoreAccessStep, { targets: 'github:user:eve', reason: 'laptop reimaged' }, ports(), ctx());
    expect(restored.result?.outcomes.map((o) => `${o.action}:${o.subject}:${o.status}`)).toEqual([
      'invite-to-org:membership:applied',
      'add-to-team:team payments:applied',
      'add-to-team:team platform:applied',
      'mark-restored:ledger: 1 revocation record(s):applied',
    ]);
    expect(org().invitationFor('eve')?.role).toBe('direct_member');
    expect(org().teams.get('payments')!.members.get('eve')).toEqual({ login: 'eve', role: 'maintainer', state: 'pending' });
    org().accept('eve');
    expect(org().member('eve')?.role).toBe('member');
    expect(org().teams.get('platform')!.members.get('eve')?.state).toBe('active');
    gh.assertNoViolations();
  });

  it('remove-from-teams leaves the membership; convert-to-outside-collaborator keeps repository access only', async () => {
    const teams = await runStep(revokeAccessStep, { targets: 'github:user:eve', reason: 'least privilege', github: 'remove-from-teams', teams: 'payments docs' }, ports(), ctx());
    expect(teams.result?.outcomes.map((o) => `${o.action}:${o.subject}:${o.status}`)).toEqual(['remove-from-team:team payments:applied', 'none:team docs:already']);
    expect(org().member('eve')?.role).toBe('member');
    expect(org().teams.get('platform')!.members.has('eve')).toBe(true);
    const conv = await runStep(revokeAccessStep, { targets: 'github:user:bob', reason: 'contractor', github: 'convert-to-outside-collaborator' }, ports(), ctx());
    expect(conv.result?.status).toBe('ok');
    expect(org().member('bob')).toBeUndefined();
    expect(org().outsideCollaborators.has('bob')).toBe(true);
    // Already an outside collaborator: nothing to do.
    const again = await runStep(revokeAccessStep, { targets: 'github:user:bob', reason: 'contractor', github: 'convert-to-outside-collaborator', revocationId: 'other' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    gh.assertNoViolations();
  });
});

describe('revoke-access: refused before anything changes', () => {
  async function refused(raw: Record<string, unknown>, p = ports(), c = ctx()): Promise<string> {
    const before = { keys: await keys(), login: await hasLogin(), members: org().members.size, ledger: (await ledgerKeys()).length };
    const e = await runStep(revokeAccessStep, raw, p, c).catch((x: unknown) => x);
    expect({ keys: await keys(), login: await hasLogin(), members: org().members.size, ledger: (await ledgerKeys()).length }).toEqual(before);
    expect(records().at(-1)?.status).toBe('refused');
    return codeOf(e);
  }

  it('an unknown principal, even beside a known one', async () => {
    expect(await refused({ targets: `aws:iam-user:${kit.user} aws:iam-user:nobody`, reason: 'x y z' })).toBe('PRINCIPAL_NOT_FOUND');
    expect(await refused({ targets: `aws:cognito-user:${kit.pool}/nobody@example.com@${moto.region}`, reason: 'x y z' })).toBe('PRINCIPAL_NOT_FOUND');
    expect(await refused({ targets: 'aws:cognito-user:us-east-1_NoSuchPool/someone', reason: 'x y z' })).toBe('PRINCIPAL_NOT_FOUND');
    expect(await refused({ targets: 'github:user:stranger', reason: 'x y z' })).toBe('PRINCIPAL_NOT_FOUND');
    expect(await refused({ targets: 'aws:secret:prod/db', reason: 'x y z' })).toBe('TARGET_INVALID');
    expect(await refused({ targets: `aws:iam-user:${kit.user}@210987654321`, reason: 'x y z' })).toBe('TARGET_SCOPE_MISMATCH');
    expect(await refused({ targets: 'github:user:eve', reason: 'x y z', github: 'remove-from-teams', teams: 'payments paymnets' })).toBe('TEAM_NOT_FOUND');
    expect(org().teams.get('payments')!.members.has('eve')).toBe(true);
  });

  it("the responder's own identity: the AWS caller, the GitHub actor, the GitHub token's user", async () => {
    // Credentials of the IAM user itself: STS says the caller is that user.
    await iam().send(new CreateUserCommand({ UserName: 'oncall' }));
    const own = (await iam().send(new CreateAccessKeyCommand({ UserName: 'oncall' }))).AccessKey!;
    const asUser = ports('version: 1\n', { AWS_ACCESS_KEY_ID: own.AccessKeyId!, AWS_SECRET_ACCESS_KEY: own.SecretAccessKey! });
    const e = await runStep(revokeAccessStep, { targets: `aws:iam-user:${kit.user} aws:iam-user:oncall`, reason: 'x y z' }, asUser, ctx()).catch((x: unknown) => x);
    expect(codeOf(e)).toBe('REVOKE_SELF');
    expect(await keys('oncall')).toEqual({ [own.AccessKeyId!]: 'Active' });
    expect(await keys()).toEqual({ [kit.activeKey]: 'Active', [kit.inactiveKey]: 'Inactive' });
    expect(await refused({ targets: 'github:user:eve', reason: 'x y z' }, ports(), ctx({ actor: 'Eve' }))).toBe('REVOKE_SELF');
    org().tokenUser = 'bob';
    expect(await refused({ targets: 'github:user:BOB', reason: 'x y z' })).toBe('REVOKE_SELF');
  });

  it('the last organisation owner, alone or with the other owner in the same run', async () => {
    expect(await refused({ targets: 'github:user:octo-owner github:user:second-owner', reason: 'x y z' })).toBe('LAST_OWNER');
    org().removeMember('second-owner');
    expect(await refused({ targets: 'github:user:octo-owner', reason: 'x y z', github: 'convert-to-outside-collaborator' })).toBe('LAST_OWNER');
  });

  it('a protected principal from firebreak.yml (exact or prefix), whatever the other targets', async () => {
    const config = `version: 1\naccess:\n  protected:\n    - aws:iam-role:${kit.role.slice(0, 4)}*\n    - github:user:Eve\n`;
    expect(await refused({ targets: `aws:iam-user:${kit.user} aws:iam-role:${kit.role}`, reason: 'x y z' }, ports(config))).toBe('PROTECTED_PRINCIPAL');
    expect(await refused({ targets: 'github:user:eve', reason: 'x y z' }, ports(config))).toBe('PROTECTED_PRINCIPAL');
    // The kit's own roles, even with no config at all.
    expect(await refused({ targets: 'aws:iam-role:firebreak-responder-role-1a2b3c', reason: 'x y z' })).toBe('PROTECTED_PRINCIPAL');
  });

  it('without the access ledger nothing is revoked (a restore would not know what to put back)', async () => {
    const e = await runStep(revokeAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'x y z' }, ports('version: 1\n', { FIREBREAK_EVIDENCE_BUCKET: '' }), ctx()).catch((x: unknown) => x);
    expect(codeOf(e)).toBe('CONFIG_INVALID');
    expect(await keys()).toEqual({ [kit.activeKey]: 'Active', [kit.inactiveKey]: 'Inactive' });
  });

  it('when the ledger cannot record first, the principal is left as it was and the run says so', async () => {
    moto.faults.add({ method: 'PUT', path: new RegExp(`^/${kit.bucket}/`), status: 403, times: Infinity, body: '<Error><Code>AccessDenied</Code><Message>denied</Message></Error>' });
    const e = await runStep(revokeAccessStep, { targets: `aws:iam-user:${kit.user}`, reason: 'x y z' }, ports(), ctx()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PartialFailureError);
    const outcomes = ((e as PartialFailureError).result as { outcomes: Array<{ status: string; reason?: string }> }).outcomes;
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed', 'already']);
    expect(outcomes[0]!.reason).toContain('not applied: the access ledger');
    expect(await keys()).toEqual({ [kit.activeKey]: 'Active', [kit.inactiveKey]: 'Inactive' });
    expect(await hasLogin()).toBe(true);
  });
});
