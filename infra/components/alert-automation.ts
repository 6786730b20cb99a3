import * as pulumi from '@pulumi/pulumi';
import type { KitVariableKey } from '../../src/core/names.js';
import { AlertBridge } from './alert-bridge.js';
import { AlertRelay, type RelaySender } from './alert-relay.js';
import { IncidentEnvironment } from './incident-environment.js';
import { ResponderRole, type ResponderCapabilities } from './responder-role.js';

/**
 * Everything alerts need from the kit (issue 16), from the kit's `firebreak:alerts` section:
 *
 *   - the AlertBridge: GuardDuty findings at or above the severity → repository_dispatch;
 *   - optionally the AlertRelay: Alertmanager / Cloudflare webhooks → the same API destination;
 *   - the `firebreak-automation` GitHub environment alert.yml runs in (no reviewers: an alert
 *     cannot wait for one), holding the kit's variables but its OWN role ARN;
 *   - that role: trusted only by this repository's jobs in that environment, and granted only the
 *     capabilities listed as automatable (plus the audit copy), never the responders' full role.
 */

/** firebreak.yml's capability slugs → the responder role's grants they need. */
export const AUTOMATABLE_GRANTS = {
  'block-ips': ['blockIps'],
  'disable-routes': ['disableRoutes'],
  'limit-rate': ['limitRate'],
  isolate: ['isolate', 'stopTasks', 'blockNetwork'],
  'preserve-evidence': ['preserveEvidence'],
  snapshot: ['snapshot'],
  // GitHub-only capabilities: nothing in AWS beyond the audit copy.
  freeze: [],
  'post-update': [],
  classify: [],
} as const satisfies Record<string, ReadonlyArray<keyof ResponderCapabilities>>;
export type AutomatableCapability = keyof typeof AUTOMATABLE_GRANTS;

export interface AlertAutomationArgs {
  repository: string;
  /** The reviewer-less environment of alert.yml (default firebreak-automation). */
  environment: string;
  automate: readonly AutomatableCapability[];
  /** The responder role's OIDC provider (one per account). */
  oidcProviderArn: pulumi.Input<string>;
  reusableWorkflow?: string;
  /** The grants the kit built for the responders; the automation role gets a subset. */
  capabilities: ResponderCapabilities;
  /** The kit's variables; the environment gets them with the automation role's ARN. */
  variables: Partial<Record<KitVariableKey, pulumi.Input<string>>>;
  deploymentBranches: string[];
  githubToken: pulumi.Input<string>;
  minSeverity: number;
  rateLimitPerSecond: number;
  githubApiUrl?: string;
  relay?: { secrets: Partial<Record<RelaySender, pulumi.Input<string>>>; rateLimitPerSecond: number };
}

export class AlertAutomation extends pulumi.ComponentResource {
  public readonly bridge: AlertBridge;
  public readonly relay?: AlertRelay;
  public readonly role: ResponderRole;
  public readonly environment: IncidentEnvironment;

  constructor(name: string, args: AlertAutomationArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:AlertAutomation', name, {}, opts);
    const child = { parent: this };

    const grants: ResponderCapabilities = { ...(args.capabilities.auditTrail ? { auditTrail: args.capabilities.auditTrail } : {}) };
    // The responders' grants for these capabilities, where the kit has them: block-ips without
    // firebreak:waf acts on Cloudflare only (its token, no AWS), so the role simply lacks the WAF grant.
    for (const slug of args.automate) {
      for (const key of AUTOMATABLE_GRANTS[slug]) {
        const grant = args.capabilities[key];
        if (grant !== undefined) (grants as Record<string, unknown>)[key] = grant;
      }
    }
    this.role = new ResponderRole(
      `${name}-role`,
      {
        repository: args.repository,
        environment: args.environment,
        existingOidcProviderArn: args.oidcProviderArn,
        ...(args.reusableWorkflow ? { reusableWorkflow: args.reusableWorkflow } : {}),
        capabilities: grants,
      },
      child,
    );

    this.bridge = new AlertBridge(
      `${name}-bridge`,
      {
        repository: args.repository,
        githubToken: args.githubToken,
        minSeverity: args.minSeverity,
        rateLimitPerSecond: args.rateLimitPerSecond,
        ...(args.githubApiUrl ? { githubApiUrl: args.githubApiUrl } : {}),
      },
      child,
    );
    if (args.relay) {
      this.relay = new AlertRelay(`${name}-relay`, { apiDestinationArn: this.bridge.apiDestinationArn, secrets: args.relay.secrets, rateLimitPerSecond: args.relay.rateLimitPerSecond }, child);
    }

    this.environment = new IncidentEnvironment(
      `${name}-environment`,
      {
        repository: args.repository.split('/')[1] ?? args.repository,
        environment: args.environment,
        requireReviewers: false,
        deploymentBranches: args.deploymentBranches,
        variables: { ...args.variables, responderRoleArn: this.role.roleArn },
      },
      child,
    );
    this.registerOutputs({ roleArn: this.role.roleArn, ruleName: this.bridge.ruleName, relayEndpoint: this.relay?.endpoint });
  }
}
