import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { RELAY_AUTH_HEADER, RELAY_INPUT_PATHS, RELAY_SECRET, RELAY_SENDERS, relayEventPattern, relayInputTemplate, relaySource, type RelaySender } from '../../src/core/alerts/relay.js';
import { kitTags } from './aws-context.js';

/**
 * Senders that cannot call repository_dispatch themselves (Alertmanager's webhook, Cloudflare's
 * webhook destination) → GitHub, with no server and no function of ours:
 *
 *   POST https://<api>/alertmanager ─┐  API Gateway HTTP API, AWS service integration
 *   POST https://<api>/cloudflare  ──┤  EventBridge-PutEvents (no Lambda): Source names the route,
 *                                    │  DetailType is the sender's credential header, Detail the body
 *                                    ▼
 *                       the relay's own event bus ── one rule per sender, matching its source AND
 *                                    │               its exact credential (anything else is dropped)
 *                                    ▼
 *             the AlertBridge's API destination (the connection holds the GitHub token)
 *                                    ▼
 *        repository_dispatch firebreak-alert {v:1, format:<sender>, body:<the sender's JSON>}
 *
 * The credential never reaches GitHub: the target's input transformer builds the dispatch from
 * `$.detail` alone. The trade-offs of checking it in the rule instead of a Lambda authorizer are in
 * docs/operators/alerts.md (the pattern holds the credential; a wrong one gets a 200 from API
 * Gateway and is dropped by EventBridge).
 */

export { RELAY_SECRET, RELAY_SENDERS, type RelaySender } from '../../src/core/alerts/relay.js';

export interface AlertRelayArgs {
  /** The AlertBridge's API destination (POST /repos/{owner}/{repo}/dispatches of this repository). */
  apiDestinationArn: pulumi.Input<string>;
  /** One secret per sender that is on: a relay-only random token, 32–100 of A–Z a–z 0–9 _ -. */
  secrets: Partial<Record<RelaySender, pulumi.Input<string>>>;
  /** Requests per second API Gateway accepts (a storm of webhooks is throttled before EventBridge). */
  rateLimitPerSecond?: number;
  burstLimit?: number;
  tags?: Record<string, string>;
}

export class AlertRelay extends pulumi.ComponentResource {
  /** `https://<id>.execute-api.<region>.amazonaws.com`; senders POST to `<endpoint>/<sender>`. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly eventBusName: pulumi.Output<string>;
  public readonly ruleNames: Partial<Record<RelaySender, pulumi.Output<string>>> = {};

  constructor(name: string, args: AlertRelayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:AlertRelay', name, {}, opts);
    const senders = RELAY_SENDERS.filter((s) => args.secrets[s] !== undefined);
    if (senders.length === 0) throw new Error(`AlertRelay ${name}: turn on at least one sender (alertmanager, cloudflare)`);
    const child = { parent: this };
    const tags = kitTags('alerts', args.tags);

    const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: `${name}-bus`, description: 'firebreak: alert webhooks relayed to GitHub', tags }, child);

    // API Gateway may put events on this bus and nowhere else.
    const putRole = new aws.iam.Role(
      `${name}-put`,
      {
        description: 'firebreak: lets the alert relay API put events on its own bus, nothing else',
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(`${name}-put`, { role: putRole.id, policy: bus.arn.apply((arn) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: arn }] })) }, child);

    // EventBridge may call the bridge's API destination and nothing else.
    const invokeRole = new aws.iam.Role(
      `${name}-invoke`,
      {
        description: 'firebreak: lets the alert relay rules call the alert API destination, nothing else',
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-invoke`,
      { role: invokeRole.id, policy: pulumi.output(args.apiDestinationArn).apply((arn) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:InvokeApiDestination', Resource: arn }] })) },
      child,
    );

    const api = new aws.apigatewayv2.Api(`${name}-api`, { name: `${name}-api`, protocolType: 'HTTP', description: 'firebreak: alert webhooks (Alertmanager, Cloudflare) to GitHub repository_dispatch', tags }, child);

    for (const sender of senders) {
      const secret = pulumi.output(args.secrets[sender]!).apply((s) => {
        if (!RELAY_SECRET.test(s)) throw new Error(`AlertRelay ${name}: the ${sender} secret must be 32–100 characters of A–Z a–z 0–9 _ - (generate one, e.g. openssl rand -hex 32)`);
        return s;
      });
      const integration = new aws.apigatewayv2.Integration(
        `${name}-${sender}`,
        {
          apiId: api.id,
          description: `firebreak: ${sender} webhook → EventBridge PutEvents`,
          integrationType: 'AWS_PROXY',
          integrationSubtype: 'EventBridge-PutEvents',
          credentialsArn: putRole.arn,
          payloadFormatVersion: '1.0',
          requestParameters: {
            EventBusName: bus.name,
            Source: relaySource(sender),
            // The credential rides in DetailType only to be compared by the rule; the target drops it.
            DetailType: `$request.header.${RELAY_AUTH_HEADER[sender]}`,
            Detail: '$request.body',
          },
        },
        child,
      );
      new aws.apigatewayv2.Route(`${name}-${sender}`, { apiId: api.id, routeKey: `POST /${sender}`, target: pulumi.interpolate`integrations/${integration.id}` }, child);

      const rule = new aws.cloudwatch.EventRule(
        `${name}-${sender}`,
        {
          description: `firebreak: ${sender} webhooks carrying the relay credential`,
          eventBusName: bus.name,
          // The pattern holds the credential: a Pulumi secret, so it is encrypted in the state.
          eventPattern: pulumi.secret(secret.apply((s) => relayEventPattern(sender, s))),
          tags,
        },
        child,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${sender}`,
        {
          rule: rule.name,
          eventBusName: bus.name,
          arn: args.apiDestinationArn,
          roleArn: invokeRole.arn,
          inputTransformer: { inputPaths: { ...RELAY_INPUT_PATHS }, inputTemplate: relayInputTemplate(sender) },
          retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
        },
        child,
      );
      this.ruleNames[sender] = rule.name;
    }

    const stage = new aws.apigatewayv2.Stage(
      `${name}-stage`,
      {
        apiId: api.id,
        name: '$default',
        autoDeploy: true,
        defaultRouteSettings: { throttlingRateLimit: args.rateLimitPerSecond ?? 5, throttlingBurstLimit: args.burstLimit ?? 20 },
        tags,
      },
      child,
    );

    this.endpoint = pulumi.all([api.apiEndpoint, stage.id]).apply(([endpoint]) => endpoint);
    this.eventBusName = bus.name;
    this.registerOutputs({ endpoint: this.endpoint, eventBusName: this.eventBusName });
  }
}
