import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DISPATCH_INPUT_PATHS, DISPATCH_INPUT_TEMPLATE, GITHUB_API_VERSION, SCHEDULER_INPUT, TICK_DETAIL_TYPE, TICK_EVENT_SOURCE } from '../../src/core/incident/tick-dispatch.js';
import { kitTags, lookupAwsContext } from './aws-context.js';
import { policyJson } from './iam-document.js';

/**
 * Ticks on time (issue 10 §7): an Amazon EventBridge Scheduler schedule with its flexible time
 * window OFF (invoked at the scheduled minute) puts an event on a small event bus; a rule on that
 * bus sends it to an EventBridge API destination, whose connection holds the GitHub token (kept by
 * EventBridge in AWS Secrets Manager), as `POST /repos/{owner}/{repo}/dispatches` with
 * `event_type: firebreak-tick` and the scheduled time in `client_payload`. The incident-tick
 * workflow listens to that event and keeps its `*\/15` schedule as the fallback.
 *
 * Why the hop through a bus: Scheduler's targets are AWS APIs; API destinations are targets of
 * EventBridge rules only. The scheduled time travels as `<aws.scheduler.scheduled-time>`, so
 * every tick can say how late it ran.
 */

export interface TickSchedulerArgs {
  /** `owner/name` of the repository whose incident-tick workflow runs. */
  repository: string;
  /**
   * Token allowed to create repository dispatch events: a fine-grained token or GitHub App token
   * with Contents: write on this repository only. Stored by EventBridge in Secrets Manager.
   */
  githubToken: pulumi.Input<string>;
  /** Minutes between ticks, aligned to the hour (cron `0/N`); divides 60. Default 5. */
  everyMinutes?: number;
  /** Physical name prefix of the bus, connection, destination, rule, schedule and roles. */
  namePrefix?: string;
  /** GitHub REST API base (GitHub Enterprise Server: https://HOST/api/v3). */
  apiUrl?: string;
  tags?: Record<string, string>;
}

/** Scheduler's cron for "every N minutes on the minute": `cron(0/5 * * * ? *)` (six fields, UTC). */
export function tickScheduleExpression(everyMinutes: number): string {
  if (!Number.isInteger(everyMinutes) || everyMinutes < 1 || 60 % everyMinutes !== 0) {
    throw new Error(`TickScheduler: everyMinutes must divide 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30), got ${everyMinutes}`);
  }
  return everyMinutes === 1 ? 'cron(* * * * ? *)' : `cron(0/${everyMinutes} * * * ? *)`;
}

export class TickScheduler extends pulumi.ComponentResource {
  public readonly scheduleArn: pulumi.Output<string>;
  public readonly apiDestinationArn: pulumi.Output<string>;
  public readonly connectionArn: pulumi.Output<string>;
  public readonly scheduleExpression: string;

  constructor(name: string, args: TickSchedulerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:TickScheduler', name, {}, opts);
    const [owner, repo, extra] = args.repository.split('/');
    if (!owner || !repo || extra !== undefined || !/^[A-Za-z0-9-]+$/.test(owner) || !/^[A-Za-z0-9._-]+$/.test(repo)) {
      throw new Error(`TickScheduler: repository must be owner/name, got "${args.repository}"`);
    }
    const prefix = args.namePrefix ?? 'firebreak-ticks';
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(prefix)) throw new Error(`TickScheduler: namePrefix must be 1-40 letters, digits, '-' or '_', got "${prefix}"`);
    const apiUrl = (args.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    if (!/^https:\/\//.test(apiUrl)) throw new Error(`TickScheduler: apiUrl must be https, got "${apiUrl}"`);
    this.scheduleExpression = tickScheduleExpression(args.everyMinutes ?? 5);
    const tags = kitTags('incident-ticks', args.tags);
    const ctx = lookupAwsContext(this);
    const child = { parent: this };

    const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: prefix, tags }, child);

    // The token only ever sits in the connection, which EventBridge keeps in Secrets Manager.
    const connection = new aws.cloudwatch.EventConnection(
      `${name}-connection`,
      {
        name: `${prefix}-github`,
        description: 'GitHub token for repository_dispatch firebreak-tick',
        authorizationType: 'API_KEY',
        authParameters: { apiKey: { key: 'Authorization', value: pulumi.secret(pulumi.interpolate`Bearer ${args.githubToken}`) } },
      },
      child,
    );

    const destination = new aws.cloudwatch.EventApiDestination(
      `${name}-destination`,
      {
        name: `${prefix}-github-dispatch`,
        description: `POST ${apiUrl}/repos/${owner}/${repo}/dispatches`,
        connectionArn: connection.arn,
        httpMethod: 'POST',
        invocationEndpoint: `${apiUrl}/repos/${owner}/${repo}/dispatches`,
        invocationRateLimitPerSecond: 1,
      },
      child,
    );

    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        name: `${prefix}-to-github`,
        eventBusName: bus.name,
        eventPattern: JSON.stringify({ source: [TICK_EVENT_SOURCE], 'detail-type': [TICK_DETAIL_TYPE] }),
        tags,
      },
      child,
    );

    const invokeRole = new aws.iam.Role(
      `${name}-invoke-role`,
      {
        name: `${prefix}-invoke`,
        assumeRolePolicy: ctx.apply((c) =>
          JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': c.accountId } } }] }),
        ),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(`${name}-invoke-policy`, { role: invokeRole.id, policy: policyJson(destination.arn.apply((arn) => [{ Effect: 'Allow' as const, Action: 'events:InvokeApiDestination', Resource: arn }])) }, child);

    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        eventBusName: bus.name,
        arn: destination.arn,
        roleArn: invokeRole.arn,
        inputTransformer: { inputPaths: { ...DISPATCH_INPUT_PATHS }, inputTemplate: DISPATCH_INPUT_TEMPLATE },
        httpTarget: { headerParameters: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': GITHUB_API_VERSION } },
        // A tick older than one slot is superseded by the next; do not deliver it late.
        retryPolicy: { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 3 },
      },
      child,
    );

    const schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        name: `${prefix}-scheduler`,
        assumeRolePolicy: ctx.apply((c) =>
          JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': c.accountId } } }] }),
        ),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(`${name}-scheduler-policy`, { role: schedulerRole.id, policy: policyJson(bus.arn.apply((arn) => [{ Effect: 'Allow' as const, Action: 'events:PutEvents', Resource: arn }])) }, child);

    const schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: prefix,
        description: 'firebreak incident tick: repository_dispatch firebreak-tick on the minute',
        scheduleExpression: this.scheduleExpression,
        scheduleExpressionTimezone: 'UTC',
        // OFF: invoked at the scheduled time, not somewhere in a window (the point of this schedule).
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: bus.arn,
          roleArn: schedulerRole.arn,
          eventbridgeParameters: { source: TICK_EVENT_SOURCE, detailType: TICK_DETAIL_TYPE },
          input: SCHEDULER_INPUT,
          retryPolicy: { maximumEventAgeInSeconds: 300, maximumRetryAttempts: 3 },
        },
      },
      child,
    );

    this.scheduleArn = schedule.arn;
    this.apiDestinationArn = destination.arn;
    this.connectionArn = connection.arn;
    this.registerOutputs({ scheduleArn: this.scheduleArn, apiDestinationArn: this.apiDestinationArn, connectionArn: this.connectionArn });
  }
}
