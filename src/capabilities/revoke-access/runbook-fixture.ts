import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, GetUserCommand, IAMClient, ListAccessKeysCommand, ListRolePoliciesCommand, ListUserPoliciesCommand } from '@aws-sdk/client-iam';
import { randomBytes } from 'node:crypto';
import { parseTarget, type TargetRef } from '../../core/target.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { auditHoldsNone, beforeStep, refusedWhole } from '../../drill/runbook/kit-leaks.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';

/**
 * revoke-access (and restore-access, which shares the provisioning) in a runbook drill. prepare
 * makes every principal the targets name exist and have access: a Cognito user (moto mints pool
 * ids, so the runbook's pool id is aliased to the real one), a GitHub organisation member in a team
 * (with another owner, so the organisation is never left without one), an IAM user with an active
 * key, an IAM role. verify reads them back: the Cognito user disabled with a forced reset, the
 * GitHub user out of the organisation and its teams, the IAM user's keys inactive behind a deny-all
 * policy, the role's sessions denied; and no credential in the audit chain. A refused step changed
 * nothing.
 */

export interface PrincipalState {
  /** Cognito: Enabled and UserStatus; GitHub: role and teams; IAM: key statuses and inline policies. */
  facts: Record<string, unknown>;
}

const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
/** What each principal looked like right before the current step. */
const beforeThisStep = beforeStep<PrincipalState>();
/** What each principal looked like the first time a step named it: what restore-access must give back. */
export const beforeRevocation = beforeStep<PrincipalState>();
/** Credentials a fixture planted (an IAM secret key): never allowed in the audit chain. */
const planted = beforeStep<string[]>();

export function principalsOf(text: unknown): TargetRef[] {
  const out: TargetRef[] = [];
  for (const item of String(text ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      out.push(parseTarget(item));
    } catch {
      // The step refuses a bad target itself.
    }
  }
  return out;
}

const label = (t: TargetRef) => `${t.provider}:${t.kind}:${t.id}${t.scope.region ? `@${t.scope.region}` : ''}`;

function cognitoClient(region: string | undefined, endpoint: string, fallback: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: region ?? fallback, endpoint, credentials: CREDS });
}

/** Reads a principal back from the emulators (through moto's direct endpoint / the GitHub emulator's state). */
export async function readPrincipal(world: RunbookWorld, t: TargetRef): Promise<PrincipalState | undefined> {
  const kind = `${t.provider}:${t.kind}`;
  if (kind === 'aws:cognito-user') {
    const { moto } = await ensureAwsKit(world);
    const idp = cognitoClient(t.scope.region, moto.directEndpoint, moto.region);
    const [pool, ...rest] = t.id.split('/');
    try {
      const u = await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: rest.join('/') }));
      return { facts: { enabled: u.Enabled !== false, status: u.UserStatus } };
    } catch {
      return undefined;
    } finally {
      idp.destroy();
    }
  }
  if (kind === 'github:user') {
    const org = (await world.github()).state.org;
    const teams = [...org.teams.values()].filter((tm) => tm.members.has(t.id.toLowerCase())).map((tm) => `${tm.slug}:${tm.members.get(t.id.toLowerCase())!.role}`);
    const invitation = org.invitationFor(t.id);
    return { facts: { role: org.member(t.id)?.role ?? (org.outsideCollaborators.has(t.id.toLowerCase()) ? 'outside-collaborator' : 'none'), teams, invitation: invitation?.role ?? 'none' } };
  }
  if (kind === 'aws:iam-user' || kind === 'aws:iam-role') {
    const { moto } = await ensureAwsKit(world);
    const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.directEndpoint, credentials: CREDS });
    try {
      if (kind === 'aws:iam-user') {
        const keys = (await iam.send(new ListAccessKeysCommand({ UserName: t.id }))).AccessKeyMetadata ?? [];
        const policies = (await iam.send(new ListUserPoliciesCommand({ UserName: t.id }))).PolicyNames ?? [];
        return { facts: { keys: Object.fromEntries(keys.map((k) => [k.AccessKeyId, k.Status])), policies } };
      }
      return { facts: { policies: (await iam.send(new ListRolePoliciesCommand({ RoleName: t.id }))).PolicyNames ?? [] } };
    } catch {
      return undefined;
    } finally {
      iam.destroy();
    }
  }
  return undefined;
}

/** Makes every named principal exist, with access, idempotently; aliases a Cognito pool id moto cannot take. */
export async function preparePrincipals(world: RunbookWorld, input: Readonly<Record<string, unknown>>): Promise<void> {
  // Whatever the principals: what each change replaced is kept in the access ledger, in the evidence bucket.
  await ensureAwsKit(world);
  for (const t of principalsOf(input.targets)) {
    const kind = `${t.provider}:${t.kind}`;
    if (kind === 'aws:cognito-user') {
      const { moto } = await ensureAwsKit(world);
      const [written, ...rest] = t.id.split('/');
      const username = rest.join('/');
      const idp = cognitoClient(t.scope.region, moto.directEndpoint, moto.region);
      try {
        const exists = await idp.send(new DescribeUserPoolCommand({ UserPoolId: written })).then(
          () => true,
          () => false,
        );
        const pool = exists
          ? written!
          : await world.once(`cognito-pool:${t.scope.region ?? ''}:${written}`, async () => {
              const real = (await idp.send(new CreateUserPoolCommand({ PoolName: `drill-${written}` }))).UserPool!.Id!;
              world.alias(written!, real);
              return real;
            });
        await world.once(`cognito-user:${pool}/${username}`, async () => {
          const has = await idp.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username })).then(
            () => true,
            () => false,
          );
          if (has) return;
          // A verified address: Cognito forces a password reset only on a user it can reach.
          const email = username.includes('@') ? username : `${username}@example.com`;
          await idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }));
          await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: username, Password: `Drill-${randomBytes(9).toString('base64url')}!1a`, Permanent: true }));
        });
      } finally {
        idp.destroy();
      }
    } else if (kind === 'github:user') {
      const gh = await world.github();
      const org = gh.state.org;
      await world.once(`github-user:${t.id.toLowerCase()}`, async () => {
        if (org.admins().length === 0) org.addMember('drill-org-owner', 'admin');
        if (!org.member(t.id) && !org.invitationFor(t.id) && !org.outsideCollaborators.has(t.id.toLowerCase())) {
          org.addMember(t.id, 'member');
          const team = org.teams.get('engineering') ?? org.addTeam('engineering', []);
          team.members.set(t.id.toLowerCase(), { login: t.id, role: 'member', state: 'active' });
        }
      });
    } else if (kind === 'aws:iam-user') {
      const { moto } = await ensureAwsKit(world);
      await world.once(`iam-user:${t.id}`, async () => {
        const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.directEndpoint, credentials: CREDS });
        try {
          const has = await iam.send(new GetUserCommand({ UserName: t.id })).then(
            () => true,
            () => false,
          );
          if (has) return;
          await iam.send(new CreateUserCommand({ UserName: t.id }));
          const key = (await iam.send(new CreateAccessKeyCommand({ UserName: t.id }))).AccessKey!;
          planted.set(world, `iam:${t.id}`, [key.SecretAccessKey!]);
        } finally {
          iam.destroy();
        }
      });
    } else if (kind === 'aws:iam-role') {
      const { moto } = await ensureAwsKit(world);
      await world.once(`iam-role:${t.id}`, async () => {
        const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.directEndpoint, credentials: CREDS });
        try {
          const has = await iam.send(new GetRoleCommand({ RoleName: t.id })).then(
            () => true,
            () => false,
          );
          if (!has) {
            const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
            await iam.send(new CreateRoleCommand({ RoleName: t.id, AssumeRolePolicyDocument: JSON.stringify(trust) }));
          }
        } finally {
          iam.destroy();
        }
      });
    } else {
      throw new Error(`the access runbook fixture cannot provision ${kind} principals yet`);
    }
  }
  // Snapshots under the names the step runs with (after the pool alias).
  for (const t of principalsOf(world.rewrite(String(input.targets ?? '')))) {
    const state = await readPrincipal(world, t);
    if (!state) continue;
    beforeThisStep.set(world, label(t), state);
    if (!beforeRevocation.get(world, label(t))) beforeRevocation.set(world, label(t), state);
  }
}

export function stateBeforeStep(world: RunbookWorld, t: TargetRef): PrincipalState | undefined {
  return beforeThisStep.get(world, label(t));
}

export function principalLabel(t: TargetRef): string {
  return label(t);
}

export function plantedCredentials(world: RunbookWorld, targets: TargetRef[]): string[] {
  return targets.flatMap((t) => planted.get(world, `iam:${t.id}`) ?? []);
}

export const revokeAccessFixture: RunbookFixture = {
  prepare: preparePrincipals,

  async verify(world, outcome) {
    const targets = principalsOf(outcome.input.targets);
    const out: Expectation[] = [check('revoke-access: the targets name principals', targets.length > 0 || outcome.code !== undefined, String(outcome.input.targets))];
    const githubMode = typeof outcome.input.github === 'string' ? outcome.input.github : 'remove-from-org';
    const teamsAsked = String(outcome.input.teams ?? '').split(/[\s,]+/).filter(Boolean);
    for (const t of targets) {
      const name = label(t);
      const before = stateBeforeStep(world, t);
      const now = await readPrincipal(world, t);
      if (refusedWhole(outcome)) {
        out.push(checkEqual(`refused: ${name} unchanged`, now?.facts, before?.facts));
        continue;
      }
      const f = now?.facts ?? {};
      switch (`${t.provider}:${t.kind}`) {
        case 'aws:cognito-user':
          out.push(checkEqual(`${name}: disabled, password reset forced`, [f.enabled, f.status], [false, 'RESET_REQUIRED']));
          break;
        case 'github:user': {
          const teams = (f.teams as string[] | undefined) ?? [];
          if (githubMode === 'remove-from-teams') {
            out.push(check(`${name}: out of ${teamsAsked.join(', ')}`, teamsAsked.length > 0 && teams.every((x) => !teamsAsked.includes(x.split(':')[0]!)), `teams: ${teams.join(', ')}`));
          } else if (githubMode === 'convert-to-outside-collaborator') {
            out.push(checkEqual(`${name}: an outside collaborator, in no team`, [f.role, teams], ['outside-collaborator', []]));
          } else {
            out.push(checkEqual(`${name}: out of the organisation and every team, no invitation left`, [f.role, teams, f.invitation], ['none', [], 'none']));
          }
          break;
        }
        case 'aws:iam-user': {
          const keys = Object.values((f.keys as Record<string, string> | undefined) ?? {});
          out.push(check(`${name}: every access key inactive`, keys.length > 0 && keys.every((s) => s === 'Inactive'), JSON.stringify(f.keys)));
          out.push(check(`${name}: a deny-all policy attached`, ((f.policies as string[] | undefined) ?? []).length > ((before?.facts.policies as string[] | undefined) ?? []).length, JSON.stringify(f.policies)));
          break;
        }
        case 'aws:iam-role':
          out.push(check(`${name}: sessions issued before now denied (inline policy added)`, ((f.policies as string[] | undefined) ?? []).length > ((before?.facts.policies as string[] | undefined) ?? []).length, JSON.stringify(f.policies)));
          break;
        default:
          out.push(check(`${name}: a runbook fixture verifies this kind`, false));
      }
    }
    const gh = await world.github();
    out.push(await auditHoldsNone(world, 'no credential in the audit chain', [gh.token, ...plantedCredentials(world, targets)]));
    return out;
  },
};
