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
  'sweep-expired': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
  preflight: ['sts:GetCallerIdentity'],
  // The bucket mirror, `audit push`, `audit pull` and `audit verify --incident` (the audit writer role makes the same calls).
  'audit-trail': ['kms:Decrypt', 'kms:GenerateDataKey', 's3:GetObjectVersion', 's3:ListBucketVersions', 's3:PutObject'],
  // A topic fan-out (SMS subscribers) and an e-mail, to the topic and as the identity the kit lists.
  notify: ['ses:SendEmail', 'sns:Publish'],
  // A plain rotation, a JSON-key rotation, a rollback and the `aws` alphabet, on secrets carrying the kit tag.
  'rotate-secret': [
    'secretsmanager:DescribeSecret',
    'secretsmanager:GetRandomPassword',
    'secretsmanager:GetSecretValue',
    'secretsmanager:ListSecretVersionIds',
    'secretsmanager:PutSecretValue',
    'secretsmanager:UpdateSecretVersionStage',
  ],
};

/** Standing privilege for a button that does not exist yet: a finding, kept visible on purpose. */
const noStepYet = (capability: string) =>
  `FINDING: no step in this repository calls it; the kit attaches it for the planned ${capability} capability. ` +
  `Standing privilege without a button: drop the capability from createKit until its step lands, or keep it knowingly.`;

const SNAPSHOT = noStepYet('snapshot');
const TRIAGE = noStepYet('triage');
const ISOLATE = noStepYet('isolate');
const ROUTES = noStepYet('disable-routes');
const RATE = noStepYet('limit-rate');
const LOGS = noStepYet('preserve-evidence (log export)');

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
  'firebreak-isolate/SwapGroupsOnTaggedInstances/ec2:ModifyInstanceAttribute': ISOLATE,
  'firebreak-isolate/AttachQuarantineGroup/ec2:ModifyInstanceAttribute': ISOLATE,
  'firebreak-isolate/RestoreGroupsInKitVpc/ec2:ModifyInstanceAttribute': ISOLATE,
  'firebreak-isolate/RecordOriginalGroups/ec2:CreateTags': ISOLATE,
  'firebreak-isolate/DescribeInstances/ec2:DescribeInstances': ISOLATE,
  'firebreak-isolate/DescribeInstances/ec2:DescribeSecurityGroups': ISOLATE,
  'firebreak-preserve-evidence/WatchExportTasks/logs:DescribeExportTasks': LOGS,
  'firebreak-preserve-evidence/WatchExportTasks/logs:DescribeLogGroups': LOGS,
  'firebreak-preserve-evidence/ExportAndReadKeptLogs/logs:CreateExportTask': LOGS,
  'firebreak-preserve-evidence/ExportAndReadKeptLogs/logs:FilterLogEvents': LOGS,
  'firebreak-disable-routes/ReadAndUpdateBreakGlassRuleGroup/wafv2:GetRuleGroup': ROUTES,
  'firebreak-disable-routes/ReadAndUpdateBreakGlassRuleGroup/wafv2:UpdateRuleGroup': ROUTES,
  'firebreak-disable-routes/ReadAndReplaceDisabledRoutes/wafv2:GetRegexPatternSet': ROUTES,
  'firebreak-disable-routes/ReadAndReplaceDisabledRoutes/wafv2:UpdateRegexPatternSet': ROUTES,
  'firebreak-limit-rate/ReadAndUpdateBreakGlassRuleGroup/wafv2:GetRuleGroup': RATE,
  'firebreak-limit-rate/ReadAndUpdateBreakGlassRuleGroup/wafv2:UpdateRuleGroup': RATE,
  'firebreak-limit-rate/ReadAndReplaceDisabledRoutes/wafv2:GetRegexPatternSet': RATE,
  'firebreak-limit-rate/ReadAndReplaceDisabledRoutes/wafv2:UpdateRegexPatternSet': RATE,
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
