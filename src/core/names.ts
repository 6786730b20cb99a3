/**
 * One source of truth for the names `pulumi up` writes into the protected GitHub environment and
 * the names actions and the CLI read. The kit (infra/) writes every entry of KIT_VARIABLES; the
 * steps read them through `readKitVariables`. A test checks both directions.
 *
 * Add a name here, never as a string literal elsewhere.
 */
export const KIT_VARIABLES = {
  /** AWS region of the regional break-glass kit. */
  awsRegion: 'FIREBREAK_AWS_REGION',
  /** ARN of the responder role GitHub Actions assumes through OIDC. */
  responderRoleArn: 'FIREBREAK_RESPONDER_ROLE_ARN',

  // AWS WAFv2 (infra/components/waf-break-glass.ts). One IP set per address family.
  /** `REGIONAL` or `CLOUDFRONT` (CLOUDFRONT sets are called in us-east-1). */
  wafScope: 'FIREBREAK_WAF_SCOPE',
  wafIpSetV4Arn: 'FIREBREAK_WAF_IPSET_V4_ARN',
  wafIpSetV4Id: 'FIREBREAK_WAF_IPSET_V4_ID',
  wafIpSetV4Name: 'FIREBREAK_WAF_IPSET_V4_NAME',
  wafIpSetV6Arn: 'FIREBREAK_WAF_IPSET_V6_ARN',
  wafIpSetV6Id: 'FIREBREAK_WAF_IPSET_V6_ID',
  wafIpSetV6Name: 'FIREBREAK_WAF_IPSET_V6_NAME',
  /** Regex pattern set whose patterns are the routes the kill-switch rule blocks. */
  wafRouteRegexSetArn: 'FIREBREAK_WAF_ROUTE_REGEX_SET_ARN',
  wafRouteRegexSetId: 'FIREBREAK_WAF_ROUTE_REGEX_SET_ID',
  wafRouteRegexSetName: 'FIREBREAK_WAF_ROUTE_REGEX_SET_NAME',
  wafRuleGroupArn: 'FIREBREAK_WAF_RULE_GROUP_ARN',
  wafRuleGroupId: 'FIREBREAK_WAF_RULE_GROUP_ID',
  wafRuleGroupName: 'FIREBREAK_WAF_RULE_GROUP_NAME',
  /** Name of the rate-based rule inside the rule group (limit-rate changes its limit). */
  wafRateRuleName: 'FIREBREAK_WAF_RATE_RULE_NAME',

  // Cloudflare (infra/components/cloudflare-break-glass.ts).
  cloudflareAccountId: 'FIREBREAK_CLOUDFLARE_ACCOUNT_ID',
  cloudflareZoneId: 'FIREBREAK_CLOUDFLARE_ZONE_ID',
  cloudflareListId: 'FIREBREAK_CLOUDFLARE_LIST_ID',
  /** Referenced in rule expressions as `$name`. */
  cloudflareListName: 'FIREBREAK_CLOUDFLARE_LIST_NAME',
  /** The zone's `http_request_firewall_custom` entry-point ruleset. */
  cloudflareCustomRulesetId: 'FIREBREAK_CLOUDFLARE_CUSTOM_RULESET_ID',
  /** The route kill-switch custom rule (disabled until disable-routes turns it on). */
  cloudflareRouteRuleId: 'FIREBREAK_CLOUDFLARE_ROUTE_RULE_ID',
  /** The zone's `http_ratelimit` entry-point ruleset and its one rule. */
  cloudflareRateLimitRulesetId: 'FIREBREAK_CLOUDFLARE_RATELIMIT_RULESET_ID',
  cloudflareRateLimitRuleId: 'FIREBREAK_CLOUDFLARE_RATELIMIT_RULE_ID',

  // Evidence and forensics (infra/components/evidence-store.ts and friends).
  evidenceBucket: 'FIREBREAK_EVIDENCE_BUCKET',
  /** Key prefix the responder role may write under (e.g. `incidents/`). */
  evidencePrefix: 'FIREBREAK_EVIDENCE_PREFIX',
  evidenceKmsKeyArn: 'FIREBREAK_EVIDENCE_KMS_KEY_ARN',
  /**
   * Role the incident bookkeeping jobs assume to append audit records to the evidence bucket
   * (written into their environment, not the responders').
   */
  auditRoleArn: 'FIREBREAK_AUDIT_ROLE_ARN',
  /** Comma-separated CloudWatch log group names the kit keeps and preserve-evidence exports. */
  logGroups: 'FIREBREAK_LOG_GROUPS',
  backupVaultName: 'FIREBREAK_BACKUP_VAULT_NAME',
  guardDutyDetectorId: 'FIREBREAK_GUARDDUTY_DETECTOR_ID',
  /** Security group with no rules that isolate swaps onto a suspect instance. */
  quarantineSecurityGroupId: 'FIREBREAK_QUARANTINE_SG_ID',
  /** Argo CD API server (host or URL) rollback talks to; the token is the ARGOCD_AUTH_TOKEN secret. */
  argocdServer: 'FIREBREAK_ARGOCD_SERVER',
  /** Prefix of the vetted SSM Command documents run-command runs (`<prefix>-HostHealth`, …). */
  ssmDocumentPrefix: 'FIREBREAK_SSM_DOCUMENT_PREFIX',
} as const;

export type KitVariableKey = keyof typeof KIT_VARIABLES;

/**
 * Not a kit variable: the repository variable where `freeze` records what it changed and what was
 * there before, which `unfreeze` reads back. Written by the steps at run time, never by `pulumi up`.
 */
export const FREEZE_RECORD_VARIABLE = 'FIREBREAK_FREEZE';
export type KitVariableName = (typeof KIT_VARIABLES)[KitVariableKey];

/** Reads the kit's variables from an environment map (process.env at the entry point). */
export function readKitVariables(env: Record<string, string | undefined>): Partial<Record<KitVariableKey, string>> {
  const out: Partial<Record<KitVariableKey, string>> = {};
  for (const [key, name] of Object.entries(KIT_VARIABLES) as [KitVariableKey, string][]) {
    const v = env[name]?.trim();
    if (v) out[key] = v;
  }
  return out;
}

/** Prefix of the repository variable rotate-secret writes beside a GitHub secret it rotated (its run marker). */
export const ROTATION_MARKER_PREFIX = 'FIREBREAK_ROTATED_';
