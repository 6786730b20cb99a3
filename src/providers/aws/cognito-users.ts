import {
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoUserSnapshot } from '../../core/access/revocation.js';
import { InputError } from '../../core/errors.js';
import type { CognitoUsersPort } from '../../core/ports/access.js';
import { awsCall, type AwsCallOptions, type AwsErrorShape } from './aws-call.js';

/**
 * Amazon Cognito user pool users through the Admin* API (AWS credentials, no user tokens). The
 * attributes AdminGetUser returns (email, phone) are personal data: only Enabled and UserStatus
 * leave this adapter.
 */
export class CognitoUsers implements CognitoUsersPort {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly opts: AwsCallOptions,
  ) {}

  async readUser(pool: string, username: string): Promise<CognitoUserSnapshot | undefined> {
    try {
      const out = await this.call(pool, username, 'AdminGetUser', () => this.client.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username })));
      return { kind: 'cognito-user', enabled: out.Enabled !== false, status: out.UserStatus ?? 'UNKNOWN' };
    } catch (e) {
      if (e instanceof NoUser) return undefined;
      throw e;
    }
  }

  async disable(pool: string, username: string): Promise<void> {
    await this.call(pool, username, 'AdminDisableUser', () => this.client.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: username })));
  }

  async enable(pool: string, username: string): Promise<void> {
    await this.call(pool, username, 'AdminEnableUser', () => this.client.send(new AdminEnableUserCommand({ UserPoolId: pool, Username: username })));
  }

  async globalSignOut(pool: string, username: string): Promise<void> {
    await this.call(pool, username, 'AdminUserGlobalSignOut', () => this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool, Username: username })));
  }

  async resetPassword(pool: string, username: string): Promise<void> {
    await this.call(pool, username, 'AdminResetUserPassword', () => this.client.send(new AdminResetUserPasswordCommand({ UserPoolId: pool, Username: username })));
  }

  private call<T>(pool: string, username: string, operation: string, fn: () => Promise<T>): Promise<T> {
    return awsCall('cognito-idp', operation, `user ${username} in pool ${pool}`, this.opts, fn, (s: AwsErrorShape) => {
      if (s.name === 'UserNotFoundException') return new NoUser(`user ${username} does not exist in pool ${pool}`);
      if (s.name === 'ResourceNotFoundException') {
        return new InputError(`Cognito user pool ${pool} does not exist in this account and region`, {
          field: 'targets',
          code: 'PRINCIPAL_NOT_FOUND',
          hint: 'A Cognito target is aws:cognito-user:<pool-id>/<username>[@region]; the pool id starts with its region. Nothing was changed.',
        });
      }
      return undefined;
    });
  }
}

class NoUser extends Error {}
