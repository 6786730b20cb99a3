import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags, lookupAwsContext } from './aws-context.js';
import type { AwsContext, Statement } from './iam-document.js';
import { AUDIT_KEY_PREFIX } from '../../src/core/audit-sync.js';
import { validateReusableWorkflow } from './reusable-workflow.js';

export { REUSABLE_WORKFLOW_PATTERN, validateReusableWorkflow } from './reusable-workflow.js';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';

export interface TagCondition {
  key: string;
  value: string;
}

/** What each capability may touch. A capability left out gets no policy at all. */
export interface ResponderCapabilities {
  blockIps?: { ipSetArns: pulumi.Input<string>[] };
  disableRoutes?: { ruleGroupArn: pulumi.Input<string>; regexSetArn: pulumi.Input<string>; ipSetArns: pulumi.Input<string>[] };
  limitRate?: { ruleGroupArn: pulumi.Input<string>; regexSetArn: pulumi.Input<string>; ipSetArns: pulumi.Input<string>[] };
  preserveEvidence?: {
    bucketArn: pulumi.Input<string>;
    prefix: pulumi.Input<string>;
    kmsKeyArn: pulumi.Input<string>;
    logGroupNames: pulumi.Input<string[]>;
    /** The kit's GuardDuty detector: preserve-evidence copies its findings. */
    detectorId?: pulumi.Input<string>;
    /** Buckets whose object versions preserve-evidence may copy (`s3:<bucket>/<prefix>` targets). */
    suspectBucketArns?: pulumi.Input<string>[];
  };
  rotateSecret?: { tag: TagCondition };
  /**
   * revoke-access / restore-access on IAM users and roles and Cognito users of the account (the
   * ledger lives in the evidence bucket, under preserveEvidence's grant). `userPoolArns` narrows
   * Cognito to those pools (default: every pool of the account and Region).
   */
  revokeAccess?: { userPoolArns?: pulumi.Input<string>[] };
  /** ECS services of these clusters (names) may be rolled back to an earlier task definition. */
  rollback?: { clusters: string[] };
  isolate?: { quarantineSecurityGroupId: pulumi.Input<string>; vpcId: pulumi.Input<string>; tag: TagCondition };
  snapshot?: { tag: TagCondition };
  /** triage: GuardDuty findings, and Logs Insights queries over the kept log groups (query mode). */
  triage?: { detectorId: pulumi.Input<string>; logGroupNames?: pulumi.Input<string[]> };
  /** isolate on ECS tasks: capture (describe, tags, awslogs) and stop tasks carrying the tag. */
  stopTasks?: { tag: TagCondition };
  /** isolate / release below the edge: security-group ingress and network ACL entries on tagged groups and ACLs. */
  blockNetwork?: { tag: TagCondition };
  restartService?: { tag: TagCondition };
  /** run-command: only the kit's vetted documents, only on tagged instances. */
  runCommand?: { documentNames: string[]; tag: TagCondition };
  /** verify-health reads CloudWatch alarm states (DescribeAlarms is authorised per alarm). */
  verifyHealth?: Record<string, never>;
  /** notify: SNS topics to publish to and SES identities to send as (nothing else). */
  notify?: { snsTopicArns: pulumi.Input<string>[]; sesIdentityArns: pulumi.Input<string>[] };
  /** Every step's audit record, appended to the evidence bucket under `audit/` (never rewritten). */
  auditTrail?: { bucketArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> };
  /** Fleet runs: assume exactly these fleet member roles (infra/components/fleet-member-role.ts), nothing else. */
  fleet?: { memberRoleArns: pulumi.Input<string>[] };
}

export type CapabilityName = keyof ResponderCapabilities;

export interface ResponderRoleArgs {
  /** `owner/repo` of the repository whose workflows may assume the role. */
  repository: string;
  /** GitHub environment the jobs must run in; part of the token's `sub`. */
  environment: string;
  /** An account has one provider per URL; pass its ARN when it already exists. */
  existingOidcProviderArn?: pulumi.Input<string>;
  capabilities: ResponderCapabilities;
  /** Session length in seconds (one hour by default: a step is minutes). */
  maxSessionDuration?: number;
  /** Only jobs of this reusable workflow (a `job_workflow_ref` pattern, see reusableWorkflowPattern). */
  reusableWorkflow?: string;
  /**
   * Fleet runs (docs/operators/fleet.md): the generated fleet workflows' plan and apply jobs run in
   * `environment` (no reviewers: the one approval is the gate job in the protected environment), so
   * the role also trusts that exact subject, but only from those workflow files on these branches.
   */
  fleet?: FleetTrust;
  tags?: Record<string, string>;
}

export interface FleetTrust {
  environment: string;
  /** Deployment branches (the protected environment's), e.g. `main`. */
  branches: string[];
}

/** The subject GitHub puts in the OIDC token of a job that runs in `environment`. */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/**
 * Trust policy: only this repository's jobs in this environment, only with the STS audience; with
 * `reusableWorkflow`, only jobs of that reusable workflow (the `job_workflow_ref` claim names the
 * called workflow and its ref, while `sub` still names the CALLER's repository and environment).
 */
export function responderTrustPolicy(providerArn: string, repository: string, environment: string, reusableWorkflow?: string, fleet?: FleetTrust): string {
  if (reusableWorkflow !== undefined) validateReusableWorkflow(reusableWorkflow);
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GitHubEnvironmentOnly',
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: environmentSubject(repository, environment),
          },
          ...(reusableWorkflow !== undefined ? { StringLike: { [`${GITHUB_OIDC_HOST}:job_workflow_ref`]: reusableWorkflow } } : {}),
        },
      },
      ...(fleet ? [fleetTrustStatement(providerArn, repository, fleet)] : []),
    ],
  });
}

/**
 * The role GitHub Actions assumes through OIDC: no long-lived keys, and a trust that pins both
 * the audience and the exact `repo:ORG/REPO:environment:ENV` subject (without `sub`, any workflow
 * on GitHub could assume it). Permissions come as one inline policy per capability, each naming
 * only the kit's own resources; writes never use `*` as action or resource.
 */
export class ResponderRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;
  public readonly oidcProviderArn: pulumi.Output<string>;
  public readonly capabilities: CapabilityName[];

  constructor(name: string, args: ResponderRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:ResponderRole', name, {}, opts);
    validateResponderArgs(args);
    const child = { parent: this };
    const ctx = lookupAwsContext(this);

    const providerArn: pulumi.Output<string> =
      args.existingOidcProviderArn !== undefined
        ? pulumi.output(args.existingOidcProviderArn)
        : new aws.iam.OpenIdConnectProvider(
            `${name}-github-oidc`,
            { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [GITHUB_OIDC_AUDIENCE], tags: kitTags('responder') },
            child,
          ).arn;

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `firebreak responder for ${args.repository} (environment ${args.environment})`,
        assumeRolePolicy: providerArn.apply((arn) => responderTrustPolicy(arn, args.repository, args.environment, args.reusableWorkflow, args.fleet)),
        maxSessionDuration: args.maxSessionDuration ?? 3600,
        tags: kitTags('responder', args.tags),
      },
      child,
    );

    const builders: { [K in CapabilityName]-?: (c: AwsContext, input: pulumi.Unwrap<NonNullable<ResponderCapabilities[K]>>) => Statement[] } = {
      blockIps: blockIpsStatements,
      disableRoutes: ruleGroupStatements,
      limitRate: ruleGroupStatements,
      preserveEvidence: preserveEvidenceStatements,
      rotateSecret: rotateSecretStatements,
      revokeAccess: revokeAccessStatements,
      rollback: rollbackStatements,
      isolate: isolateStatements,
      snapshot: snapshotStatements,
      triage: triageStatements,
      verifyHealth: verifyHealthStatements,
      notify: notifyStatements,
      auditTrail: auditTrailStatements,
      stopTasks: stopTasksStatements,
      blockNetwork: blockNetworkStatements,
      restartService: restartServiceStatements,
      runCommand: runCommandStatements,
      fleet: fleetStatements,
    };
    this.capabilities = (Object.keys(builders) as CapabilityName[]).filter((c) => args.capabilities[c] !== undefined);
    for (const capability of this.capabilities) {
      const input = args.capabilities[capability];
      const build = builders[capability] as (c: AwsContext, i: unknown) => Statement[];
      new aws.iam.RolePolicy(
        `${name}-${kebab(capability)}`,
        {
          role: role.name,
          name: `firebreak-${kebab(capability)}`,
          policy: pulumi
            .all([ctx, pulumi.output(input)])
            .apply(([c, i]) => JSON.stringify({ Version: '2012-10-17', Statement: build(c, i) })),
        },
        child,
      );
    }

    this.roleArn = role.arn;
    this.roleName = role.name;
    this.oidcProviderArn = providerArn;
    this.registerOutputs({ roleArn: this.roleArn, oidcProviderArn: this.oidcProviderArn });
  }
}

export interface AuditWriterRoleArgs {
  /** `owner/repo` of the repository whose workflows may assume the role. */
  repository: string;
  /** The environment of the incident bookkeeping jobs (no reviewers), e.g. `firebreak-incident`. */
  environment: string;
  /** The account's GitHub OIDC provider (the responder role's). */
  oidcProviderArn: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  /** Only jobs of this reusable workflow (a `job_workflow_ref` pattern, as for the responder role). */
  reusableWorkflow?: string;
  /**
   * notify runs with the bookkeeping jobs (paging must never wait for a reviewer): the same SNS
   * topics and SES identities as the responder role's notify policy, nothing more.
   */
  notify?: { snsTopicArns: pulumi.Input<string>[]; sesIdentityArns: pulumi.Input<string>[] };
  tags?: Record<string, string>;
}

/**
 * The role the incident bookkeeping jobs (declare, updates, ticks, close…) assume to copy their
 * audit records to the evidence bucket. Those jobs run in an environment without reviewers, so
 * they must not get the responder role: this one can do nothing but append audit records
 * (auditTrailStatements), and its trust pins that environment's exact OIDC subject.
 */
export class AuditWriterRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: AuditWriterRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:AuditWriterRole', name, {}, opts);
    validateResponderArgs({ repository: args.repository, environment: args.environment, capabilities: {} });
    if (args.reusableWorkflow !== undefined) validateReusableWorkflow(args.reusableWorkflow, 'AuditWriterRole');
    const child = { parent: this };
    const ctx = lookupAwsContext(this);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `firebreak audit writer for ${args.repository} (environment ${args.environment})`,
        assumeRolePolicy: pulumi.output(args.oidcProviderArn).apply((arn) => responderTrustPolicy(arn, args.repository, args.environment, args.reusableWorkflow)),
        maxSessionDuration: 3600,
        tags: kitTags('audit-writer', args.tags),
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-audit-trail`,
      {
        role: role.name,
        name: 'firebreak-audit-trail',
        policy: pulumi
          .all([ctx, pulumi.output(args.bucketArn), pulumi.output(args.kmsKeyArn)])
          .apply(([c, bucketArn, kmsKeyArn]) => JSON.stringify({ Version: '2012-10-17', Statement: auditTrailStatements(c, { bucketArn, kmsKeyArn }) })),
      },
      child,
    );
    if (args.notify) {
      new aws.iam.RolePolicy(
        `${name}-notify`,
        {
          role: role.name,
          name: 'firebreak-notify',
          policy: pulumi.all([ctx, pulumi.output(args.notify)]).apply(([c, n]) => JSON.stringify({ Version: '2012-10-17', Statement: notifyStatements(c, n) })),
        },
        child,
      );
    }
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}

/** The generated fleet workflows' files (src/fleet/workflow.ts writes `.github/workflows/fleet-<slug>.yml`). */
export const FLEET_WORKFLOW_GLOB = 'fleet-*.yml';

/**
 * The fleet jobs' trust: the exact `environment:<env>-fleet` subject AND (StringLike on
 * job_workflow_ref) only the generated fleet workflow files of this repository on the deployment
 * branches. Another workflow that names the fleet environment gets nothing; a fleet workflow edited
 * on a branch gets nothing; the ones on the default branch always `needs:` the approval gate job.
 */
export function fleetTrustStatement(providerArn: string, repository: string, fleet: FleetTrust): Record<string, unknown> {
  if (!fleet.environment || /[*?:]/.test(fleet.environment)) throw new Error(`ResponderRole: fleet environment must be a plain environment name, got "${fleet.environment}"`);
  if (fleet.branches.length === 0 || fleet.branches.some((b) => !b || /[*?]/.test(b))) {
    throw new Error(`ResponderRole: fleet trust needs literal deployment branches (no wildcards), got ${JSON.stringify(fleet.branches)}`);
  }
  return {
    Sid: 'GitHubFleetWorkflowsOnly',
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: environmentSubject(repository, fleet.environment),
      },
      StringLike: { [`${GITHUB_OIDC_HOST}:job_workflow_ref`]: fleet.branches.map((b) => `${repository}/.github/workflows/${FLEET_WORKFLOW_GLOB}@refs/heads/${b}`) },
    },
  };
}

/**
 * Fleet runs: sts:AssumeRole on exactly the listed member roles (each AWS fleet target's `role_arn`).
 * A wildcard would let the responder role into any account that trusts it; it is refused.
 */
export function fleetStatements(_c: AwsContext, i: { memberRoleArns: string[] }): Statement[] {
  const bad = i.memberRoleArns.filter((a) => !/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(a));
  if (bad.length) throw new Error(`ResponderRole: fleet member roles must be literal IAM role ARNs, got ${JSON.stringify(bad)}`);
  if (i.memberRoleArns.length === 0) return [];
  return [{ Sid: 'AssumeFleetMemberRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [...new Set(i.memberRoleArns)].sort() }];
}

/**
 * Exactly what src/capabilities/notify calls on AWS: `sns:Publish` to the listed topics (SMS fan-out
 * through topic subscriptions) and `ses:SendEmail` as the listed identities. Publishing an SMS
 * straight to a phone number is authorised against resource "*", which the policy pack's
 * no-wildcard-writes rule refuses: the kit does not grant it; route SMS through a topic, or grant it
 * by hand knowingly (docs/capabilities/notify.md).
 */
export function notifyStatements(_c: AwsContext, i: { snsTopicArns: string[]; sesIdentityArns: string[] }): Statement[] {
  const out: Statement[] = [];
  if (i.snsTopicArns.length) out.push({ Sid: 'PublishIncidentTopics', Effect: 'Allow', Action: ['sns:Publish'], Resource: i.snsTopicArns });
  if (i.sesIdentityArns.length) out.push({ Sid: 'SendIncidentEmail', Effect: 'Allow', Action: ['ses:SendEmail'], Resource: i.sesIdentityArns });
  return out;
}

export function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
}

function arn(c: AwsContext, service: string, resource: string): string {
  return `arn:${c.partition}:${service}:${c.region}:${c.accountId}:${resource}`;
}

function tagCondition(tag: TagCondition): Statement['Condition'] {
  return { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } };
}

export function blockIpsStatements(_c: AwsContext, i: { ipSetArns: string[] }): Statement[] {
  return [{ Sid: 'ReadAndReplaceBlockedAddresses', Effect: 'Allow', Action: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'], Resource: i.ipSetArns }];
}

/** UpdateRuleGroup is authorised against the group and every set its rules reference. */
export function ruleGroupStatements(_c: AwsContext, i: { ruleGroupArn: string; regexSetArn: string; ipSetArns: string[] }): Statement[] {
  return [
    {
      Sid: 'ReadAndUpdateBreakGlassRuleGroup',
      Effect: 'Allow',
      Action: ['wafv2:GetRuleGroup', 'wafv2:UpdateRuleGroup'],
      Resource: [i.ruleGroupArn, i.regexSetArn, ...i.ipSetArns],
    },
    {
      Sid: 'ReadAndReplaceDisabledRoutes',
      Effect: 'Allow',
      Action: ['wafv2:GetRegexPatternSet', 'wafv2:UpdateRegexPatternSet'],
      Resource: i.regexSetArn,
    },
  ];
}

/** Alarm states only: no metric data, no alarm changes. */
export function verifyHealthStatements(c: AwsContext): Statement[] {
  return [{ Sid: 'ReadAlarmStates', Effect: 'Allow', Action: ['cloudwatch:DescribeAlarms'], Resource: arn(c, 'cloudwatch', 'alarm:*') }];
}

export function preserveEvidenceStatements(
  c: AwsContext,
  i: { bucketArn: string; prefix: string; kmsKeyArn: string; logGroupNames: string[]; detectorId?: string; suspectBucketArns?: string[] },
): Statement[] {
  const statements: Statement[] = [
    // preserve-evidence writes each key once (If-None-Match); verify-evidence and triage read them back.
    { Sid: 'WriteEvidence', Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject'], Resource: `${i.bucketArn}/${i.prefix}*` },
    {
      Sid: 'ListEvidencePrefix',
      Effect: 'Allow',
      Action: ['s3:ListBucket', 's3:ListBucketVersions'],
      Resource: i.bucketArn,
      Condition: { StringLike: { 's3:prefix': `${i.prefix}*` } },
    },
    { Sid: 'EncryptEvidence', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: i.kmsKeyArn },
    { Sid: 'WatchExportTasks', Effect: 'Allow', Action: ['logs:DescribeExportTasks', 'logs:DescribeLogGroups'], Resource: '*' },
    // CloudTrail event history (cloudtrail: targets); LookupEvents has no resource type in IAM, so `*` is the only resource it takes.
    { Sid: 'LookupCloudTrailEvents', Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' },
  ];
  if (i.logGroupNames.length > 0) {
    const groups = i.logGroupNames.flatMap((g) => [arn(c, 'logs', `log-group:${g}`), arn(c, 'logs', `log-group:${g}:*`)]);
    statements.push({ Sid: 'ExportAndReadKeptLogs', Effect: 'Allow', Action: ['logs:CreateExportTask', 'logs:FilterLogEvents'], Resource: groups });
  }
  if (i.detectorId) {
    statements.push({ Sid: 'CopyFindings', Effect: 'Allow', Action: ['guardduty:ListFindings', 'guardduty:GetFindings'], Resource: arn(c, 'guardduty', `detector/${i.detectorId}`) });
  }
  if (i.suspectBucketArns && i.suspectBucketArns.length > 0) {
    statements.push(
      { Sid: 'ListSuspectVersions', Effect: 'Allow', Action: 's3:ListBucketVersions', Resource: i.suspectBucketArns },
      { Sid: 'CopySuspectVersions', Effect: 'Allow', Action: 's3:GetObjectVersion', Resource: i.suspectBucketArns.map((b) => `${b}/*`) },
    );
  }
  return statements;
}

/**
 * Exactly what src/capabilities/rotate-secret calls. GetSecretValue: a JSON secret is rotated one key
 * at a time, so the current value must be read, and the written value is read back to verify it.
 * GetRandomPassword (alphabet `aws`) has no resource type in IAM, so `*` is the only resource it can
 * have; it reads and writes no resource (it returns random characters), which is why the policy
 * pack's no-wildcard-writes rule lets it through as a Get verb.
 */
export function rotateSecretStatements(c: AwsContext, i: { tag: TagCondition }): Statement[] {
  return [
    {
      Sid: 'RotateTaggedSecrets',
      Effect: 'Allow',
      Action: [
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
        'secretsmanager:DescribeSecret',
        'secretsmanager:ListSecretVersionIds',
      ],
      Resource: arn(c, 'secretsmanager', 'secret:*'),
      Condition: tagCondition(i.tag),
    },
    { Sid: 'GenerateSecretValues', Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
    {
      // After a rotation, the services that read the secret (restart-services) get a new deployment
      // and are watched until steady. Service ARNs only: no task definition, no scaling, no deletion.
      Sid: 'RestartServicesThatReadSecrets',
      Effect: 'Allow',
      Action: ['ecs:UpdateService', 'ecs:DescribeServices'],
      Resource: arn(c, 'ecs', 'service/*'),
    },
  ];
}

/**
 * Exactly what src/capabilities/revoke-access and restore-access call. Principals to revoke are
 * whoever was compromised, so IAM is scoped to the account's users and roles, not to a tag; the
 * role's own ARN is denied every write, so a responder can neither cut off nor widen itself.
 */
export function revokeAccessStatements(c: AwsContext, i: { userPoolArns?: string[] }): Statement[] {
  const users = `arn:${c.partition}:iam::${c.accountId}:user/*`;
  const roles = `arn:${c.partition}:iam::${c.accountId}:role/*`;
  return [
    {
      Sid: 'ReadPrincipals',
      Effect: 'Allow',
      Action: ['iam:GetUser', 'iam:ListAccessKeys', 'iam:GetLoginProfile', 'iam:GetUserPolicy', 'iam:GetRole', 'iam:GetRolePolicy'],
      Resource: [users, roles],
    },
    {
      Sid: 'RevokeAndRestoreUsers',
      Effect: 'Allow',
      Action: ['iam:PutUserPolicy', 'iam:DeleteUserPolicy', 'iam:UpdateAccessKey', 'iam:DeleteLoginProfile'],
      Resource: users,
    },
    { Sid: 'RevokeAndRestoreRoleSessions', Effect: 'Allow', Action: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'], Resource: roles },
    {
      Sid: 'NeverChangeOwnRole',
      Effect: 'Deny',
      Action: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      Resource: `arn:${c.partition}:iam::${c.accountId}:role/firebreak-*`,
    },
    {
      Sid: 'RevokeAndRestoreCognitoUsers',
      Effect: 'Allow',
      Action: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminResetUserPassword', 'cognito-idp:AdminUserGlobalSignOut', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser'],
      Resource: i.userPoolArns && i.userPoolArns.length > 0 ? i.userPoolArns : arn(c, 'cognito-idp', 'userpool/*'),
    },
  ];
}

/**
 * Exactly what src/capabilities/rollback calls on ECS: read and update services of the listed
 * clusters, tag them with the rollback marker (a re-run recognises its own rollback), and read task
 * definitions (DescribeTaskDefinition and ListTaskDefinitions have no resource type: `*`).
 * UpdateService needs no iam:PassRole: the task definition's roles were passed when it was registered.
 */
export function rollbackStatements(c: AwsContext, i: { clusters: string[] }): Statement[] {
  return [
    {
      Sid: 'RollBackServices',
      Effect: 'Allow',
      Action: ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:ListTagsForResource', 'ecs:TagResource'],
      Resource: i.clusters.map((cluster) => arn(c, 'ecs', `service/${cluster}/*`)),
    },
    { Sid: 'ReadTaskDefinitions', Effect: 'Allow', Action: ['ecs:DescribeTaskDefinition', 'ecs:ListTaskDefinitions'], Resource: '*' },
  ];
}

export function isolateStatements(c: AwsContext, i: { quarantineSecurityGroupId: string; vpcId: string; tag: TagCondition }): Statement[] {
  return [
    {
      Sid: 'SwapGroupsOnTaggedInstances',
      Effect: 'Allow',
      Action: 'ec2:ModifyInstanceAttribute',
      Resource: arn(c, 'ec2', 'instance/*'),
      Condition: tagCondition(i.tag),
    },
    {
      Sid: 'AttachQuarantineGroup',
      Effect: 'Allow',
      Action: 'ec2:ModifyInstanceAttribute',
      Resource: arn(c, 'ec2', `security-group/${i.quarantineSecurityGroupId}`),
    },
    {
      // Release puts the original groups back; they must be in the quarantine group's VPC.
      Sid: 'RestoreGroupsInKitVpc',
      Effect: 'Allow',
      Action: 'ec2:ModifyInstanceAttribute',
      Resource: arn(c, 'ec2', 'security-group/*'),
      Condition: { StringEquals: { 'ec2:Vpc': arn(c, 'ec2', `vpc/${i.vpcId}`) } },
    },
    {
      // isolate records the original groups on the instance; release deletes that record.
      Sid: 'RecordOriginalGroups',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: arn(c, 'ec2', 'instance/*'),
      Condition: { ...tagCondition(i.tag), 'ForAllValues:StringLike': { 'aws:TagKeys': ['firebreak:*'] } },
    },
    { Sid: 'DescribeInstances', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeSecurityGroups', 'autoscaling:DescribeAutoScalingInstances'], Resource: '*' },
    {
      // Out of its Auto Scaling group before the swap (else it is replaced, and its memory with it); back on release.
      Sid: 'DetachAndReattachTaggedGroups',
      Effect: 'Allow',
      Action: ['autoscaling:DetachInstances', 'autoscaling:AttachInstances'],
      Resource: `arn:${c.partition}:autoscaling:${c.region}:${c.accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      Condition: tagCondition(i.tag),
    },
  ];
}

/**
 * isolate on an ECS task: read what StopTask destroys (the task, its tags, its awslogs stream) and
 * stop it. Only tasks carrying the tag (propagate it from the service or task definition). The
 * evidence files go through preserveEvidenceStatements' prefix grant.
 */
export function stopTasksStatements(c: AwsContext, i: { tag: TagCondition }): Statement[] {
  return [
    {
      Sid: 'CaptureAndStopTaggedTasks',
      Effect: 'Allow',
      Action: ['ecs:DescribeTasks', 'ecs:ListTagsForResource', 'ecs:StopTask'],
      Resource: arn(c, 'ecs', 'task/*'),
      Condition: tagCondition(i.tag),
    },
    { Sid: 'ReadTaskDefinitions', Effect: 'Allow', Action: 'ecs:DescribeTaskDefinition', Resource: '*' },
    { Sid: 'ReadTaskLogStreams', Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: arn(c, 'logs', 'log-group:*:log-stream:*') },
  ];
}

/**
 * isolate / release below the edge: revoke and re-authorize ingress on tagged security groups, add
 * and delete entries on tagged network ACLs, and the `firebreak:*` tags that record what was done.
 */
export function blockNetworkStatements(c: AwsContext, i: { tag: TagCondition }): Statement[] {
  const resources = [arn(c, 'ec2', 'security-group/*'), arn(c, 'ec2', 'network-acl/*')];
  return [
    {
      Sid: 'ChangeTaggedGroupIngress',
      Effect: 'Allow',
      Action: ['ec2:RevokeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupIngress'],
      Resource: arn(c, 'ec2', 'security-group/*'),
      Condition: tagCondition(i.tag),
    },
    {
      Sid: 'ChangeTaggedAclEntries',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAclEntry'],
      Resource: arn(c, 'ec2', 'network-acl/*'),
      Condition: tagCondition(i.tag),
    },
    {
      Sid: 'RecordBlocks',
      Effect: 'Allow',
      Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
      Resource: resources,
      Condition: { ...tagCondition(i.tag), 'ForAllValues:StringLike': { 'aws:TagKeys': ['firebreak:*'] } },
    },
    { Sid: 'DescribeNetwork', Effect: 'Allow', Action: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules', 'ec2:DescribeNetworkAcls'], Resource: '*' },
  ];
}

/** restart-service: read and update (force a deployment, set the count) tagged ECS services only. */
export function restartServiceStatements(c: AwsContext, i: { tag: TagCondition }): Statement[] {
  return [
    { Sid: 'UpdateTaggedServices', Effect: 'Allow', Action: 'ecs:UpdateService', Resource: arn(c, 'ecs', 'service/*'), Condition: tagCondition(i.tag) },
    { Sid: 'DescribeServices', Effect: 'Allow', Action: 'ecs:DescribeServices', Resource: arn(c, 'ecs', 'service/*') },
  ];
}

/**
 * run-command: SendCommand is authorised against the document AND every instance: only the kit's
 * vetted documents, only on instances carrying the tag. GetCommandInvocation has no resource type.
 */
export function runCommandStatements(c: AwsContext, i: { documentNames: string[]; tag: TagCondition }): Statement[] {
  return [
    { Sid: 'ReadAndSendVettedDocuments', Effect: 'Allow', Action: ['ssm:GetDocument', 'ssm:SendCommand'], Resource: i.documentNames.map((n) => arn(c, 'ssm', `document/${n}`)) },
    { Sid: 'SendToTaggedInstances', Effect: 'Allow', Action: 'ssm:SendCommand', Resource: arn(c, 'ec2', 'instance/*'), Condition: tagCondition(i.tag) },
    { Sid: 'ReadCommandOutput', Effect: 'Allow', Action: 'ssm:GetCommandInvocation', Resource: '*' },
  ];
}

export function snapshotStatements(c: AwsContext, i: { tag: TagCondition }): Statement[] {
  // New snapshots must carry the incident tag, so these ARNs cannot reach untagged snapshots.
  const incidentTagged = { Null: { 'aws:RequestTag/firebreak:incident': 'false' } };
  return [
    {
      Sid: 'SnapshotTaggedDatabases',
      Effect: 'Allow',
      Action: ['rds:CreateDBSnapshot', 'rds:CreateDBClusterSnapshot'],
      Resource: [arn(c, 'rds', 'db:*'), arn(c, 'rds', 'cluster:*')],
      Condition: tagCondition(i.tag),
    },
    {
      Sid: 'CreateIncidentTaggedDbSnapshots',
      Effect: 'Allow',
      Action: ['rds:CreateDBSnapshot', 'rds:CreateDBClusterSnapshot', 'rds:AddTagsToResource'],
      Resource: [arn(c, 'rds', 'snapshot:*'), arn(c, 'rds', 'cluster-snapshot:*')],
      Condition: incidentTagged,
    },
    {
      Sid: 'SnapshotTaggedVolumes',
      Effect: 'Allow',
      Action: 'ec2:CreateSnapshot',
      Resource: arn(c, 'ec2', 'volume/*'),
      Condition: tagCondition(i.tag),
    },
    {
      Sid: 'CreateIncidentTaggedVolumeSnapshots',
      Effect: 'Allow',
      Action: 'ec2:CreateSnapshot',
      Resource: `arn:${c.partition}:ec2:${c.region}::snapshot/*`,
      Condition: incidentTagged,
    },
    {
      Sid: 'TagSnapshotsOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: `arn:${c.partition}:ec2:${c.region}::snapshot/*`,
      Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSnapshot' } },
    },
    {
      Sid: 'DescribeSnapshots',
      Effect: 'Allow',
      Action: ['rds:DescribeDBSnapshots', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBInstances', 'ec2:DescribeSnapshots', 'ec2:DescribeVolumes'],
      Resource: '*',
    },
  ];
}

export function triageStatements(c: AwsContext, i: { detectorId: string; logGroupNames?: string[] }): Statement[] {
  const statements: Statement[] = [
    {
      Sid: 'ReadFindings',
      Effect: 'Allow',
      Action: ['guardduty:GetDetector', 'guardduty:ListFindings', 'guardduty:GetFindings'],
      Resource: arn(c, 'guardduty', `detector/${i.detectorId}`),
    },
  ];
  if (i.logGroupNames && i.logGroupNames.length > 0) {
    // Query mode: Logs Insights over the kept groups. GetQueryResults is authorised on the log
    // groups of the query (Service Authorization Reference), so both name the same ARNs.
    statements.push({
      Sid: 'QueryKeptLogs',
      Effect: 'Allow',
      Action: ['logs:StartQuery', 'logs:GetQueryResults'],
      Resource: i.logGroupNames.flatMap((g) => [arn(c, 'logs', `log-group:${g}`), arn(c, 'logs', `log-group:${g}:*`)]),
    });
  }
  return statements;
}

/**
 * The audit trail (src/providers/aws/evidence-audit-store.ts): append one object per record under
 * `audit/`, read them back (the head to seal on, `audit pull`), list their versions (gaps and
 * overwrites show there). Retention is the bucket's default: a put that asks for its own lock mode
 * or legal hold is refused, and so is every delete or retention change, even if another policy
 * of the role would allow it.
 */
export function auditTrailStatements(_c: AwsContext, i: { bucketArn: string; kmsKeyArn: string }): Statement[] {
  const records = `${i.bucketArn}/${AUDIT_KEY_PREFIX}*`;
  return [
    { Sid: 'AppendAuditRecords', Effect: 'Allow', Action: 's3:PutObject', Resource: records },
    { Sid: 'ReadAuditRecords', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: records },
    {
      Sid: 'ListAuditRecordVersions',
      Effect: 'Allow',
      Action: 's3:ListBucketVersions',
      Resource: i.bucketArn,
      Condition: { StringLike: { 's3:prefix': `${AUDIT_KEY_PREFIX}*` } },
    },
    { Sid: 'EncryptAuditRecords', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: i.kmsKeyArn },
    {
      Sid: 'NeverDeleteOrUnlockAuditRecords',
      Effect: 'Deny',
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:BypassGovernanceRetention'],
      Resource: records,
    },
    { Sid: 'AuditRetentionIsTheBucketDefault', Effect: 'Deny', Action: 's3:PutObject', Resource: records, Condition: { Null: { 's3:object-lock-mode': 'false' } } },
    { Sid: 'NoLegalHoldOnAuditPut', Effect: 'Deny', Action: 's3:PutObject', Resource: records, Condition: { Null: { 's3:object-lock-legal-hold': 'false' } } },
  ];
}

function validateResponderArgs(args: ResponderRoleArgs): void {
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(args.repository)) {
    throw new Error(`ResponderRole: repository must be "owner/repo", got "${args.repository}"`);
  }
  if (!args.environment || /[*?:]/.test(args.environment)) {
    throw new Error(`ResponderRole: environment must be a plain environment name (no wildcards), got "${args.environment}"`);
  }
  if (args.reusableWorkflow !== undefined) validateReusableWorkflow(args.reusableWorkflow);
  const d = args.maxSessionDuration ?? 3600;
  if (!Number.isInteger(d) || d < 900 || d > 43200) {
    throw new Error(`ResponderRole: maxSessionDuration must be 900-43200 seconds, got ${d}`);
  }
}
