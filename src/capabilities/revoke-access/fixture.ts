import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateRoleCommand, CreateUserCommand, IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { GitHubEmulator } from '../../drill/emulators/github/server.js';

/**
 * What revoke-access acts on, made in moto and the GitHub emulator for tests and the drill: an IAM
 * user with one active and one inactive access key and a console login, an application role, a
 * Cognito pool with a confirmed user, and an organisation with two owners, a member in two teams
 * and an invitee. Built through moto's direct endpoint (no faults, not recorded).
 */
export interface AccessKit {
  bucket: string;
  user: string;
  activeKey: string;
  inactiveKey: string;
  /** The active key's secret: a credential that must never appear anywhere firebreak writes. */
  activeSecret: string;
  role: string;
  pool: string;
  cognitoUser: string;
  /** `env` for buildAccessPorts: the evidence bucket, GitHub token and repository. */
  env: Record<string, string>;
}

const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const CONSOLE_PASSWORD = 'Console-Passw0rd!-never-recorded';

export async function provisionAccessKit(aws: { region: string; directEndpoint: string }, gh: GitHubEmulator | undefined, suffix = 'a', existingBucket?: string): Promise<AccessKit> {
  const iam = new IAMClient({ region: 'us-east-1', endpoint: aws.directEndpoint, credentials: CREDS });
  const s3 = new S3Client({ region: aws.region, endpoint: aws.directEndpoint, credentials: CREDS, forcePathStyle: true });
  const idp = new CognitoIdentityProviderClient({ region: aws.region, endpoint: aws.directEndpoint, credentials: CREDS });
  const bucket = existingBucket ?? `fb-evidence-${suffix}`;
  if (!existingBucket) await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(aws.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: aws.region as never } }) }));
  const user = `mallory-${suffix}`;
  await iam.send(new CreateUserCommand({ UserName: user }));
  const k1 = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
  const k2 = (await iam.send(new CreateAccessKeyCommand({ UserName: user }))).AccessKey!;
  await iam.send(new UpdateAccessKeyCommand({ UserName: user, AccessKeyId: k2.AccessKeyId!, Status: 'Inactive' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: user, Password: CONSOLE_PASSWORD, PasswordResetRequired: false }));
  const role = `app-role-${suffix}`;
  await iam.send(
    new CreateRoleCommand({
      RoleName: role,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  const pool = (await idp.send(new CreateUserPoolCommand({ PoolName: `shop-${suffix}` }))).UserPool!.Id!;
  const cognitoUser = `alice-${suffix}@example.com`;
  await idp.send(new AdminCreateUserCommand({ UserPoolId: pool, Username: cognitoUser, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: cognitoUser }, { Name: 'email_verified', Value: 'true' }] }));
  await idp.send(new AdminSetUserPasswordCommand({ UserPoolId: pool, Username: cognitoUser, Password: 'Alice-Passw0rd!x', Permanent: true }));
  iam.destroy();
  s3.destroy();
  idp.destroy();
  if (gh) {
    const org = gh.state.org;
    org.addMember('octo-owner', 'admin');
    org.addMember('second-owner', 'admin');
    org.addMember('eve', 'member');
    org.addMember('bob', 'member');
    org.addTeam('payments', [{ login: 'eve', role: 'maintainer' }, { login: 'bob' }]);
    org.addTeam('platform', [{ login: 'eve' }]);
    org.addTeam('docs', []);
    org.invite('trudy', 'direct_member', gh.state.now());
    org.tokenUser = undefined;
  }
  return {
    bucket,
    user,
    activeKey: k1.AccessKeyId!,
    inactiveKey: k2.AccessKeyId!,
    activeSecret: k1.SecretAccessKey!,
    role,
    pool,
    cognitoUser,
    env: { FIREBREAK_EVIDENCE_BUCKET: bucket, ...(gh ? gh.env() : {}) },
  };
}
