import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags, lookupAwsContext } from './aws-context.js';
import { policyJson, type Statement } from './iam-document.js';
import { AUDIT_KEY_PREFIX } from '../../src/core/audit-sync.js';

export interface EvidenceStoreArgs {
  /** Default Object Lock retention of every object version, in days. */
  retentionDays: number;
  /** COMPLIANCE: nobody, not even root, can shorten retention or delete a locked version. */
  lockMode?: 'COMPLIANCE' | 'GOVERNANCE';
  /** Key prefix responders write evidence under. */
  prefix?: string;
  /** Physical bucket name; Pulumi auto-names it from the component name when omitted. */
  bucketName?: string;
  /** Days before objects move to Glacier Flexible Retrieval. */
  archiveAfterDays?: number;
  /** Days before current versions expire; must not undercut the lock. Omit to keep forever. */
  expireAfterDays?: number;
  /** CloudTrail trails (ARNs) allowed to deliver into `cloudtrail/`. */
  cloudTrailArns?: pulumi.Input<string>[];
  tags?: Record<string, string>;
}

export const CLOUDTRAIL_PREFIX = 'cloudtrail';

/**
 * The evidence bucket: versioned, Object Lock with a default retention, SSE-KMS under its own
 * customer-managed key, ACLs disabled, public access blocked, tiered to Glacier, and a bucket
 * policy that refuses plain-HTTP requests and puts that ask for anything but SSE-KMS with this key.
 *
 * Object Lock can only be turned on when a bucket is created; this bucket is created with it.
 */
export class EvidenceStore extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly prefix: pulumi.Output<string>;
  public readonly retentionDays: pulumi.Output<number>;
  /** The bucket policy; a trail must wait for it before its first delivery check. */
  public readonly bucketPolicy: aws.s3.BucketPolicy;

  constructor(name: string, args: EvidenceStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:EvidenceStore', name, {}, opts);
    validateEvidenceArgs(args);
    const prefix = args.prefix ?? 'incidents/';
    const tags = kitTags('evidence', args.tags);
    const child = { parent: this };
    const ctx = lookupAwsContext(this);

    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      {
        ...(args.bucketName ? { bucket: args.bucketName } : {}),
        objectLockEnabled: true,
        // Evidence outlives the stack: `pulumi destroy` must fail on a non-empty bucket.
        forceDestroy: false,
        tags,
      },
      child,
    );

    const trailArns = pulumi.output(args.cloudTrailArns ?? []);
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: 'firebreak: evidence bucket and CloudTrail encryption',
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.all([ctx, trailArns]).apply(([c, trails]) =>
          JSON.stringify({
            Version: '2012-10-17',
            Statement: evidenceKeyStatements(c.partition, c.accountId, c.region, trails),
          }),
        ),
        tags,
      },
      child,
    );
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${name}-evidence`, targetKeyId: key.keyId }, child);

    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } },
      child,
    );
    new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      {
        bucket: bucket.id,
        objectLockEnabled: 'Enabled',
        rule: { defaultRetention: { mode: args.lockMode ?? 'COMPLIANCE', days: args.retentionDays } },
      },
      { ...child, dependsOn: [versioning] },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn },
            // One data key per bucket instead of per object: far fewer KMS requests.
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    const archiveAfter = args.archiveAfterDays ?? 90;
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: 'archive-evidence',
            status: 'Enabled',
            filter: {},
            transitions: [{ days: archiveAfter, storageClass: 'GLACIER' }],
            noncurrentVersionTransitions: [{ noncurrentDays: archiveAfter, storageClass: 'GLACIER' }],
            ...(args.expireAfterDays !== undefined ? { expiration: { days: args.expireAfterDays } } : {}),
          },
          {
            id: 'abort-incomplete-uploads',
            status: 'Enabled',
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { ...child, dependsOn: [versioning] },
    );

    this.bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([ctx, bucket.arn, key.arn, trailArns])
          .apply(([c, bucketArn, keyArn, trails]) => policyJson(evidenceBucketStatements(c.accountId, c.region, bucketArn, keyArn, trails))),
      },
      { ...child, dependsOn: [publicAccess] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.kmsKeyArn = key.arn;
    this.prefix = pulumi.output(prefix);
    this.retentionDays = pulumi.output(args.retentionDays);
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      kmsKeyArn: this.kmsKeyArn,
      prefix: this.prefix,
    });
  }
}

/** Bucket policy statements; exported so the tests and docs/operators/kit.md show the same thing. */
export function evidenceBucketStatements(
  accountId: string,
  region: string,
  bucketArn: string,
  keyArn: string,
  trailArns: string[],
): Statement[] {
  const statements: Statement[] = [
    {
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      // A put without the header gets the bucket default (SSE-KMS with this key); a put that asks
      // for anything else, AES256 included, is refused.
      Sid: 'DenyUnencryptedOrOtherEncryptionPuts',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${bucketArn}/*`,
      Condition: {
        StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
        Null: { 's3:x-amz-server-side-encryption': 'false' },
      },
    },
    {
      Sid: 'DenyOtherKmsKeys',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${bucketArn}/*`,
      Condition: {
        StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn },
        Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      },
    },
    {
      // The audit trail is append-only for everyone: a put must carry If-None-Match (a record's key
      // is taken once), and no principal may hide a record behind a delete marker.
      Sid: 'DenyAuditOverwrites',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${bucketArn}/${AUDIT_KEY_PREFIX}*`,
      Condition: { Null: { 's3:if-none-match': 'true' } },
    },
    {
      Sid: 'DenyAuditDeletes',
      Effect: 'Deny',
      Principal: '*',
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      Resource: `${bucketArn}/${AUDIT_KEY_PREFIX}*`,
    },
    {
      Sid: 'AllowLogsExportAclCheck',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
    {
      Sid: 'AllowLogsExportWrite',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/*`,
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ];
  if (trailArns.length > 0) {
    statements.push(
      {
        Sid: 'AllowCloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: bucketArn,
        Condition: { StringEquals: { 'aws:SourceArn': trailArns } },
      },
      {
        Sid: 'AllowCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${bucketArn}/${CLOUDTRAIL_PREFIX}/AWSLogs/${accountId}/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArns } },
      },
    );
  }
  return statements;
}

/** Key policy: the account administers the key; CloudTrail and CloudWatch Logs may encrypt with it. */
export function evidenceKeyStatements(partition: string, accountId: string, region: string, trailArns: string[]): Statement[] {
  const statements: Statement[] = [
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'LogsExportEncrypts',
      Effect: 'Allow',
      Principal: { Service: `logs.${region}.amazonaws.com` },
      Action: ['kms:GenerateDataKey*', 'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ];
  if (trailArns.length > 0) {
    statements.push(
      {
        Sid: 'CloudTrailEncrypts',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArns },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${accountId}:trail/*` },
        },
      },
      {
        Sid: 'CloudTrailDescribesKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
      },
    );
  }
  return statements;
}

function validateEvidenceArgs(args: EvidenceStoreArgs): void {
  if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1 || args.retentionDays > 36500) {
    throw new Error(`EvidenceStore: retentionDays must be an integer from 1 to 36500, got ${args.retentionDays}`);
  }
  if (args.expireAfterDays !== undefined && args.expireAfterDays < args.retentionDays) {
    throw new Error(
      `EvidenceStore: expireAfterDays (${args.expireAfterDays}) must not be shorter than retentionDays (${args.retentionDays})`,
    );
  }
  if (args.prefix !== undefined && (args.prefix.startsWith(AUDIT_KEY_PREFIX) || AUDIT_KEY_PREFIX.startsWith(args.prefix))) {
    throw new Error(`EvidenceStore: prefix "${args.prefix}" overlaps the audit trail's "${AUDIT_KEY_PREFIX}" (append-only, no deletes)`);
  }
  if (args.prefix !== undefined && !/^[A-Za-z0-9!_.*'()/-]+\/$/.test(args.prefix)) {
    throw new Error(`EvidenceStore: prefix must be a plain key prefix ending in "/", got "${args.prefix}"`);
  }
}
