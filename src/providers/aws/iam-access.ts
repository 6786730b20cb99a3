import {
  DeleteLoginProfileCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetLoginProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { IamRoleSnapshot, IamUserSnapshot } from '../../core/access/revocation.js';
import { InputError } from '../../core/errors.js';
import type { IamAccessPort } from '../../core/ports/access.js';
import { awsCall, type AwsCallOptions, type AwsErrorShape } from './aws-call.js';

/**
 * IAM users and roles as revoke-access sees them, over the AWS SDK v3. IAM is global: one client
 * serves every region. Policy documents come back URL-encoded from IAM; they are decoded here.
 * Nothing read here is secret (key ids are identifiers, not the secret key).
 */
export class IamAccess implements IamAccessPort {
  constructor(
    private readonly client: IAMClient,
    private readonly opts: AwsCallOptions,
  ) {}

  async readUser(name: string, denyPolicy: string): Promise<IamUserSnapshot | undefined> {
    const user = await this.optional(`user ${name}`, 'GetUser', () => this.client.send(new GetUserCommand({ UserName: name })));
    if (!user) return undefined;
    const keys: IamUserSnapshot['keys'] = [];
    let marker: string | undefined;
    do {
      const page = await this.call(`user ${name}`, 'ListAccessKeys', () => this.client.send(new ListAccessKeysCommand({ UserName: name, ...(marker ? { Marker: marker } : {}) })));
      for (const k of page.AccessKeyMetadata ?? []) if (k.AccessKeyId) keys.push({ id: k.AccessKeyId, status: k.Status === 'Active' ? 'Active' : 'Inactive' });
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    const profile = await this.optional(`user ${name}`, 'GetLoginProfile', () => this.client.send(new GetLoginProfileCommand({ UserName: name })));
    const policy = await this.optional(`user ${name}`, 'GetUserPolicy', () => this.client.send(new GetUserPolicyCommand({ UserName: name, PolicyName: denyPolicy })));
    return {
      kind: 'iam-user',
      arn: user.User?.Arn ?? '',
      keys,
      loginProfile: profile ? { passwordResetRequired: profile.LoginProfile?.PasswordResetRequired === true } : undefined,
      denyAll: policy?.PolicyDocument === undefined ? undefined : decodeDocument(policy.PolicyDocument),
    };
  }

  async readRole(name: string, sessionsPolicy: string): Promise<IamRoleSnapshot | undefined> {
    const role = await this.optional(`role ${name}`, 'GetRole', () => this.client.send(new GetRoleCommand({ RoleName: name })));
    if (!role) return undefined;
    const policy = await this.optional(`role ${name}`, 'GetRolePolicy', () => this.client.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: sessionsPolicy })));
    return { kind: 'iam-role', arn: role.Role?.Arn ?? '', sessionsPolicy: policy?.PolicyDocument === undefined ? undefined : decodeDocument(policy.PolicyDocument) };
  }

  async putUserPolicy(user: string, policy: string, document: string): Promise<void> {
    await this.call(`user ${user}`, 'PutUserPolicy', () => this.client.send(new PutUserPolicyCommand({ UserName: user, PolicyName: policy, PolicyDocument: document })));
  }

  async deleteUserPolicy(user: string, policy: string): Promise<void> {
    await this.gone(`user ${user}`, 'DeleteUserPolicy', () => this.client.send(new DeleteUserPolicyCommand({ UserName: user, PolicyName: policy })));
  }

  async setAccessKeyStatus(user: string, keyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    await this.call(`user ${user}`, 'UpdateAccessKey', () => this.client.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: keyId, Status: status })));
  }

  async deleteLoginProfile(user: string): Promise<void> {
    await this.gone(`user ${user}`, 'DeleteLoginProfile', () => this.client.send(new DeleteLoginProfileCommand({ UserName: user })));
  }

  async putRolePolicy(role: string, policy: string, document: string): Promise<void> {
    await this.call(`role ${role}`, 'PutRolePolicy', () => this.client.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: policy, PolicyDocument: document })));
  }

  async deleteRolePolicy(role: string, policy: string): Promise<void> {
    await this.gone(`role ${role}`, 'DeleteRolePolicy', () => this.client.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: policy })));
  }

  private call<T>(subject: string, operation: string, fn: () => Promise<T>, translate?: (s: AwsErrorShape) => Error | undefined): Promise<T> {
    return awsCall('iam', operation, subject, this.opts, fn, translate);
  }

  /** A read whose NoSuchEntity means "there is none". */
  private async optional<T>(subject: string, operation: string, fn: () => Promise<T>): Promise<T | undefined> {
    const NONE = Symbol('none');
    const out = await this.call<T | typeof NONE>(subject, operation, fn, (s) => (s.name === 'NoSuchEntity' || s.name === 'NoSuchEntityException' ? (new NotThere() as Error) : undefined)).catch(
      (e: unknown) => {
        if (e instanceof NotThere) return NONE;
        throw e;
      },
    );
    return out === NONE ? undefined : (out as T);
  }

  /** A delete whose NoSuchEntity means it is already done (a re-run, or a racing responder). */
  private async gone(subject: string, operation: string, fn: () => Promise<unknown>): Promise<void> {
    await this.optional(subject, operation, fn);
  }
}

class NotThere extends Error {}

function decodeDocument(doc: string): string {
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
}

export function unknownPrincipal(label: string, what: string): InputError {
  return new InputError(`${label}: ${what} does not exist`, {
    field: 'targets',
    code: 'PRINCIPAL_NOT_FOUND',
    hint: 'Check the name and the @account/region scope (and that the credentials are for that account). Nothing was changed.',
  });
}
