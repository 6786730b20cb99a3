/**
 * Reviewed data for test/integration/least-privilege.test.ts (see docs/operators/least-privilege.md).
 *
 * OBSERVED_ACTIONS: the IAM actions each capability's real code made against moto, plus the KMS
 * calls S3 makes on its behalf. A change here is a change in what production needs: review it.
 * The capability registry's `iam:` lists should match these.
 *
 * ACCEPTED_UNUSED_GRANTS: grants on the responder role that no recorded call uses, each with why it
 * stays. Keyed `<inline policy>/<statement Sid>/<action>`. A grant missing here fails the test; an
 * entry that a recorded call now uses fails it too (delete it).
 */
export const OBSERVED_ACTIONS: Record<string, string[]> = {
  'block-ips': ['kms:GenerateDataKey', 's3:PutObject', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  'unblock-ips': ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  'disable-routes': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRegexPatternSet', 'wafv2:GetRuleGroup', 'wafv2:UpdateRegexPatternSet', 'wafv2:UpdateRuleGroup'],
  'enable-routes': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRegexPatternSet', 'wafv2:UpdateRegexPatternSet'],
  'limit-rate': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRuleGroup', 'wafv2:UpdateRuleGroup'],
  'restore-rate': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetRuleGroup', 'wafv2:UpdateRuleGroup'],
  'verify-health': ['cloudwatch:DescribeAlarms'],
  'sweep-expired': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  preflight: ['sts:GetCallerIdentity'],
  // The bucket mirror, `audit push`, `audit pull` and `audit verify --incident` (the audit writer role makes the same calls).
  'audit-trail': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObjectVersion', 's3:ListBucketVersions', 's3:PutObject'],
  // A plain rotation, a JSON-key rotation, a rollback and the `aws` alphabet, on secrets carrying the kit tag;
  // one rotation restarts the ECS service that reads the secret (force new deployment, watched until steady).
  // Recorded for its logs: and file: sources only (RDS, EC2 and GuardDuty calls are not mapped to IAM
  // in src/drill/iam yet); the registry's list for preserve-evidence is longer.
  'preserve-evidence (logs and files)': ['kms:GenerateDataKey', 'logs:DescribeLogGroups', 'logs:FilterLogEvents', 's3:ListBucket', 's3:PutObject', 'sts:GetCallerIdentity'],
  'verify-evidence': ['kms:Decrypt', 's3:GetObject', 's3:ListBucket'],
  // Preserved evidence as a source, Logs Insights query mode, and keeping the report.
  triage: ['kms:Decrypt', 'kms:GenerateDataKey', 'logs:GetQueryResults', 'logs:StartQuery', 's3:GetObject', 's3:ListBucket', 's3:PutObject'],
  // A topic fan-out (SMS subscribers) and an e-mail, to the topic and as the identity the kit lists.
  notify: ['ses:SendEmail', 'sns:Publish'],
  'rotate-secret': [
    'ecs:DescribeServices',
    'ecs:UpdateService',
    'secretsmanager:DescribeSecret',
    'secretsmanager:GetRandomPassword',
    'secretsmanager:GetSecretValue',
    'secretsmanager:ListSecretVersionIds',
    'secretsmanager:PutSecretValue',
    'secretsmanager:UpdateSecretVersionStage',
  ],
  // An IAM user, two roles (one with an earlier session policy) and a Cognito user revoked, the re-run
  // reading the ledger record back, then everything restored.
  'revoke-access': [
    'cognito-idp:AdminDisableUser',
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminResetUserPassword',
    'cognito-idp:AdminUserGlobalSignOut',
    'iam:DeleteLoginProfile',
    'iam:GetLoginProfile',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:GetUser',
    'iam:GetUserPolicy',
    'iam:ListAccessKeys',
    'iam:PutRolePolicy',
    'iam:PutUserPolicy',
    'iam:UpdateAccessKey',
    'kms:Decrypt',
    'kms:GenerateDataKey',
    's3:GetObject',
    's3:ListBucket',
    's3:PutObject',
    'sts:GetCallerIdentity',
  ],
  'restore-access': [
    'cognito-idp:AdminEnableUser',
    'cognito-idp:AdminGetUser',
    'iam:DeleteRolePolicy',
    'iam:DeleteUserPolicy',
    'iam:GetLoginProfile',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:GetUser',
    'iam:GetUserPolicy',
    'iam:ListAccessKeys',
    'iam:PutRolePolicy',
    'iam:UpdateAccessKey',
    'kms:Decrypt',
    'kms:GenerateDataKey',
    's3:GetObject',
    's3:ListBucket',
    's3:PutObject',
  ],
  // An ECS rollback to the previous ACTIVE revision: the marker tag first, then the update and the steady-state poll.
  rollback: ['ecs:DescribeServices', 'ecs:DescribeTaskDefinition', 'ecs:ListTagsForResource', 'ecs:ListTaskDefinitions', 'ecs:TagResource', 'ecs:UpdateService'],
};

/** Standing privilege for a button that does not exist yet: a finding, kept visible on purpose. */
const noStepYet = (capability: string) =>
  `FINDING: no step in this repository calls it; the kit attaches it for the planned ${capability} capability. ` +
  `Standing privilege without a button: drop the capability from createKit until its step lands, or keep it knowingly.`;

/**
 * A step calls it, but this test does not record the call yet: src/drill/iam/aws-request-actions.ts
 * maps no EC2, ECS, CloudWatch Logs or SSM request to IAM actions, so the grant cannot be judged
 * against a recorded call. The calls are exercised against moto in the capability's own tests.
 */
const notRecordedYet = (capability: string, test: string) =>
  `FINDING: ${capability} calls it (exercised against moto in ${test}), but this test cannot record the call yet: ` +
  `aws-request-actions.ts maps no EC2/ECS/Logs/SSM/Auto Scaling request. Map those services and add the capability's run to the recording.`;

const ISOLATE_CALLS = notRecordedYet('isolate / release', 'src/capabilities/isolate/isolate.int.test.ts');
const RESTART_CALLS = notRecordedYet('restart-service', 'src/capabilities/restart-service/restart-service.int.test.ts');
const RUN_COMMAND_CALLS = notRecordedYet('run-command', 'src/capabilities/run-command/run-command.int.test.ts');
const SNAPSHOT = noStepYet('snapshot');
/** Called by the evidence steps; their runs are recorded in their own moto tests, not yet in this one. */
const EVIDENCE = (step: string) =>
  `Called by ${step} (src/capabilities/${step}), exercised against moto in its own integration tests; its run is not recorded in this test yet, so the grant shows as unused here.`;
const TRIAGE = noStepYet('triage (GuardDuty reads: triage reads findings through preserve-evidence)');
const LOGS = EVIDENCE('preserve-evidence');

export const ACCEPTED_UNUSED_GRANTS: Record<string, string> = {
  'firebreak-snapshot/SnapshotTaggedDatabases/rds:CreateDBSnapshot': SNAPSHOT,
  'firebreak-snapshot/SnapshotTaggedDatabases/rds:CreateDBClusterSnapshot': SNAPSHOT,
  'firebreak-snapshot/CreateIncidentTaggedDbSnapshots/rds:CreateDBSnapshot': SNAPSHOT,
  'firebreak-snapshot/CreateIncidentTaggedDbSnapshots/rds:CreateDBClusterSnapshot': SNAPSHOT,
  'firebreak-snapshot/CreateIncidentTaggedDbSnapshots/rds:AddTagsToResource': SNAPSHOT,
  'firebreak-snapshot/SnapshotTaggedVolumes/ec2:CreateSnapshot': SNAPSHOT,
  'firebreak-snapshot/CreateIncidentTaggedVolumeSnapshots/ec2:CreateSnapshot': SNAPSHOT,
  'firebreak-snapshot/TagSnapshotsOnCreate/ec2:CreateTags': SNAPSHOT,
  'firebreak-snapshot/DescribeSnapshots/rds:DescribeDBSnapshots': SNAPSHOT,
  'firebreak-snapshot/DescribeSnapshots/rds:DescribeDBClusterSnapshots': SNAPSHOT,
  'firebreak-snapshot/DescribeSnapshots/rds:DescribeDBInstances': SNAPSHOT,
  'firebreak-snapshot/DescribeSnapshots/ec2:DescribeSnapshots': SNAPSHOT,
  'firebreak-snapshot/DescribeSnapshots/ec2:DescribeVolumes': SNAPSHOT,
  'firebreak-triage/ReadFindings/guardduty:GetDetector': TRIAGE,
  'firebreak-triage/ReadFindings/guardduty:ListFindings': TRIAGE,
  'firebreak-triage/ReadFindings/guardduty:GetFindings': TRIAGE,
  'firebreak-isolate/SwapGroupsOnTaggedInstances/ec2:ModifyInstanceAttribute': ISOLATE_CALLS,
  'firebreak-isolate/AttachQuarantineGroup/ec2:ModifyInstanceAttribute': ISOLATE_CALLS,
  'firebreak-isolate/RestoreGroupsInKitVpc/ec2:ModifyInstanceAttribute': ISOLATE_CALLS,
  'firebreak-isolate/RecordOriginalGroups/ec2:CreateTags': ISOLATE_CALLS,
  'firebreak-isolate/RecordOriginalGroups/ec2:DeleteTags': ISOLATE_CALLS,
  'firebreak-isolate/DescribeInstances/ec2:DescribeInstances': ISOLATE_CALLS,
  'firebreak-isolate/DescribeInstances/ec2:DescribeSecurityGroups': ISOLATE_CALLS,
  'firebreak-isolate/DescribeInstances/autoscaling:DescribeAutoScalingInstances': ISOLATE_CALLS,
  'firebreak-isolate/DetachAndReattachTaggedGroups/autoscaling:DetachInstances': ISOLATE_CALLS,
  'firebreak-isolate/DetachAndReattachTaggedGroups/autoscaling:AttachInstances': ISOLATE_CALLS,
  'firebreak-stop-tasks/CaptureAndStopTaggedTasks/ecs:DescribeTasks': ISOLATE_CALLS,
  'firebreak-stop-tasks/CaptureAndStopTaggedTasks/ecs:ListTagsForResource': ISOLATE_CALLS,
  'firebreak-stop-tasks/CaptureAndStopTaggedTasks/ecs:StopTask': ISOLATE_CALLS,
  'firebreak-stop-tasks/ReadTaskLogStreams/logs:GetLogEvents': ISOLATE_CALLS,
  'firebreak-block-network/ChangeTaggedGroupIngress/ec2:RevokeSecurityGroupIngress': ISOLATE_CALLS,
  'firebreak-block-network/ChangeTaggedGroupIngress/ec2:AuthorizeSecurityGroupIngress': ISOLATE_CALLS,
  'firebreak-block-network/ChangeTaggedAclEntries/ec2:CreateNetworkAclEntry': ISOLATE_CALLS,
  'firebreak-block-network/ChangeTaggedAclEntries/ec2:DeleteNetworkAclEntry': ISOLATE_CALLS,
  'firebreak-block-network/RecordBlocks/ec2:CreateTags': ISOLATE_CALLS,
  'firebreak-block-network/RecordBlocks/ec2:DeleteTags': ISOLATE_CALLS,
  'firebreak-block-network/DescribeNetwork/ec2:DescribeSecurityGroups': ISOLATE_CALLS,
  'firebreak-block-network/DescribeNetwork/ec2:DescribeSecurityGroupRules': ISOLATE_CALLS,
  'firebreak-block-network/DescribeNetwork/ec2:DescribeNetworkAcls': ISOLATE_CALLS,
  'firebreak-restart-service/UpdateTaggedServices/ecs:UpdateService': RESTART_CALLS,
  'firebreak-run-command/ReadAndSendVettedDocuments/ssm:GetDocument': RUN_COMMAND_CALLS,
  'firebreak-run-command/ReadAndSendVettedDocuments/ssm:SendCommand': RUN_COMMAND_CALLS,
  'firebreak-run-command/SendToTaggedInstances/ssm:SendCommand': RUN_COMMAND_CALLS,
  'firebreak-run-command/ReadCommandOutput/ssm:GetCommandInvocation': RUN_COMMAND_CALLS,
  'firebreak-preserve-evidence/WatchExportTasks/logs:DescribeExportTasks': LOGS,
  'firebreak-preserve-evidence/ExportAndReadKeptLogs/logs:CreateExportTask': LOGS,
  'firebreak-preserve-evidence/ListEvidencePrefix/s3:ListBucketVersions': LOGS,
  'firebreak-preserve-evidence/CopyFindings/guardduty:ListFindings': LOGS,
  'firebreak-preserve-evidence/CopyFindings/guardduty:GetFindings': LOGS,
  'firebreak-preserve-evidence/LookupCloudTrailEvents/cloudtrail:LookupEvents':
    'Called by preserve-evidence for cloudtrail: targets (src/capabilities/preserve-evidence/cloudtrail-source.ts), exercised against the moto harness\'s LookupEvents ' +
    'emulator in atlas-cloudtrail.int.test.ts; this test records the logs: and file: run only, so the grant shows as unused here.',
  'firebreak-audit-trail/ReadAuditRecords/s3:GetObject':
    'FINDING: EvidenceAuditStore reads only named versions (the first version of each record, which Object Lock keeps), ' +
    'authorised as s3:GetObjectVersion; nothing reads the current version of an audit/ object. Kept for readers that follow the ' +
    'current version (aws s3 cp); drop it from auditTrailStatements to make the trail readable only as written.',
};

/** GitHub operations (OpenAPI operationId) each step's real code made on the emulator, audit mirror included. */
export const OBSERVED_GITHUB_OPERATIONS: Record<string, string[]> = {
  declare: ['issues/create', 'issues/create-comment', 'issues/list-comments', 'issues/list-for-repo'],
  classify: ['issues/create-comment', 'issues/list-comments', 'issues/list-for-repo'],
  'post-update': ['issues/create-comment', 'issues/get', 'issues/list-comments', 'issues/list-for-repo', 'issues/set-labels', 'issues/update'],
  'incident-tick': ['issues/create-comment', 'issues/get', 'issues/list-comments', 'issues/list-for-repo', 'issues/update'],
  'record-containment': ['issues/create-comment', 'issues/get', 'issues/list-comments', 'issues/list-for-repo', 'issues/update'],
  'record-notification': ['issues/create-comment', 'issues/get', 'issues/list-comments', 'issues/list-for-repo', 'issues/update'],
  'write-postmortem': [
    'git/create-ref',
    'git/get-ref',
    'issues/create',
    'issues/create-comment',
    'issues/list-comments',
    'issues/list-for-repo',
    'pulls/create',
    'pulls/list',
    'repos/create-or-update-file-contents',
    'repos/get-content',
  ],
  'close-incident': ['issues/create-comment', 'issues/get', 'issues/list-comments', 'issues/list-for-repo', 'issues/set-labels', 'issues/update', 'pulls/get', 'pulls/list'],
};

/** Job permissions no recorded call needs (`<step>/unused|broader-than-needed/<permission>`), with why. */
const CHECKOUT = 'actions/checkout needs contents: read: the job runs ./actions/<step> (and reads firebreak.yml) from the checkout.';
export const ACCEPTED_GITHUB_FINDINGS: Record<string, string> = {
  'declare/unused/contents': CHECKOUT,
  'classify/unused/contents': CHECKOUT,
  'post-update/unused/contents': CHECKOUT,
  'incident-tick/unused/contents': CHECKOUT,
  'record-containment/unused/contents': CHECKOUT,
  'record-notification/unused/contents': CHECKOUT,
  'close-incident/unused/contents': CHECKOUT,
};
