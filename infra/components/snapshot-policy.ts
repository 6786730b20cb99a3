import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags, lookupAwsContext } from './aws-context.js';

export interface SnapshotPolicyArgs {
  /** Resources carrying this tag (key = value) are backed up. */
  tagKey: string;
  tagValue: string;
  /** Days each recovery point is kept. */
  retentionDays: number;
  /** AWS Backup cron expression (UTC). Default: daily at 05:00. */
  schedule?: string;
  /**
   * Days until the vault lock becomes immutable (compliance mode). At least 3; after that nobody
   * can remove the lock or delete recovery points early. Omit for governance mode.
   */
  lockChangeableForDays?: number;
  /** Encrypts recovery points that support vault encryption; the account's AWS Backup key if omitted. */
  kmsKeyArn?: pulumi.Input<string>;
  tags?: Record<string, string>;
}

/**
 * An AWS Backup vault with a vault lock and a daily plan for tagged RDS instances and clusters,
 * EBS volumes and DynamoDB tables, so a recent restore point exists before anyone needs one.
 */
export class SnapshotPolicy extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly vaultArn: pulumi.Output<string>;
  public readonly planId: pulumi.Output<string>;

  constructor(name: string, args: SnapshotPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:SnapshotPolicy', name, {}, opts);
    if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
      throw new Error(`SnapshotPolicy: retentionDays must be a positive integer, got ${args.retentionDays}`);
    }
    if (args.lockChangeableForDays !== undefined && args.lockChangeableForDays < 3) {
      throw new Error(`SnapshotPolicy: lockChangeableForDays must be at least 3, got ${args.lockChangeableForDays}`);
    }
    const tags = kitTags('backup', args.tags);
    const child = { parent: this };
    const ctx = lookupAwsContext(this);

    const vault = new aws.backup.Vault(
      `${name}-vault`,
      { ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}), forceDestroy: false, tags },
      child,
    );
    new aws.backup.VaultLockConfiguration(
      `${name}-vault-lock`,
      {
        backupVaultName: vault.name,
        minRetentionDays: args.retentionDays,
        maxRetentionDays: Math.max(args.retentionDays, 36500),
        ...(args.lockChangeableForDays !== undefined ? { changeableForDays: args.lockChangeableForDays } : {}),
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: 'firebreak: AWS Backup service role for the snapshot plan',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-role-backup`,
      {
        role: role.name,
        policyArn: ctx.partition.apply((p) => `arn:${p}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`),
      },
      child,
    );

    const plan = new aws.backup.Plan(
      `${name}-plan`,
      {
        rules: [
          {
            ruleName: 'firebreak-daily',
            targetVaultName: vault.name,
            schedule: args.schedule ?? 'cron(0 5 ? * * *)',
            startWindow: 60,
            completionWindow: 360,
            lifecycle: { deleteAfter: args.retentionDays },
            recoveryPointTags: kitTags('backup'),
          },
        ],
        tags,
      },
      child,
    );
    new aws.backup.Selection(
      `${name}-selection`,
      {
        planId: plan.id,
        iamRoleArn: role.arn,
        resources: ctx.partition.apply((p) => [
          `arn:${p}:rds:*:*:db:*`,
          `arn:${p}:rds:*:*:cluster:*`,
          `arn:${p}:ec2:*:*:volume/*`,
          `arn:${p}:dynamodb:*:*:table/*`,
        ]),
        selectionTags: [{ type: 'STRINGEQUALS', key: args.tagKey, value: args.tagValue }],
      },
      child,
    );

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.planId = plan.id;
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn, planId: this.planId });
  }
}
