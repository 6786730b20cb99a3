import { callerPrincipal, isProtected, type Principal } from '../../core/access/principal.js';
import { DENY_ALL_POLICY, REVOKE_SESSIONS_POLICY, type Snapshot } from '../../core/access/revocation.js';
import { ConfigError, GuardError, InputError } from '../../core/errors.js';
import type { AccessLedger, AccessPorts, CognitoUsersPort, GitHubOrgAccessPort, IamAccessPort } from '../../core/ports/access.js';
import type { StepContext } from '../../core/step.js';

/**
 * What revoke-access and restore-access share: reading a principal's state, and the refusals that
 * come before anything changes (the responder's own identity, protected principals, a target in
 * another account).
 */

export function needLedger(ports: AccessPorts): AccessLedger {
  if (!ports.ledger) {
    throw new ConfigError('revoke-access and restore-access keep what they change in the access ledger: set FIREBREAK_EVIDENCE_BUCKET (the kit writes it)', [], {
      hint: 'Without the ledger a revocation could not be restored exactly; nothing was changed.',
    });
  }
  return ports.ledger;
}

function needIam(ports: AccessPorts): IamAccessPort {
  if (!ports.iam) throw new ConfigError('no AWS credentials for IAM targets (configure the kit role or AWS_* variables)', []);
  return ports.iam;
}

function needCognito(ports: AccessPorts, region: string | undefined): CognitoUsersPort {
  if (!ports.cognito) throw new ConfigError('no AWS credentials for Cognito targets (configure the kit role or AWS_* variables)', []);
  return ports.cognito(region);
}

export function needGitHub(ports: AccessPorts): { gh: GitHubOrgAccessPort; org: string } {
  if (!ports.github) throw new ConfigError('no GitHub token for github:user targets: set FIREBREAK_GITHUB_TOKEN to a GitHub App token with organisation members: write', []);
  if (!ports.settings.githubOrg) throw new ConfigError('no organisation for github:user targets: set access.github_org in firebreak.yml (or run inside a repository of the organisation)', []);
  return { gh: ports.github, org: ports.settings.githubOrg };
}

/** A Cognito pool id starts with its region (`eu-west-1_AbCdEf`); the target's scope wins when given. */
export function cognitoParts(p: Principal): { pool: string; username: string; region: string | undefined } {
  const slash = p.target.id.indexOf('/');
  const pool = p.target.id.slice(0, slash);
  return { pool, username: p.target.id.slice(slash + 1), region: p.target.scope.region ?? /^([a-z]{2}(?:-[a-z]+)+-\d+)_/.exec(pool)?.[1] };
}

/**
 * The principal's current state; PRINCIPAL_NOT_FOUND when it does not exist. A GitHub user removed
 * from the organisation is expected when restoring (`inOrg: false`): there is no other trace of them.
 */
export async function readSnapshot(p: Principal, ports: AccessPorts, opts: { inOrg: boolean } = { inOrg: true }): Promise<Snapshot> {
  const notFound = (what: string) =>
    new InputError(`${p.label}: ${what}`, {
      field: 'targets',
      code: 'PRINCIPAL_NOT_FOUND',
      hint: 'Check the name and the @account/region scope (and that the credentials are for that account). Nothing was changed.',
    });
  switch (p.kind) {
    case 'iam-user': {
      const s = await needIam(ports).readUser(p.target.id, DENY_ALL_POLICY);
      if (!s) throw notFound('no such IAM user');
      return s;
    }
    case 'iam-role': {
      const s = await needIam(ports).readRole(p.target.id, REVOKE_SESSIONS_POLICY);
      if (!s) throw notFound('no such IAM role');
      return s;
    }
    case 'cognito-user': {
      const c = cognitoParts(p);
      const s = await needCognito(ports, c.region).readUser(c.pool, c.username);
      if (!s) throw notFound(`no such user in Cognito pool ${c.pool}`);
      return s;
    }
    case 'github-user': {
      const { gh, org } = needGitHub(ports);
      const s = await gh.readUser(org, p.target.id);
      if (opts.inOrg && !s.membership && !s.outsideCollaborator && s.invitations.length === 0 && s.teams.length === 0) {
        throw notFound(`not a member, outside collaborator or invitee of the organisation ${org}`);
      }
      return s;
    }
  }
}

/** Always protected, whatever firebreak.yml says: the kit's own roles (the responder role's policy denies changing them too). */
export const BUILT_IN_PROTECTED = ['aws:iam-role:firebreak-*'] as const;

const refuse = (code: string, message: string, hint: string) => new GuardError(message, { code, overridable: false, hint });

/**
 * Refuses, before any change, a principal that is the responder's own identity (the AWS caller,
 * the GitHub token's user, or the person who pressed the button) or listed in `access.protected`,
 * and an AWS target scoped to another account than the credentials'.
 */
export async function refuseSelfAndProtected(principals: readonly Principal[], ports: AccessPorts, ctx: StepContext): Promise<void> {
  for (const p of principals) {
    const builtIn = BUILT_IN_PROTECTED.find((e) => isProtected(e, p));
    if (builtIn) throw refuse('PROTECTED_PRINCIPAL', `${p.label} is one of the kit's own roles (${builtIn})`, "The kit's roles are changed by `pulumi up`, never by a step; the responder role's policy denies it too.");
    const entry = ports.settings.protected.find((e) => isProtected(e, p));
    if (entry) throw refuse('PROTECTED_PRINCIPAL', `${p.label} is protected (access.protected: ${entry})`, 'Protected principals are never revoked by firebreak; remove the entry from firebreak.yml through review if this one must be.');
  }
  const aws = principals.filter((p) => p.kind === 'iam-user' || p.kind === 'iam-role');
  if (aws.length > 0) {
    if (!ports.awsIdentity) throw new ConfigError('no AWS credentials to check who is revoking (STS GetCallerIdentity)', []);
    const me = await ports.awsIdentity.whoAmI();
    const caller = callerPrincipal(me.arn);
    for (const p of aws) {
      if (p.target.scope.account && p.target.scope.account !== me.account) {
        throw new InputError(`${p.label} is in account ${p.target.scope.account}, but the credentials are for account ${me.account}`, {
          field: 'targets',
          code: 'TARGET_SCOPE_MISMATCH',
          hint: 'Run with the kit role of that account, or fix the @account part of the target. Nothing was changed.',
        });
      }
      if (caller && caller.kind === p.kind && caller.name === p.target.id) {
        throw refuse('REVOKE_SELF', `${p.label} is the identity this run acts as (${me.arn}): revoking it would cut the responder off half-way`, 'Revoke it from another identity (another responder role or a break-glass user).');
      }
    }
  }
  const gh = principals.filter((p) => p.kind === 'github-user');
  if (gh.length > 0) {
    const { gh: port } = needGitHub(ports);
    const tokenUser = await port.tokenLogin();
    for (const p of gh) {
      const login = p.target.id.toLowerCase();
      if (login === ctx.actor.toLowerCase() || (tokenUser !== undefined && login === tokenUser.toLowerCase())) {
        throw refuse('REVOKE_SELF', `${p.label} is the responder's own GitHub identity (${login === ctx.actor.toLowerCase() ? 'the actor of this run' : "the token's user"})`, 'Another owner revokes this account.');
      }
    }
  }
}
