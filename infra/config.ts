/**
 * The stack's configuration, validated in one place. `pulumi config` stores each section as an
 * object under the `firebreak:` namespace (see Pulumi.example.yaml); a bad value stops
 * `pulumi up` before anything is created, with the key path that is wrong.
 */
import { z } from 'zod';
import { REUSABLE_WORKFLOW_PATTERN } from './components/reusable-workflow.js';

const tag = z.object({ key: z.string().min(1).max(128), value: z.string().max(256) }).strict();

const github = z
  .object({
    /** `owner/repo`. */
    repository: z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'must be "owner/repo"'),
    environment: z.string().regex(/^[^*?:/]{1,255}$/, 'must be a plain environment name').default('incident'),
    /**
     * Environment of the incident bookkeeping workflows (declare, updates, ticks, close): no
     * reviewers; the kit gives it only the audit-writer role and the evidence bucket's name.
     */
    incidentEnvironment: z.string().regex(/^[^*?:/]{1,255}$/, 'must be a plain environment name').default('firebreak-incident'),
    reviewers: z.array(z.string().min(1)).default([]),
    reviewerTeams: z.array(z.string().min(1)).default([]),
    /** false on Free/Pro/Team private repositories, where GitHub offers no required reviewers. */
    requireReviewers: z.boolean().default(true),
    branches: z.array(z.string().min(1)).min(1).default(['main']),
    /**
     * When the buttons are firebreak's reusable workflows called from this repository: both roles
     * trust only jobs of that workflow (OIDC `job_workflow_ref`, StringLike), e.g.
     * `acme/firebreak/.github/workflows/reusable-*.yml@<commit sha>`.
     */
    reusableWorkflow: z
      .string()
      .regex(REUSABLE_WORKFLOW_PATTERN, 'must look like owner/repo/.github/workflows/<file>.yml@<ref> (* and ? only in the file name and the ref)')
      .optional(),
  })
  .strict();

const waf = z
  .object({
    scope: z.enum(['REGIONAL', 'CLOUDFRONT']).default('REGIONAL'),
    namePrefix: z.string().regex(/^[\w-]{1,100}$/).optional(),
    webAclArn: z.string().startsWith('arn:').optional(),
    webAclPriority: z.number().int().min(0).default(0),
    rateLimit: z.number().int().min(10).max(2_000_000_000).default(2000),
    rateWindowSeconds: z.union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)]).default(300),
    /**
     * IP sets the kit does not create that firebreak.yml lists under `blocking.waf.ip_sets` (e.g. a
     * CLOUDFRONT pair): block-ips writes to them, so the responder role must be allowed to.
     */
    blockIpSetArns: z.array(z.string().regex(/^arn:[\w-]+:wafv2:[a-z0-9-]+:\d{12}:(regional|global)\/ipset\/[\w-]+\/[\w-]+$/, 'must be a WAFv2 IP set ARN')).default([]),
  })
  .strict();

const cloudflare = z
  .object({
    accountId: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character hex account id'),
    zoneId: z.string().regex(/^[0-9a-f]{32}$/, 'must be a 32-character hex zone id'),
    listName: z.string().regex(/^[a-z0-9_]{1,50}$/, 'must match ^[a-z0-9_]+$, at most 50 characters').default('firebreak_blocked'),
    rateLimit: z
      .object({
        requestsPerPeriod: z.number().int().positive().default(100),
        period: z.number().int().positive().default(10),
        mitigationTimeout: z.number().int().positive().default(10),
        expression: z.string().min(1).optional(),
      })
      .strict()
      .default({ requestsPerPeriod: 100, period: 10, mitigationTimeout: 10 }),
  })
  .strict();

/** Argo CD, for rollback: the API server the responder's token talks to (the token is a secret, never config). */
const argocd = z
  .object({
    server: z.string().regex(/^https:\/\/[^\s/]+(?:\/[^\s]*)?$/, 'must be an https:// URL of the Argo CD API server'),
  })
  .strict();

const evidence = z
  .object({
    retentionDays: z.number().int().min(1).max(36500).default(365),
    lockMode: z.enum(['COMPLIANCE', 'GOVERNANCE']).default('COMPLIANCE'),
    bucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/).optional(),
    prefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+\/$/).default('incidents/'),
    archiveAfterDays: z.number().int().min(1).default(90),
    trailName: z.string().regex(/^[A-Za-z0-9][\w.-]{2,127}$/).default('firebreak-audit'),
  })
  .strict();

const logs = z
  .object({
    groups: z.array(z.string().min(1)).default([]),
    retentionDays: z.number().int().min(1).max(3653).default(365),
  })
  .strict();

const backup = z
  .object({
    tag: tag.default({ key: 'firebreak:backup', value: 'true' }),
    retentionDays: z.number().int().min(1).default(35),
    schedule: z.string().startsWith('cron(').optional(),
    lockChangeableForDays: z.number().int().min(3).optional(),
  })
  .strict();

const aws = z
  .object({
    /** Reuse the account's GitHub OIDC provider (an account has one per URL). */
    existingOidcProviderArn: z.string().startsWith('arn:').optional(),
    /** Reuse the Region's GuardDuty detector (one per account and Region). */
    existingDetectorId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
    /** VPC of the quarantine security group; without it isolate has no group to swap in. */
    quarantineVpcId: z.string().startsWith('vpc-').optional(),
    /** ECS clusters whose services rollback may move to an earlier task definition; omit for no ECS rollback. */
    rollbackClusters: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,255}$/)).min(1).optional(),
    /** Only resources with these tags are within the responder role's reach. */
    rotatableSecretTag: tag.default({ key: 'firebreak:rotatable', value: 'true' }),
    isolatableInstanceTag: tag.default({ key: 'firebreak:isolatable', value: 'true' }),
    snapshotTag: tag.default({ key: 'firebreak:snapshot', value: 'true' }),
    /** ECS services restart-service may update. */
    restartableServiceTag: tag.default({ key: 'firebreak:restartable', value: 'true' }),
    /** Instances run-command may send the kit's vetted documents to. */
    runCommandInstanceTag: tag.default({ key: 'firebreak:run-command', value: 'true' }),
    /** Prefix of the vetted SSM documents (`<prefix>-HostHealth`, …). */
    runCommandDocumentPrefix: z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/).default('firebreak'),
  })
  .strict();

/**
 * Incident ticks on time (docs/operators/ticks.md): an EventBridge Scheduler schedule that sends
 * repository_dispatch `firebreak-tick`. The GitHub token comes from the secret config value
 * `firebreak:ticksGithubToken` (`pulumi config set --secret`), never from this section.
 */
const ticks = z
  .object({
    everyMinutes: z.number().int().refine((n) => n >= 1 && 60 % n === 0, 'must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30)').default(5),
    apiUrl: z.string().startsWith('https://').optional(),
  })
  .strict();

/**
 * Alerts open incidents (docs/operators/alerts.md): the GuardDuty bridge, the optional webhook
 * relay, and the reviewer-less environment alert.yml runs in, with a role that can do only what
 * `automate` lists. The GitHub token is the secret config value `firebreak:alertsGithubToken`;
 * the relay's sender secrets are `firebreak:alertRelayAlertmanagerSecret` /
 * `firebreak:alertRelayCloudflareSecret`. Never values in this section.
 */
const alerts = z
  .object({
    environment: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be a plain environment name').default('firebreak-automation'),
    /** Capabilities alert rules may apply (alerts.automation in firebreak.yml): the role gets their grants only. */
    automate: z.array(z.enum(['block-ips', 'disable-routes', 'limit-rate', 'isolate', 'preserve-evidence', 'snapshot', 'freeze', 'post-update', 'classify'])).default(['block-ips']),
    /** GuardDuty findings at or above this severity are sent (4 medium, 7 high, 9 critical). */
    guardDutyMinSeverity: z.number().min(1).max(10).default(7),
    /** Dispatches per second at most (GitHub's rate limit is per token). */
    rateLimitPerSecond: z.number().int().min(1).max(100).default(1),
    apiUrl: z.string().startsWith('https://').optional(),
    /** The webhook relay for senders that cannot call repository_dispatch; each sender is opt-in. */
    relay: z
      .object({
        alertmanager: z.boolean().default(false),
        cloudflare: z.boolean().default(false),
        rateLimitPerSecond: z.number().int().min(1).max(1000).default(5),
      })
      .strict()
      .refine((r) => r.alertmanager || r.cloudflare, 'turn on alertmanager or cloudflare (or leave relay out)')
      .optional(),
  })
  .strict();

const ROLE_ARN = /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/;

/**
 * Fleet (docs/operators/fleet.md). In the home stack, `memberRoleArns`: the fleet member roles the
 * responder role may assume (exactly those ARNs: the `role_arn` of each AWS fleet target). In a
 * member account's stack, `member.responderRoleArn`: the home responder role the kit's
 * FleetMemberRole trusts, and nothing else.
 */
const fleet = z
  .object({
    memberRoleArns: z.array(z.string().regex(ROLE_ARN, 'must be an IAM role ARN (no wildcards)')).default([]),
    member: z
      .object({
        responderRoleArn: z.string().regex(ROLE_ARN, 'must be the home stack\'s responderRoleArn output (an IAM role ARN)'),
        /** Regions of this account's secrets rotate-secret may reach (IAM roles are global; default: this stack's). */
        /** The kit IP sets of this account's OTHER regions' stacks (block-ips; this stack's are included). */
        ipSetArns: z.array(z.string().regex(/^arn:[\w-]+:wafv2:[a-z0-9-]+:\d{12}:(regional|global)\/ipset\/[\w-]+\/[\w-]+$/, 'must be a WAFv2 IP set ARN')).default([]),
        regions: z.array(z.string().regex(/^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, 'must be an AWS region')).min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const kitConfigSchema = z
  .object({
    github,
    aws: aws.default({
      rotatableSecretTag: { key: 'firebreak:rotatable', value: 'true' },
      isolatableInstanceTag: { key: 'firebreak:isolatable', value: 'true' },
      snapshotTag: { key: 'firebreak:snapshot', value: 'true' },
      restartableServiceTag: { key: 'firebreak:restartable', value: 'true' },
      runCommandInstanceTag: { key: 'firebreak:run-command', value: 'true' },
      runCommandDocumentPrefix: 'firebreak',
    }),
    waf: waf.optional(),
    /** notify's AWS channels: the SNS topics it may publish to and the SES identities it may send as. */
    notify: z
      .object({
        snsTopicArns: z.array(z.string().startsWith('arn:')).default([]),
        sesIdentityArns: z.array(z.string().startsWith('arn:')).default([]),
      })
      .strict()
      .optional(),
    cloudflare: cloudflare.optional(),
    evidence: evidence.default({
      retentionDays: 365,
      lockMode: 'COMPLIANCE',
      prefix: 'incidents/',
      archiveAfterDays: 90,
      trailName: 'firebreak-audit',
    }),
    logs: logs.default({ groups: [], retentionDays: 365 }),
    backup: backup.optional(),
    argocd: argocd.optional(),
    ticks: ticks.optional(),
    alerts: alerts.optional(),
    fleet: fleet.optional(),
  })
  .strict();

export type KitConfig = z.infer<typeof kitConfigSchema>;

/** The config sections, as `pulumi config` would hold them under `firebreak:`. */
export const KIT_CONFIG_KEYS = ['github', 'aws', 'waf', 'cloudflare', 'evidence', 'logs', 'backup', 'argocd', 'ticks', 'alerts', 'fleet'] as const;

/** Validates raw sections; throws one error listing every problem as `firebreak:<path>: message`. */
export function parseKitConfig(raw: Record<string, unknown>): KitConfig {
  const result = kitConfigSchema.safeParse(raw);
  if (result.success) {
    const cfg = result.data;
    if (cfg.github.requireReviewers && cfg.github.reviewers.length + cfg.github.reviewerTeams.length === 0) {
      throw new Error('invalid stack config:\n  firebreak:github.reviewers: name at least one reviewer, or set requireReviewers: false');
    }
    if (cfg.github.incidentEnvironment === cfg.github.environment) {
      throw new Error('invalid stack config:\n  firebreak:github.incidentEnvironment: must differ from github.environment (the bookkeeping environment has no reviewers)');
    }
    if (cfg.alerts && [cfg.github.environment, cfg.github.incidentEnvironment].includes(cfg.alerts.environment)) {
      throw new Error('invalid stack config:\n  firebreak:alerts.environment: must differ from github.environment and github.incidentEnvironment (it has its own, narrower role)');
    }
    return cfg;
  }
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `  firebreak:${path || '(root)'}: ${issue.message}`;
  });
  throw new Error(`invalid stack config:\n${lines.join('\n')}`);
}

/** Reads the sections from a `pulumi.Config('firebreak')`-like getter and validates them. */
export function readKitConfig(getObject: (key: string) => unknown): KitConfig {
  const raw: Record<string, unknown> = {};
  for (const key of KIT_CONFIG_KEYS) {
    const value = getObject(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseKitConfig(raw);
}
