import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateApiDestinationCommand, CreateConnectionCommand, CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFromEvent } from '../core/alerts/adapters.js';
import { RELAY_INPUT_PATHS, RELAY_SENDERS, relayCredential, relayEventPattern, relayInputTemplate, relaySource, type RelaySender } from '../core/alerts/relay.js';
import { startMoto, type MotoServer } from '../drill/emulators/moto.js';

/**
 * The relay's EventBridge leg on moto, with the very pattern, input paths and template the kit's
 * AlertRelay provisions: events as API Gateway's EventBridge-PutEvents integration puts them
 * (Source per route, DetailType = the sender's credential header, Detail = the body) reach the
 * repository_dispatch API destination only with the exact credential, and what the target sends
 * is a dispatch the alert action reads, without the credential. moto calls API destinations with
 * no body, so each rule also has a log-group tap with the same transformer: what it records is
 * exactly what the API destination would be sent.
 */
let moto: MotoServer;
let events: EventBridgeClient;
let logs: CloudWatchLogsClient;
const BUS = 'relay-bus';
const SECRETS: Record<RelaySender, string> = { alertmanager: 'am_0123456789abcdef0123456789abcdef', cloudflare: 'cf_0123456789abcdef0123456789abcdef' };

const ALERTMANAGER = {
  version: '4',
  groupKey: '{}:{alertname="FailedAuthSpike"}',
  status: 'firing',
  receiver: 'firebreak',
  groupLabels: { alertname: 'FailedAuthSpike' },
  commonLabels: { alertname: 'FailedAuthSpike', severity: 'critical' },
  commonAnnotations: { summary: 'Failed logins 40x baseline' },
  externalURL: 'https://alertmanager.example',
  alerts: [{ status: 'firing', labels: { alertname: 'FailedAuthSpike', source_ip: '198.51.100.4' }, annotations: {}, startsAt: '2026-12-02T06:00:00Z', endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'abc' }],
};
const CLOUDFLARE = { name: 'Origin health: pool down', text: 'Pool eu-1 is unhealthy', alert_type: 'load_balancing_health_alert', account_id: '0123456789abcdef0123456789abcdef', alert_correlation_id: 'corr-1', data: { client_ip: '203.0.113.9' } };
const BODY: Record<RelaySender, object> = { alertmanager: ALERTMANAGER, cloudflare: CLOUDFLARE };

beforeAll(async () => {
  moto = await startMoto();
  const conf = { region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  events = new EventBridgeClient(conf);
  logs = new CloudWatchLogsClient(conf);
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  const conn = await events.send(new CreateConnectionCommand({ Name: 'gh', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer ghp_bridge' } } }));
  const dest = await events.send(new CreateApiDestinationCommand({ Name: 'dispatch', ConnectionArn: conn.ConnectionArn!, HttpMethod: 'POST', InvocationEndpoint: 'https://api.github.com/repos/acme/shop/dispatches', InvocationRateLimitPerSecond: 1 }));
  for (const sender of RELAY_SENDERS) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: `/tap/${sender}` }));
    await events.send(new PutRuleCommand({ Name: `relay-${sender}`, EventBusName: BUS, EventPattern: relayEventPattern(sender, SECRETS[sender]) }));
    const transformer = { InputPathsMap: { ...RELAY_INPUT_PATHS }, InputTemplate: relayInputTemplate(sender) };
    await events.send(
      new PutTargetsCommand({
        Rule: `relay-${sender}`,
        EventBusName: BUS,
        Targets: [
          { Id: 'github', Arn: dest.ApiDestinationArn!, RoleArn: 'arn:aws:iam::123456789012:role/relay-invoke', InputTransformer: transformer },
          { Id: 'tap', Arn: `arn:aws:logs:${moto.region}:123456789012:log-group:/tap/${sender}`, InputTransformer: transformer },
        ],
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  events?.destroy();
  logs?.destroy();
  await moto?.stop();
});

/** What API Gateway's EventBridge-PutEvents integration puts for one webhook request. */
async function webhook(route: RelaySender, header: string | undefined, body: object): Promise<void> {
  const out = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: BUS, Source: relaySource(route), DetailType: header ?? '', Detail: JSON.stringify(body) }] }));
  expect(out.FailedEntryCount ?? 0).toBe(0);
}

async function tapped(sender: RelaySender): Promise<string[]> {
  const got = await logs.send(new FilterLogEventsCommand({ logGroupName: `/tap/${sender}` }));
  return (got.events ?? []).map((e) => e.message!);
}

describe('the relay\'s EventBridge leg (moto)', () => {
  it('forwards a webhook with the exact credential as a dispatch the alert action reads, and never forwards the credential', async () => {
    for (const sender of RELAY_SENDERS) {
      await webhook(sender, relayCredential(sender, SECRETS[sender]), BODY[sender]);
      const sent = await tapped(sender);
      expect(sent, sender).toHaveLength(1);
      expect(sent[0]).not.toContain(SECRETS[sender]);
      const dispatch = JSON.parse(sent[0]!);
      expect(dispatch).toEqual({ event_type: 'firebreak-alert', client_payload: { v: 1, format: sender, body: BODY[sender] } });
      const adapted = alertFromEvent('repository_dispatch', { action: dispatch.event_type, client_payload: dispatch.client_payload });
      expect(adapted.alert).toMatchObject({ source: sender, addresses: [sender === 'alertmanager' ? '198.51.100.4' : '203.0.113.9'] });
    }
  });

  it('drops a wrong, partial, missing or other sender\'s credential, and a body that names another source', async () => {
    const before = { alertmanager: (await tapped('alertmanager')).length, cloudflare: (await tapped('cloudflare')).length };
    await webhook('cloudflare', 'wrong-secret-0123456789abcdef0123456789', CLOUDFLARE);
    await webhook('cloudflare', SECRETS.cloudflare.slice(0, -1), CLOUDFLARE);
    await webhook('cloudflare', `${SECRETS.cloudflare} `, CLOUDFLARE);
    await webhook('cloudflare', `Bearer ${SECRETS.cloudflare}`, CLOUDFLARE);
    await webhook('alertmanager', SECRETS.alertmanager, ALERTMANAGER); // no "Bearer "
    await webhook('alertmanager', `Basic ${SECRETS.alertmanager}`, ALERTMANAGER);
    await webhook('alertmanager', relayCredential('cloudflare', SECRETS.cloudflare), ALERTMANAGER);
    // Alertmanager's credential on the Cloudflare route: the rule wants that route's source AND credential.
    await webhook('cloudflare', relayCredential('alertmanager', SECRETS.alertmanager), CLOUDFLARE);
    await webhook('alertmanager', 'x', { source: ['firebreak.relay.alertmanager'] });
    expect({ alertmanager: (await tapped('alertmanager')).length, cloudflare: (await tapped('cloudflare')).length }).toEqual(before);
  });

  it('refuses a secret that could break out of the pattern or the DetailType limit', () => {
    expect(() => relayEventPattern('cloudflare', '"]}, "source": ["x"], "y": ["' + 'a'.repeat(30))).toThrow(/32–100 characters/);
    expect(() => relayEventPattern('cloudflare', 'a'.repeat(101))).toThrow(/32–100 characters/);
    expect(() => relayEventPattern('cloudflare', 'short')).toThrow(/32–100 characters/);
  });

  it('the GuardDuty bridge rule matches findings at or above its severity only', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'gd-bus' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/tap/guardduty' }));
    await events.send(new PutRuleCommand({ Name: 'findings', EventBusName: 'gd-bus', EventPattern: JSON.stringify({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7] }] } }) }));
    await events.send(new PutTargetsCommand({ Rule: 'findings', EventBusName: 'gd-bus', Targets: [{ Id: 'tap', Arn: `arn:aws:logs:${moto.region}:123456789012:log-group:/tap/guardduty`, InputTransformer: { InputPathsMap: { severity: '$.detail.severity' }, InputTemplate: '{"severity": <severity>}' } }] }));
    for (const [severity, detailType] of [[7, 'GuardDuty Finding'], [8.9, 'GuardDuty Finding'], [6.9, 'GuardDuty Finding'], [9, 'GuardDuty Runtime Protection Unhealthy']] as const) {
      await events.send(new PutEventsCommand({ Entries: [{ EventBusName: 'gd-bus', Source: 'aws.guardduty', DetailType: detailType, Detail: JSON.stringify({ severity }) }] }));
    }
    const got = await logs.send(new FilterLogEventsCommand({ logGroupName: '/tap/guardduty' }));
    expect((got.events ?? []).map((e) => JSON.parse(e.message!).severity)).toEqual([7, 8.9]);
  });
});
