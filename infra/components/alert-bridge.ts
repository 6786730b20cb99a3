import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags } from './aws-context.js';

export interface AlertBridgeArgs {
  /** `owner/repo` whose alert workflow receives the dispatches. */
  repository: string;
  /**
   * A token allowed to call repository_dispatch on that repository (a fine-grained token or a
   * GitHub App installation token with Contents: write). Stored in the EventBridge connection's
   * Secrets Manager secret; never in an output.
   */
  githubToken: pulumi.Input<string>;
  /** GuardDuty findings at or above this severity are sent (GuardDuty's scale: 4 medium, 7 high). */
  minSeverity?: number;
  /** GitHub's API base (GitHub Enterprise Server: https://HOST/api/v3). */
  githubApiUrl?: string;
  /** Dispatches per second at most: a storm of findings must not exhaust the token's rate limit. */
  rateLimitPerSecond?: number;
  tags?: Record<string, string>;
}

/** What the target sends: the finding, whole, as the `guardduty` format of a `firebreak-alert` dispatch. */
export const GUARDDUTY_INPUT_TEMPLATE = '{"event_type":"firebreak-alert","client_payload":{"v":1,"format":"guardduty","body":<aws.events.event.json>}}';

/**
 * GuardDuty findings → GitHub repository_dispatch, with no server: an EventBridge rule matches
 * findings, and its target is an API destination (POST /repos/{owner}/{repo}/dispatches) whose
 * connection holds the token. The alert workflow then reads the finding from its event payload.
 */
export class AlertBridge extends pulumi.ComponentResource {
  public readonly ruleName: pulumi.Output<string>;
  public readonly apiDestinationArn: pulumi.Output<string>;
  public readonly connectionArn: pulumi.Output<string>;

  constructor(name: string, args: AlertBridgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:AlertBridge', name, {}, opts);
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(args.repository)) throw new Error(`AlertBridge ${name}: repository must be owner/repo, got ${JSON.stringify(args.repository)}`);
    const minSeverity = args.minSeverity ?? 7;
    if (!(minSeverity >= 0 && minSeverity <= 10)) throw new Error(`AlertBridge ${name}: minSeverity is on GuardDuty's 0–10 scale, got ${minSeverity}`);
    const api = (args.githubApiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    const tags = kitTags('alerts', args.tags);

    const connection = new aws.cloudwatch.EventConnection(
      `${name}-github`,
      {
        description: `firebreak: repository_dispatch to ${args.repository}`,
        authorizationType: 'API_KEY',
        authParameters: {
          apiKey: { key: 'Authorization', value: pulumi.secret(pulumi.interpolate`Bearer ${args.githubToken}`) },
          invocationHttpParameters: {
            headers: [
              { key: 'Accept', value: 'application/vnd.github+json', isValueSecret: false },
              { key: 'X-GitHub-Api-Version', value: '2022-11-28', isValueSecret: false },
              { key: 'User-Agent', value: 'firebreak-alert-bridge', isValueSecret: false },
            ],
          },
        },
      },
      { parent: this },
    );

    const destination = new aws.cloudwatch.EventApiDestination(
      `${name}-dispatch`,
      {
        description: `firebreak: GuardDuty findings to ${args.repository}`,
        connectionArn: connection.arn,
        httpMethod: 'POST',
        invocationEndpoint: `${api}/repos/${args.repository}/dispatches`,
        invocationRateLimitPerSecond: args.rateLimitPerSecond ?? 1,
      },
      { parent: this },
    );

    const role = new aws.iam.Role(
      `${name}-invoke`,
      {
        description: 'firebreak: lets EventBridge call the alert API destination, nothing else',
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-invoke`,
      {
        role: role.id,
        policy: destination.arn.apply((arn) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:InvokeApiDestination', Resource: arn }] })),
      },
      { parent: this },
    );

    const rule = new aws.cloudwatch.EventRule(
      `${name}-findings`,
      {
        description: `firebreak: GuardDuty findings of severity ${minSeverity} or more open incidents`,
        eventPattern: JSON.stringify({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', minSeverity] }] } }),
        tags,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-findings`,
      {
        rule: rule.name,
        arn: destination.arn,
        roleArn: role.arn,
        inputTransformer: { inputPaths: {}, inputTemplate: GUARDDUTY_INPUT_TEMPLATE },
        // GitHub may be briefly unavailable; a finding older than a day is for triage, not an alert.
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      },
      { parent: this },
    );

    this.ruleName = rule.name;
    this.apiDestinationArn = destination.arn;
    this.connectionArn = connection.arn;
    this.registerOutputs({ ruleName: this.ruleName, apiDestinationArn: this.apiDestinationArn, connectionArn: this.connectionArn });
  }
}
