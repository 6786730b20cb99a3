/**
 * The firebreak break-glass kit. Run from this directory:
 *
 *   pulumi stack init prod && cp Pulumi.example.yaml Pulumi.prod.yaml   # then edit
 *   pulumi up --refresh
 *
 * Every ARN and id below is also written into the protected GitHub environment, where the
 * actions read them (names in src/core/names.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import { readKitConfig } from './config.js';
import { createKit } from './stack.js';

const settings = new pulumi.Config('firebreak');
const config = readKitConfig((key) => settings.getObject(key));

// The github provider writes to the repository of `github:owner`; refuse a mismatch early.
const githubOwner = new pulumi.Config('github').get('owner');
const repositoryOwner = config.github.repository.split('/')[0];
if (githubOwner !== undefined && githubOwner.toLowerCase() !== repositoryOwner?.toLowerCase()) {
  throw new Error(`github:owner is "${githubOwner}" but firebreak:github.repository is owned by "${repositoryOwner}"`);
}

const kit = createKit(config, {
  ...(config.ticks ? { ticksGithubToken: settings.requireSecret('ticksGithubToken') } : {}),
  ...(config.alerts ? { alertsGithubToken: settings.requireSecret('alertsGithubToken') } : {}),
  ...(config.alerts?.relay
    ? {
        alertRelaySecrets: {
          ...(config.alerts.relay.alertmanager ? { alertmanager: settings.requireSecret('alertRelayAlertmanagerSecret') } : {}),
          ...(config.alerts.relay.cloudflare ? { cloudflare: settings.requireSecret('alertRelayCloudflareSecret') } : {}),
        },
      }
    : {}),
});

export const responderRoleArn = kit.responder.roleArn;
export const evidenceBucket = kit.evidence.bucketName;
export const environment = kit.environment.environmentName;
/** What the GitHub environment holds, by variable name (the same values the actions read). */
export const environmentVariables = kit.environment.variableNames;
export const wafRuleGroupArn = kit.waf?.ruleGroupArn;
export const cloudflareListId = kit.cloudflare?.listId;
export const tickScheduleArn = kit.ticks?.scheduleArn;
export const alertRuleName = kit.alerts?.bridge.ruleName;
/** Senders POST to `<alertRelayEndpoint>/alertmanager` or `/cloudflare`. */
export const alertRelayEndpoint = kit.alerts?.relay?.endpoint;
/** For `firebreak alert-bridge --event-bus … --rule …` on the relay's rules. */
export const alertRelayEventBus = kit.alerts?.relay?.eventBusName;
export const alertRelayRuleNames = kit.alerts?.relay?.ruleNames;
/** In a fleet member stack: the role the home responder role assumes here (infra/fleet-targets.ts reads it). */
export const fleetMemberRoleArn = kit.fleet?.memberRole?.roleArn;
