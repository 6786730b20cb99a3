import type { ResourceValidationArgs, ResourceValidationPolicy } from '@pulumi/policy';
import { describe, expect, it } from 'vitest';
import { logGroupRetention } from './aws-cloudwatch-log-group-retention.js';
import { githubDispatchOnly } from './aws-events-github-dispatch-only.js';
import { guardDutySeverity } from './aws-events-guardduty-severity.js';
import { noWildcardWrites } from './aws-iam-no-wildcard-writes.js';
import { oidcTrustPinned } from './aws-iam-oidc-trust-pinned.js';
import { objectLock } from './aws-s3-bucket-object-lock.js';
import { noPublicBucket } from './aws-s3-bucket-no-public-access.js';

/** Runs one policy on a fake resource and returns the violations it reports. */
async function violations(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  config: Record<string, unknown> = {},
): Promise<string[]> {
  const found: string[] = [];
  const args = {
    type,
    props,
    urn: `urn:pulumi:test::firebreak::${type}::res`,
    name: 'res',
    opts: {},
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: () => config,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  } as unknown as ResourceValidationArgs;
  const validators = [policy.validateResource].flat();
  for (const validate of validators) await validate?.(args, (message) => found.push(message));
  return found;
}

const clone = <T>(v: T): T => structuredClone(v);

describe('aws-cloudwatch-log-group-retention', () => {
  const type = 'aws:cloudwatch/logGroup:LogGroup';
  it('passes a group kept long enough, or forever', async () => {
    expect(await violations(logGroupRetention, type, { name: '/a', retentionInDays: 400 }, { minRetentionDays: 365 })).toEqual([]);
    expect(await violations(logGroupRetention, type, { name: '/a' })).toEqual([]);
    expect(await violations(logGroupRetention, type, { name: '/a', retentionInDays: 0 })).toEqual([]);
  });
  it('fails a group kept too short, naming the group and the minimum', async () => {
    expect(await violations(logGroupRetention, type, { name: '/aws/ecs/api', retentionInDays: 30 }, { minRetentionDays: 90 })).toEqual([
      'log group "/aws/ecs/api" keeps logs 30 days; at least 90 are required',
    ]);
    expect(await violations(logGroupRetention, type, { name: '/a', retentionInDays: 180 })).toEqual([
      'log group "/a" keeps logs 180 days; at least 365 are required',
    ]);
  });
  it('ignores other resources', async () => {
    expect(await violations(logGroupRetention, 'aws:s3/bucket:Bucket', { retentionInDays: 1 })).toEqual([]);
  });
});

describe('aws-s3-bucket-object-lock', () => {
  const bucket = { objectLockEnabled: true, tags: { 'firebreak:role': 'evidence' } };
  const lockType = 'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration';
  const lock = { objectLockEnabled: 'Enabled', rule: { defaultRetention: { mode: 'COMPLIANCE', days: 365 } } };
  it('passes a locked evidence bucket and a COMPLIANCE default retention', async () => {
    expect(await violations(objectLock, 'aws:s3/bucket:Bucket', bucket)).toEqual([]);
    expect(await violations(objectLock, lockType, lock)).toEqual([]);
    expect(await violations(objectLock, 'aws:s3/bucket:Bucket', { tags: {} })).toEqual([]);
  });
  it('fails an evidence bucket without object lock', async () => {
    expect(await violations(objectLock, 'aws:s3/bucket:Bucket', { ...bucket, objectLockEnabled: false })).toEqual([
      'evidence bucket "res" must set objectLockEnabled: true (it can only be turned on at creation)',
    ]);
  });
  it('fails GOVERNANCE mode, a missing retention, a zero retention and a disabled lock', async () => {
    const governance = clone(lock);
    governance.rule.defaultRetention.mode = 'GOVERNANCE';
    expect(await violations(objectLock, lockType, governance)).toEqual([
      'object lock configuration "res" uses mode GOVERNANCE; COMPLIANCE is required (GOVERNANCE can be bypassed)',
    ]);
    expect(await violations(objectLock, lockType, { objectLockEnabled: 'Enabled' })).toEqual([
      'object lock configuration "res" has no default retention: objects would not be locked',
    ]);
    const zero = clone(lock);
    zero.rule.defaultRetention.days = 0;
    expect(await violations(objectLock, lockType, zero)).toEqual(['object lock configuration "res" needs a default retention of at least one day']);
    expect(await violations(objectLock, lockType, { ...lock, objectLockEnabled: 'Disabled' })).toEqual([
      'object lock configuration "res" must have objectLockEnabled: Enabled, got Disabled',
    ]);
  });
});

describe('aws-s3-bucket-no-public-access', () => {
  const pabType = 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock';
  const pab = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
  const policyType = 'aws:s3/bucketPolicy:BucketPolicy';
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { Sid: 'Trail', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' },
    ],
  };
  it('passes a fully blocked bucket, a private ACL and a policy that only denies everyone', async () => {
    expect(await violations(noPublicBucket, pabType, pab)).toEqual([]);
    expect(await violations(noPublicBucket, 'aws:s3/bucket:Bucket', { acl: 'private' })).toEqual([]);
    expect(await violations(noPublicBucket, policyType, { policy: JSON.stringify(policy) })).toEqual([]);
  });
  for (const flag of Object.keys(pab)) {
    it(`fails when ${flag} is off`, async () => {
      expect(await violations(noPublicBucket, pabType, { ...pab, [flag]: false })).toEqual([`public access block "res" must set ${flag}: true`]);
    });
  }
  it('fails a public ACL and a policy granting everyone', async () => {
    expect(await violations(noPublicBucket, 'aws:s3/bucket:Bucket', { acl: 'public-read' })).toEqual(['bucket "res" has the public ACL "public-read"']);
    const open = clone(policy);
    open.Statement.push({ Sid: 'Open', Effect: 'Allow', Principal: { AWS: '*' } as never, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    expect(await violations(noPublicBucket, policyType, { policy: JSON.stringify(open) })).toEqual([
      'bucket policy "res" statement "Open" allows everyone (Principal "*") without a condition',
    ]);
  });
});

describe('aws-iam-no-wildcard-writes', () => {
  const type = 'aws:iam/rolePolicy:RolePolicy';
  const good = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Write', Effect: 'Allow', Action: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'], Resource: ['arn:aws:wafv2:eu-west-1:1:regional/ipset/a/1'] },
      { Sid: 'Reads', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'logs:DescribeExportTasks'], Resource: '*' },
      { Sid: 'Deny', Effect: 'Deny', Action: '*', Resource: '*' },
    ],
  };
  const withStatement = (s: Record<string, unknown>) => ({ name: 'firebreak-x', policy: JSON.stringify({ ...good, Statement: [...good.Statement, s] }) });
  it('passes scoped writes and reads on *', async () => {
    expect(await violations(noWildcardWrites, type, { name: 'firebreak-x', policy: JSON.stringify(good) })).toEqual([]);
  });
  it('passes rotate-secret: tag-scoped writes, GetRandomPassword on * (IAM gives it no resource type)', async () => {
    const rotate = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RotateTaggedSecrets',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage', 'secretsmanager:DescribeSecret', 'secretsmanager:ListSecretVersionIds'],
          Resource: 'arn:aws:secretsmanager:eu-west-1:1:secret:*',
          Condition: { StringEquals: { 'aws:ResourceTag/firebreak:rotatable': 'true' } },
        },
        { Sid: 'GenerateSecretValues', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
      ],
    };
    expect(await violations(noWildcardWrites, type, { name: 'firebreak-rotate-secret', policy: JSON.stringify(rotate) })).toEqual([]);
    // The staging writes on * would be refused: only the generator may have *.
    expect(await violations(noWildcardWrites, type, withStatement({ Sid: 'Bad', Effect: 'Allow', Action: 'secretsmanager:PutSecretValue', Resource: '*' }))).toHaveLength(1);
  });
  it('fails a write on resource *', async () => {
    expect(await violations(noWildcardWrites, type, withStatement({ Sid: 'Bad', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }))).toEqual([
      'policy "firebreak-x": statement "Bad" allows s3:PutObject on every resource ("*"); scope it to the kit\'s ARNs',
    ]);
  });
  it('fails wildcard actions, whole-service and full', async () => {
    expect(await violations(noWildcardWrites, type, withStatement({ Sid: 'Svc', Effect: 'Allow', Action: 'wafv2:*', Resource: 'arn:aws:wafv2:x' }))).toEqual([
      'policy "firebreak-x": statement "Svc" allows the wildcard action "wafv2:*"; name each write action',
    ]);
    expect(await violations(noWildcardWrites, type, withStatement({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }))).toEqual([
      'policy "firebreak-x": statement #4 allows the wildcard action "*"; name each write action',
    ]);
  });
  it('fails NotAction with Allow, and checks a role\'s inline policies', async () => {
    expect(await violations(noWildcardWrites, type, withStatement({ Sid: 'Not', Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }))).toEqual([
      'policy "firebreak-x": statement "Not" uses NotAction with Allow, which grants every other action',
    ]);
    const role = { inlinePolicies: [{ name: 'inline', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ec2:TerminateInstances', Resource: '*' }] }) }] };
    expect(await violations(noWildcardWrites, 'aws:iam/role:Role', role)).toEqual([
      'role "res" inline policy "inline": statement #1 allows ec2:TerminateInstances on every resource ("*"); scope it to the kit\'s ARNs',
    ]);
  });
});

describe('aws-iam-oidc-trust-pinned', () => {
  const type = 'aws:iam/role:Role';
  const host = 'token.actions.githubusercontent.com';
  const trust = () => ({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::1:oidc-provider/${host}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${host}:aud`]: 'sts.amazonaws.com', [`${host}:sub`]: 'repo:acme/shop:environment:incident' } } as Record<string, Record<string, unknown>>,
      },
    ],
  });
  const check = (doc: unknown) => violations(oidcTrustPinned, type, { assumeRolePolicy: JSON.stringify(doc) });
  it('passes a trust pinning aud and an exact environment sub', async () => {
    expect(await check(trust())).toEqual([]);
    expect(await check({ Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }] })).toEqual([]);
  });
  it('fails a trust without sub', async () => {
    const doc = trust();
    delete doc.Statement[0]!.Condition.StringEquals![`${host}:sub`];
    expect(await check(doc)).toEqual([
      `role "res" trust statement #1 must pin StringEquals "${host}:sub" (without it any GitHub workflow can assume the role)`,
    ]);
  });
  it('fails a wrong or missing aud', async () => {
    const doc = trust();
    doc.Statement[0]!.Condition.StringEquals![`${host}:aud`] = 'sigstore';
    expect(await check(doc)).toEqual([`role "res" trust statement #1 must pin StringEquals "${host}:aud" to "sts.amazonaws.com" (got "sigstore")`]);
  });
  it('fails a wildcard sub and a StringLike widening', async () => {
    const doc = trust();
    doc.Statement[0]!.Condition.StringEquals![`${host}:sub`] = 'repo:acme/*';
    expect(await check(doc)).toEqual([
      `role "res" trust statement #1 pins "${host}:sub" to "repo:acme/*"; use one exact "repo:ORG/REPO:environment:ENV"`,
    ]);
    const like = trust();
    like.Statement[0]!.Condition['StringLike'] = { [`${host}:sub`]: 'repo:acme/shop:*' };
    expect(await check(like)).toEqual([`role "res" trust statement #1 also matches the OIDC claims with StringLike, which widens them; use StringEquals only`]);
  });
  it('passes a reusable-workflow pin on a literal repository; fails one with a wildcard repository', async () => {
    const pinned = (ref: string) => {
      const doc = trust();
      doc.Statement[0]!.Condition['StringLike'] = { [`${host}:job_workflow_ref`]: ref };
      return doc;
    };
    expect(await check(pinned('acme/firebreak/.github/workflows/reusable-*.yml@*'))).toEqual([]);
    for (const ref of ['*/firebreak/.github/workflows/reusable-*.yml@*', 'acme/*/.github/workflows/x.yml@main', '*', 'acme/firebreak/x.yml@main']) {
      expect(await check(pinned(ref)), ref).toEqual([`role "res" trust statement #1 pins "${host}:job_workflow_ref" to ${JSON.stringify(ref)}; name one literal owner/repo before /.github/workflows/`]);
    }
  });
});

describe('aws-events-github-dispatch-only', () => {
  const dest = 'aws:cloudwatch/eventApiDestination:EventApiDestination';
  const conn = 'aws:cloudwatch/eventConnection:EventConnection';
  const good = { httpMethod: 'POST', invocationEndpoint: 'https://api.github.com/repos/acme/shop/dispatches' };
  it('passes POST repository_dispatch of the configured repository (GitHub Enterprise Server too)', async () => {
    expect(await violations(githubDispatchOnly, dest, good, { repository: 'acme/shop' })).toEqual([]);
    expect(await violations(githubDispatchOnly, dest, { ...good, invocationEndpoint: 'https://ghe.acme.example/api/v3/repos/acme/shop/dispatches' }, { repository: 'acme/shop' })).toEqual([]);
  });
  it('fails any other GitHub call, another repository, or another method', async () => {
    expect(await violations(githubDispatchOnly, dest, { ...good, invocationEndpoint: 'https://api.github.com/repos/acme/shop/actions/secrets/X' })).toEqual([
      'API destination "res" calls "https://api.github.com/repos/acme/shop/actions/secrets/X"; only https://…/repos/OWNER/REPO/dispatches is allowed',
    ]);
    expect(await violations(githubDispatchOnly, dest, { ...good, invocationEndpoint: 'https://api.github.com/repos/*/dispatches' })).toHaveLength(1);
    expect(await violations(githubDispatchOnly, dest, good, { repository: 'acme/other' })).toEqual(['API destination "res" dispatches to acme/shop, not this stack\'s repository acme/other']);
    expect(await violations(githubDispatchOnly, dest, { ...good, httpMethod: 'DELETE' })).toEqual(['API destination "res" uses "DELETE"; repository_dispatch is POST only']);
  });
  it('fails a connection that sends the token as a plain header', async () => {
    const auth = (headers: unknown[]) => ({ authorizationType: 'API_KEY', authParameters: { apiKey: { key: 'Authorization', value: 'Bearer x' }, invocationHttpParameters: { headers } } });
    expect(await violations(githubDispatchOnly, conn, auth([{ key: 'Accept', value: 'application/vnd.github+json', isValueSecret: false }]))).toEqual([]);
    expect(await violations(githubDispatchOnly, conn, auth([{ key: 'Authorization', value: 'Bearer ghp_x', isValueSecret: false }]))).toHaveLength(1);
    expect(await violations(githubDispatchOnly, conn, auth([{ key: 'X-Token', value: `ghp_${'a'.repeat(36)}`, isValueSecret: false }]))).toHaveLength(1);
    expect(await violations(githubDispatchOnly, conn, auth([{ key: 'X-Token', value: `ghp_${'a'.repeat(36)}`, isValueSecret: true }]))).toEqual([]);
  });
});

describe('aws-events-guardduty-severity', () => {
  const type = 'aws:cloudwatch/eventRule:EventRule';
  const pattern = (p: unknown) => ({ eventPattern: JSON.stringify(p) });
  const good = { source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7] }] } };
  it('passes findings with a floor at or above the configured one; ignores other rules', async () => {
    expect(await violations(guardDutySeverity, type, pattern(good), { minGuardDutySeverity: 7 })).toEqual([]);
    expect(await violations(guardDutySeverity, type, pattern({ source: ['aws.ec2'] }))).toEqual([]);
  });
  it('fails no floor, a low floor, other detail types or mixed sources', async () => {
    expect(await violations(guardDutySeverity, type, pattern({ ...good, detail: {} }))).toEqual(['rule "res" must bound detail.severity with [{ "numeric": [">=", N] }] (got undefined)']);
    expect(await violations(guardDutySeverity, type, pattern(good), { minGuardDutySeverity: 8 })).toEqual(['rule "res" sends findings from severity 7; at least 8 is required']);
    expect(await violations(guardDutySeverity, type, pattern({ ...good, 'detail-type': ['GuardDuty Finding', 'AWS API Call via CloudTrail'] }))).toHaveLength(1);
    expect(await violations(guardDutySeverity, type, pattern({ ...good, source: ['aws.guardduty', 'aws.s3'] }))).toEqual(['rule "res" mixes aws.guardduty with other sources']);
    expect(await violations(guardDutySeverity, type, pattern({ ...good, detail: { severity: [{ numeric: ['<', 9] }] } }))).toHaveLength(1);
  });
});
