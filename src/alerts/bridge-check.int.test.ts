import { CreateApiDestinationCommand, CreateConnectionCommand, CreateEventBusCommand, DisableRuleCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { RELAY_INPUT_PATHS, relayEventPattern, relayInputTemplate, relaySource } from '../core/alerts/relay.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from '../drill/emulators/moto.js';
import { checkAlertBridge } from './bridge-check.js';

/** The bridge check against moto's EventBridge: rules, targets, connections and API destinations. */
let moto: MotoServer;
let client: EventBridgeClient;

beforeAll(async () => {
  moto = await startMoto();
  client = new EventBridgeClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

const TEMPLATE = '{"event_type":"firebreak-alert","client_payload":{"v":1,"format":"guardduty","body":<aws.events.event.json>}}';

/** What AlertBridge provisions, by name suffix. */
async function provision(suffix: string, over: { endpoint?: string; template?: string } = {}): Promise<string> {
  const conn = await client.send(
    new CreateConnectionCommand({ Name: `gh-${suffix}`, AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer ghp_x' } } }),
  );
  const dest = await client.send(
    new CreateApiDestinationCommand({ Name: `dispatch-${suffix}`, ConnectionArn: conn.ConnectionArn!, HttpMethod: 'POST', InvocationEndpoint: over.endpoint ?? 'https://api.github.com/repos/acme/shop/dispatches', InvocationRateLimitPerSecond: 1 }),
  );
  const rule = `findings-${suffix}`;
  await client.send(new PutRuleCommand({ Name: rule, EventPattern: JSON.stringify({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'] }) }));
  await client.send(new PutTargetsCommand({ Rule: rule, Targets: [{ Id: 'github', Arn: dest.ApiDestinationArn!, RoleArn: 'arn:aws:iam::123456789012:role/invoke', InputTransformer: { InputPathsMap: {}, InputTemplate: over.template ?? TEMPLATE } }] }));
  return rule;
}

describe('checkAlertBridge (moto EventBridge)', () => {
  it('finds nothing wrong with the bridge as the kit provisions it', async () => {
    const rule = await provision('good');
    expect(await checkAlertBridge(client, { ruleName: rule, repository: 'acme/shop' })).toEqual([]);
  });

  it('names each broken part: another repository, a wrong payload, a disabled rule', async () => {
    const rule = await provision('bad', { endpoint: 'https://api.github.com/repos/acme/other/dispatches', template: '{"event_type":"deploy"}' });
    await client.send(new DisableRuleCommand({ Name: rule }));
    const problems = await checkAlertBridge(client, { ruleName: rule, repository: 'acme/shop' });
    expect(problems).toEqual([
      `rule ${rule} is DISABLED: enable it, or no finding is sent`,
      expect.stringMatching(/^target github: its input template does not send/),
      'API destination dispatch-bad calls POST https://api.github.com/repos/acme/other/dispatches, not POST https://api.github.com/repos/acme/shop/dispatches',
    ]);
  });

  it('a rule with no API destination target is reported', async () => {
    await client.send(new PutRuleCommand({ Name: 'lonely', EventPattern: JSON.stringify({ source: ['aws.guardduty'] }) }));
    expect(await checkAlertBridge(client, { ruleName: 'lonely', repository: 'acme/shop' })).toEqual(['rule lonely has no API destination target']);
  });

  it('checks a relay rule on its bus: the credential is required, the sender\'s format is sent, only the body is forwarded', async () => {
    await client.send(new CreateEventBusCommand({ Name: 'relay-bus' }));
    const dest = (await client.send(new CreateApiDestinationCommand({ Name: 'dispatch-relay', ConnectionArn: (await client.send(new CreateConnectionCommand({ Name: 'gh-relay', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'Authorization', ApiKeyValue: 'Bearer ghp_x' } } }))).ConnectionArn!, HttpMethod: 'POST', InvocationEndpoint: 'https://api.github.com/repos/acme/shop/dispatches' }))).ApiDestinationArn!;
    const relayRule = async (name: string, pattern: string, paths: Record<string, string>) => {
      await client.send(new PutRuleCommand({ Name: name, EventBusName: 'relay-bus', EventPattern: pattern }));
      await client.send(new PutTargetsCommand({ Rule: name, EventBusName: 'relay-bus', Targets: [{ Id: 'github', Arn: dest, RoleArn: 'arn:aws:iam::123456789012:role/invoke', InputTransformer: { InputPathsMap: paths, InputTemplate: relayInputTemplate('cloudflare') } }] }));
    };
    await relayRule('relay-cloudflare', relayEventPattern('cloudflare', 'c'.repeat(40)), { ...RELAY_INPUT_PATHS });
    expect(await checkAlertBridge(client, { ruleName: 'relay-cloudflare', eventBusName: 'relay-bus', repository: 'acme/shop' })).toEqual([]);
    await relayRule('relay-open', JSON.stringify({ source: [relaySource('cloudflare')] }), { all: '$' });
    expect(await checkAlertBridge(client, { ruleName: 'relay-open', eventBusName: 'relay-bus', repository: 'acme/shop' })).toEqual([
      'rule relay-open does not require exactly one credential (detail-type): anyone could send cloudflare alerts',
      'target github: it must forward $.detail only (the credential rides in detail-type and must never reach GitHub)',
    ]);
  });
});
