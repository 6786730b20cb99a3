/**
 * The break-glass kit as one function of the validated config, so the stack (index.ts) stays a
 * few lines and the tests can build the whole thing under mocks.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { KitVariableKey } from '../src/core/names.js';
import { AlertAutomation } from './components/alert-automation.js';
import { AuditTrail, trailArn } from './components/audit-trail.js';
import { CloudflareBreakGlass } from './components/cloudflare-break-glass.js';
import { EvidenceStore } from './components/evidence-store.js';
import { IncidentEnvironment } from './components/incident-environment.js';
import { LogRetention } from './components/log-retention.js';
import { QuarantineSecurityGroup } from './components/quarantine-security-group.js';
import { RunCommandDocuments } from './components/run-command-documents.js';
import { AuditWriterRole, ResponderRole, type ResponderCapabilities } from './components/responder-role.js';
import { FleetMemberRole, fleetEnvironmentName } from './components/fleet-member-role.js';
import { SnapshotPolicy } from './components/snapshot-policy.js';
import { ThreatDetection } from './components/threat-detection.js';
import { TickScheduler } from './components/tick-scheduler.js';
import { WafBreakGlass } from './components/waf-break-glass.js';
import type { KitConfig } from './config.js';

export interface Kit {
  waf?: WafBreakGlass;
  cloudflare?: CloudflareBreakGlass;
  evidence: EvidenceStore;
  trail: AuditTrail;
  logs?: LogRetention;
  snapshots?: SnapshotPolicy;
  detection: ThreatDetection;
  quarantine?: QuarantineSecurityGroup;
  /** The vetted SSM documents run-command sends. */
  runCommand: RunCommandDocuments;
  responder: ResponderRole;
  environment: IncidentEnvironment;
  /** Appends audit records to the evidence bucket for the bookkeeping jobs; nothing else. */
  auditWriter: AuditWriterRole;
  /** The bookkeeping jobs' environment: no reviewers, only the audit writer's variables. */
  bookkeeping: IncidentEnvironment;
  /** Ticks on time: EventBridge Scheduler → repository_dispatch firebreak-tick (config `ticks`). */
  ticks?: TickScheduler;
  /** Alerts → incidents (config `alerts`): GuardDuty bridge, webhook relay, automation environment and role. */
  alerts?: AlertAutomation;
  /** Fleet (config `fleet`): the fleet jobs' environment in the home stack, the member role in a member stack. */
  fleet?: { environment?: IncidentEnvironment; memberRole?: FleetMemberRole };
  /** Every value written into the GitHub environment, by KIT_VARIABLES key. */
  variables: Partial<Record<KitVariableKey, pulumi.Input<string>>>;
}

/** Secret config values, read by index.ts with `requireSecret` so they stay encrypted in state. */
export interface KitSecrets {
  /** Token for repository_dispatch (Contents: write on the repository); needed with `ticks`. */
  ticksGithubToken?: pulumi.Input<string>;
  /** Token for the alert bridge's repository_dispatch (Contents: write); needed with `alerts`. */
  alertsGithubToken?: pulumi.Input<string>;
  /** The relay's sender secrets, one per sender turned on under `alerts.relay`. */
  alertRelaySecrets?: { alertmanager?: pulumi.Input<string>; cloudflare?: pulumi.Input<string> };
}

export function createKit(config: KitConfig, secrets: KitSecrets = {}): Kit {
  if (config.ticks && secrets.ticksGithubToken === undefined) {
    throw new Error('firebreak:ticks is set but firebreak:ticksGithubToken is not: pulumi config set --secret firebreak:ticksGithubToken <token>');
  }
  checkAlertSecrets(config, secrets);
  const region = aws.getRegionOutput().region;
  const identity = aws.getCallerIdentityOutput();
  const partition = aws.getPartitionOutput().partition;
  const auditTrailArn = pulumi
    .all([partition, region, identity.accountId])
    .apply(([p, r, a]) => trailArn(p, r, a, config.evidence.trailName));

  const waf = config.waf
    ? new WafBreakGlass('firebreak-waf', {
        scope: config.waf.scope,
        ...(config.waf.namePrefix ? { namePrefix: config.waf.namePrefix } : {}),
        rateLimit: config.waf.rateLimit,
        rateWindowSeconds: config.waf.rateWindowSeconds,
        ...(config.waf.webAclArn ? { webAclArn: config.waf.webAclArn, webAclPriority: config.waf.webAclPriority } : {}),
      })
    : undefined;

  const cloudflare = config.cloudflare
    ? new CloudflareBreakGlass('firebreak-cloudflare', {
        accountId: config.cloudflare.accountId,
        zoneId: config.cloudflare.zoneId,
        listName: config.cloudflare.listName,
        rateLimit: config.cloudflare.rateLimit,
      })
    : undefined;

  const evidence = new EvidenceStore('firebreak-evidence', {
    retentionDays: config.evidence.retentionDays,
    lockMode: config.evidence.lockMode,
    prefix: config.evidence.prefix,
    archiveAfterDays: config.evidence.archiveAfterDays,
    ...(config.evidence.bucketName ? { bucketName: config.evidence.bucketName } : {}),
    cloudTrailArns: [auditTrailArn],
  });
  const trail = new AuditTrail(
    'firebreak-audit',
    { trailName: config.evidence.trailName, bucketName: evidence.bucketName, kmsKeyArn: evidence.kmsKeyArn },
    { dependsOn: [evidence] },
  );

  const logs =
    config.logs.groups.length > 0
      ? new LogRetention('firebreak-logs', { logGroupNames: config.logs.groups, retentionDays: config.logs.retentionDays })
      : undefined;

  const snapshots = config.backup
    ? new SnapshotPolicy('firebreak-backup', {
        tagKey: config.backup.tag.key,
        tagValue: config.backup.tag.value,
        retentionDays: config.backup.retentionDays,
        ...(config.backup.schedule ? { schedule: config.backup.schedule } : {}),
        ...(config.backup.lockChangeableForDays !== undefined ? { lockChangeableForDays: config.backup.lockChangeableForDays } : {}),
      })
    : undefined;

  const detection = new ThreatDetection(
    'firebreak-guardduty',
    config.aws.existingDetectorId ? { existingDetectorId: config.aws.existingDetectorId } : {},
  );

  const quarantine = config.aws.quarantineVpcId
    ? new QuarantineSecurityGroup('firebreak-quarantine', { vpcId: config.aws.quarantineVpcId })
    : undefined;

  const runCommand = new RunCommandDocuments('firebreak-run-command', { prefix: config.aws.runCommandDocumentPrefix });

  const capabilities: ResponderCapabilities = {
    preserveEvidence: {
      bucketArn: evidence.bucketArn,
      prefix: config.evidence.prefix,
      kmsKeyArn: evidence.kmsKeyArn,
      logGroupNames: config.logs.groups,
      detectorId: detection.detectorId,
    },
    rotateSecret: { tag: config.aws.rotatableSecretTag },
    revokeAccess: {},
    snapshot: { tag: config.aws.snapshotTag },
    triage: { detectorId: detection.detectorId, logGroupNames: config.logs.groups },
    verifyHealth: {},
    auditTrail: { bucketArn: evidence.bucketArn, kmsKeyArn: evidence.kmsKeyArn },
    stopTasks: { tag: config.aws.isolatableInstanceTag },
    blockNetwork: { tag: config.aws.isolatableInstanceTag },
    restartService: { tag: config.aws.restartableServiceTag },
    runCommand: { documentNames: runCommand.names, tag: config.aws.runCommandInstanceTag },
  };
  if (config.notify && (config.notify.snsTopicArns.length || config.notify.sesIdentityArns.length)) {
    capabilities.notify = { snsTopicArns: config.notify.snsTopicArns, sesIdentityArns: config.notify.sesIdentityArns };
  }
  if (waf) {
    const wafSets = { ruleGroupArn: waf.ruleGroupArn, regexSetArn: waf.routeRegexSetArn, ipSetArns: [waf.ipv4SetArn, waf.ipv6SetArn] };
    capabilities.blockIps = { ipSetArns: [waf.ipv4SetArn, waf.ipv6SetArn, ...(config.waf?.blockIpSetArns ?? [])] };
    capabilities.disableRoutes = wafSets;
    capabilities.limitRate = wafSets;
  }
  if (config.aws.rollbackClusters) capabilities.rollback = { clusters: config.aws.rollbackClusters };
  if (quarantine) {
    capabilities.isolate = {
      quarantineSecurityGroupId: quarantine.securityGroupId,
      vpcId: quarantine.vpcId,
      tag: config.aws.isolatableInstanceTag,
    };
  }
  // Fleet home stack: the responder role may assume exactly the listed member roles, and trusts the
  // generated fleet workflows' jobs in `<environment>-fleet` (docs/operators/fleet.md).
  const fleetHome = config.fleet !== undefined && (config.fleet.memberRoleArns.length > 0 || config.fleet.member === undefined);
  if (fleetHome && config.fleet!.memberRoleArns.length > 0) capabilities.fleet = { memberRoleArns: config.fleet!.memberRoleArns };
  const responder = new ResponderRole('firebreak-responder', {
    repository: config.github.repository,
    environment: config.github.environment,
    ...(fleetHome ? { fleet: { environment: fleetEnvironmentName(config.github.environment), branches: config.github.branches } } : {}),
    ...(config.aws.existingOidcProviderArn ? { existingOidcProviderArn: config.aws.existingOidcProviderArn } : {}),
    ...(config.github.reusableWorkflow ? { reusableWorkflow: config.github.reusableWorkflow } : {}),
    capabilities,
  });

  const variables: Partial<Record<KitVariableKey, pulumi.Input<string>>> = {
    // The kit's Region is the provider's; CLOUDFRONT-scoped WAF objects live in us-east-1 regardless.
    awsRegion: region,
    responderRoleArn: responder.roleArn,
    evidenceBucket: evidence.bucketName,
    evidencePrefix: evidence.prefix,
    evidenceKmsKeyArn: evidence.kmsKeyArn,
    guardDutyDetectorId: detection.detectorId,
  };
  if (logs) variables.logGroups = logs.logGroupNames.apply((g) => g.join(','));
  if (snapshots) variables.backupVaultName = snapshots.vaultName;
  if (quarantine) variables.quarantineSecurityGroupId = quarantine.securityGroupId;
  if (config.argocd) variables.argocdServer = config.argocd.server;
  variables.ssmDocumentPrefix = runCommand.prefix;
  if (waf) {
    Object.assign(variables, {
      wafScope: waf.scope,
      wafIpSetV4Arn: waf.ipv4SetArn,
      wafIpSetV4Id: waf.ipv4SetId,
      wafIpSetV4Name: waf.ipv4SetName,
      wafIpSetV6Arn: waf.ipv6SetArn,
      wafIpSetV6Id: waf.ipv6SetId,
      wafIpSetV6Name: waf.ipv6SetName,
      wafRouteRegexSetArn: waf.routeRegexSetArn,
      wafRouteRegexSetId: waf.routeRegexSetId,
      wafRouteRegexSetName: waf.routeRegexSetName,
      wafRuleGroupArn: waf.ruleGroupArn,
      wafRuleGroupId: waf.ruleGroupId,
      wafRuleGroupName: waf.ruleGroupName,
      wafRateRuleName: waf.rateRuleName,
    } satisfies Partial<Record<KitVariableKey, pulumi.Input<string>>>);
  }
  if (cloudflare) {
    Object.assign(variables, {
      cloudflareAccountId: cloudflare.accountId,
      cloudflareZoneId: cloudflare.zoneId,
      cloudflareListId: cloudflare.listId,
      cloudflareListName: cloudflare.listName,
      cloudflareCustomRulesetId: cloudflare.customRulesetId,
      cloudflareRouteRuleId: cloudflare.routeRuleId,
      cloudflareRateLimitRulesetId: cloudflare.rateLimitRulesetId,
      cloudflareRateLimitRuleId: cloudflare.rateLimitRuleId,
    } satisfies Partial<Record<KitVariableKey, pulumi.Input<string>>>);
  }

  // The github provider's `owner` setting names the owner; the resources take the bare name.
  const repo = config.github.repository.split('/')[1] ?? config.github.repository;
  const environment = new IncidentEnvironment('firebreak-environment', {
    repository: repo,
    environment: config.github.environment,
    reviewerUsers: config.github.reviewers,
    reviewerTeams: config.github.reviewerTeams,
    requireReviewers: config.github.requireReviewers,
    deploymentBranches: config.github.branches,
    variables,
  });

  // The bookkeeping jobs copy their audit records to the bucket with a role that can do nothing else.
  const auditWriter = new AuditWriterRole('firebreak-audit-writer', {
    repository: config.github.repository,
    environment: config.github.incidentEnvironment,
    oidcProviderArn: responder.oidcProviderArn,
    ...(config.github.reusableWorkflow ? { reusableWorkflow: config.github.reusableWorkflow } : {}),
    bucketArn: evidence.bucketArn,
    kmsKeyArn: evidence.kmsKeyArn,
    ...(capabilities.notify ? { notify: capabilities.notify } : {}),
  });
  const bookkeeping = new IncidentEnvironment('firebreak-bookkeeping', {
    repository: repo,
    environment: config.github.incidentEnvironment,
    requireReviewers: false,
    deploymentBranches: config.github.branches,
    variables: { awsRegion: region, evidenceBucket: evidence.bucketName, auditRoleArn: auditWriter.roleArn },
  });

  // Fleet: the plan/apply jobs' environment (no reviewers; the gate job in the protected environment
  // is the one approval) in the home stack; the member role in a member account's stack.
  const fleet: NonNullable<Kit['fleet']> = {};
  if (fleetHome) {
    fleet.environment = new IncidentEnvironment('firebreak-fleet-environment', {
      repository: repo,
      environment: fleetEnvironmentName(config.github.environment),
      requireReviewers: false,
      deploymentBranches: config.github.branches,
      variables: { awsRegion: region, responderRoleArn: responder.roleArn },
    });
  }
  if (config.fleet?.member) {
    fleet.memberRole = new FleetMemberRole('firebreak-fleet-member', {
      responderRoleArn: config.fleet.member.responderRoleArn,
      ipSetArns: [...(waf ? [waf.ipv4SetArn, waf.ipv6SetArn, ...(config.waf?.blockIpSetArns ?? [])] : []), ...config.fleet.member.ipSetArns],
      rotateSecret: { tag: config.aws.rotatableSecretTag, ...(config.fleet.member.regions ? { regions: config.fleet.member.regions } : {}) },
    });
  }

  const ticks = config.ticks
    ? new TickScheduler('firebreak-ticks', {
        repository: config.github.repository,
        githubToken: secrets.ticksGithubToken!,
        everyMinutes: config.ticks.everyMinutes,
        ...(config.ticks.apiUrl ? { apiUrl: config.ticks.apiUrl } : {}),
      })
    : undefined;

  // Alerts (issue 16): opt-in with the `alerts` section; its own environment and narrower role.
  const alerts = config.alerts
    ? new AlertAutomation('firebreak-alerts', {
        repository: config.github.repository,
        environment: config.alerts.environment,
        automate: config.alerts.automate,
        oidcProviderArn: responder.oidcProviderArn,
        ...(config.github.reusableWorkflow ? { reusableWorkflow: config.github.reusableWorkflow } : {}),
        capabilities,
        variables,
        deploymentBranches: config.github.branches,
        githubToken: secrets.alertsGithubToken!,
        minSeverity: config.alerts.guardDutyMinSeverity,
        rateLimitPerSecond: config.alerts.rateLimitPerSecond,
        ...(config.alerts.apiUrl ? { githubApiUrl: config.alerts.apiUrl } : {}),
        ...(config.alerts.relay ? { relay: { secrets: relaySecrets(config, secrets), rateLimitPerSecond: config.alerts.relay.rateLimitPerSecond } } : {}),
      })
    : undefined;

  return {
    ...(waf ? { waf } : {}),
    ...(ticks ? { ticks } : {}),
    ...(alerts ? { alerts } : {}),
    ...(config.fleet ? { fleet } : {}),
    ...(cloudflare ? { cloudflare } : {}),
    evidence,
    trail,
    ...(logs ? { logs } : {}),
    ...(snapshots ? { snapshots } : {}),
    detection,
    ...(quarantine ? { quarantine } : {}),
    runCommand,
    responder,
    environment,
    auditWriter,
    bookkeeping,
    variables,
  };
}

/** The secrets of the senders turned on, and no others (a sender is on only by config). */
function relaySecrets(config: KitConfig, secrets: KitSecrets): NonNullable<KitSecrets['alertRelaySecrets']> {
  const out: NonNullable<KitSecrets['alertRelaySecrets']> = {};
  for (const sender of ['alertmanager', 'cloudflare'] as const) {
    const secret = secrets.alertRelaySecrets?.[sender];
    if (config.alerts?.relay?.[sender] && secret !== undefined) out[sender] = secret;
  }
  return out;
}

/** Refuses alerts without the secrets they need, before anything is created. */
function checkAlertSecrets(config: KitConfig, secrets: KitSecrets): void {
  if (!config.alerts) return;
  if (secrets.alertsGithubToken === undefined) throw new Error('firebreak:alerts is set but firebreak:alertsGithubToken is not: pulumi config set --secret firebreak:alertsGithubToken <token>');
  for (const sender of ['alertmanager', 'cloudflare'] as const) {
    if (config.alerts.relay?.[sender] && secrets.alertRelaySecrets?.[sender] === undefined) {
      const key = `alertRelay${sender[0]!.toUpperCase()}${sender.slice(1)}Secret`;
      throw new Error(`firebreak:alerts.relay.${sender} is on but firebreak:${key} is not: pulumi config set --secret firebreak:${key} "$(openssl rand -hex 32)"`);
    }
  }
}
