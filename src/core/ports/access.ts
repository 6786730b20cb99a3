import type { AccessRecord, CognitoUserSnapshot, GitHubUserSnapshot, IamRoleSnapshot, IamUserSnapshot, OrgRole, RestoreMark, TeamRole } from '../access/revocation.js';
import type { AwsIdentityPort } from './aws-identity.js';

/**
 * What revoke-access and restore-access need from each provider. Reads return undefined for a
 * principal that does not exist (the step turns that into PRINCIPAL_NOT_FOUND before anything
 * changes); writes are idempotent where the provider allows it, and throw ProviderError otherwise.
 */

export interface IamAccessPort {
  readUser(name: string, denyPolicy: string): Promise<IamUserSnapshot | undefined>;
  readRole(name: string, sessionsPolicy: string): Promise<IamRoleSnapshot | undefined>;
  putUserPolicy(user: string, policy: string, document: string): Promise<void>;
  deleteUserPolicy(user: string, policy: string): Promise<void>;
  setAccessKeyStatus(user: string, keyId: string, status: 'Active' | 'Inactive'): Promise<void>;
  deleteLoginProfile(user: string): Promise<void>;
  putRolePolicy(role: string, policy: string, document: string): Promise<void>;
  deleteRolePolicy(role: string, policy: string): Promise<void>;
}

export interface CognitoUsersPort {
  /** Throws InputError when the pool does not exist; undefined when the user does not. */
  readUser(pool: string, username: string): Promise<CognitoUserSnapshot | undefined>;
  disable(pool: string, username: string): Promise<void>;
  enable(pool: string, username: string): Promise<void>;
  globalSignOut(pool: string, username: string): Promise<void>;
  resetPassword(pool: string, username: string): Promise<void>;
}

export interface GitHubOrgAccessPort {
  /** The token's own user, or undefined for an App installation token (it has no user). */
  tokenLogin(): Promise<string | undefined>;
  readUser(org: string, login: string): Promise<GitHubUserSnapshot>;
  /** Logins with the owner role. */
  owners(org: string): Promise<string[]>;
  removeMember(org: string, login: string): Promise<void>;
  convertToOutsideCollaborator(org: string, login: string): Promise<void>;
  removeFromTeam(org: string, team: string, login: string): Promise<void>;
  addToTeam(org: string, team: string, login: string, role: TeamRole): Promise<void>;
  /** Invites a non-member (or changes a member's role). */
  setMembership(org: string, login: string, role: Exclude<OrgRole, 'billing_manager'>): Promise<void>;
  cancelInvitation(org: string, id: number): Promise<void>;
}

/**
 * Where revocations are kept so that they can be restored: one record per principal and revocation
 * (written before anything changes, updated after), and a restore mark per record restored.
 */
export interface AccessLedger {
  /** Human-readable location, for messages. */
  readonly location: string;
  /** This revocation's record, and whether it was restored since. */
  get(principal: string, id: string): Promise<{ record: AccessRecord; restored: boolean } | undefined>;
  put(record: AccessRecord): Promise<void>;
  /** Records of the principal without a restore mark, oldest first. */
  open(principal: string): Promise<AccessRecord[]>;
  markRestored(principal: string, mark: RestoreMark): Promise<void>;
  /** Restore marks of the principal, oldest first: a restore re-run says it is done instead of failing. */
  restored(principal: string): Promise<RestoreMark[]>;
}

export interface AccessPorts {
  /** Per AWS account/region scope; undefined when no AWS credentials are configured. */
  iam?: IamAccessPort | undefined;
  cognito?: ((region: string | undefined) => CognitoUsersPort) | undefined;
  awsIdentity?: AwsIdentityPort | undefined;
  github?: GitHubOrgAccessPort | undefined;
  ledger?: AccessLedger | undefined;
  settings: AccessSettings;
}

export interface AccessSettings {
  /** firebreak.yml `access.protected`: principals no run may revoke. */
  protected: readonly string[];
  /** The organisation of `github:user:` targets: `access.github_org`, else the repository owner. */
  githubOrg: string | undefined;
}
