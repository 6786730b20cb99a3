import { beforeAll, describe, expect, it } from 'vitest';
import { alertFromEvent } from '../../src/core/alerts/adapters.js';
import { settle, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for alert-relay.ts; run by components.test.ts under one set of strict mocks. */
export function alertRelayCases(mocks: MockRecorder): void {
  let mod: typeof import('./alert-relay.js');
  const SECRET_AM = 'am_relay_secret_0123456789abcdef0123456789';
  const SECRET_CF = 'cf-relay-secret-0123456789abcdef0123456789';
  const DEST = 'arn:aws:events:eu-west-1:123456789012:api-destination/alerts-dispatch/dest-id';
  const SIG = '4dabf18193072939515e22adb298388d';

  beforeAll(async () => {
    mod = await import('./alert-relay.js');
  });

  describe('AlertRelay', () => {
    it('relays each sender with no function: HTTP API → PutEvents on its own bus → a rule that matches only the credential → the dispatch destination', async () => {
      const relay = new mod.AlertRelay('relay', { apiDestinationArn: DEST, secrets: { alertmanager: SECRET_AM, cloudflare: SECRET_CF } });
      const endpoint = await valueOf(relay.endpoint);
      await settle();
      expect(endpoint).toBe('https://relay-api-id.execute-api.eu-west-1.amazonaws.com');
      expect(mocks.named('relay').type).toBe('firebreak:aws:AlertRelay');
      expect(mocks.ofType('aws:lambda/function:Function')).toEqual([]);

      const busArn = mocks.named('relay-bus').state['arn'];
      // API Gateway's role: PutEvents on the relay's bus, nothing else.
      expect(JSON.parse(mocks.ofType('aws:iam/role:Role').find((r) => r.name === 'relay-put')!.inputs['assumeRolePolicy']).Statement[0].Principal).toEqual({ Service: 'apigateway.amazonaws.com' });
      const put = mocks.ofType('aws:iam/rolePolicy:RolePolicy').find((p) => p.name === 'relay-put')!;
      expect(JSON.parse(put.inputs['policy']).Statement).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
      const invoke = mocks.ofType('aws:iam/rolePolicy:RolePolicy').find((p) => p.name === 'relay-invoke')!;
      expect(JSON.parse(invoke.inputs['policy']).Statement).toEqual([{ Effect: 'Allow', Action: 'events:InvokeApiDestination', Resource: DEST }]);

      for (const [sender, header, credential] of [
        ['alertmanager', 'authorization', `Bearer ${SECRET_AM}`],
        ['cloudflare', 'cf-webhook-auth', SECRET_CF],
      ] as const) {
        const integration = mocks.ofType('aws:apigatewayv2/integration:Integration').find((i) => i.name === `relay-${sender}`)!;
        expect(integration.inputs).toMatchObject({ integrationType: 'AWS_PROXY', integrationSubtype: 'EventBridge-PutEvents', payloadFormatVersion: '1.0' });
        expect(integration.inputs['requestParameters']).toEqual({ EventBusName: 'relay-bus', Source: `firebreak.relay.${sender}`, DetailType: `$request.header.${header}`, Detail: '$request.body' });
        expect(mocks.ofType('aws:apigatewayv2/route:Route').find((r) => r.name === `relay-${sender}`)!.inputs['routeKey']).toBe(`POST /${sender}`);

        const rule = mocks.ofType('aws:cloudwatch/eventRule:EventRule').find((r) => r.name === `relay-${sender}`)!;
        expect(rule.inputs['eventBusName']).toBe('relay-bus');
        // The pattern holds the credential: a Pulumi secret.
        const pattern = rule.inputs['eventPattern'];
        expect(pattern[SIG]).toBe('1b47061264138c4ac30d75fd1eb44270');
        expect(JSON.parse(pattern.value)).toEqual({ source: [`firebreak.relay.${sender}`], 'detail-type': [credential] });

        const target = mocks.ofType('aws:cloudwatch/eventTarget:EventTarget').find((t) => t.name === `relay-${sender}`)!;
        expect(target.inputs).toMatchObject({ arn: DEST, eventBusName: 'relay-bus', inputTransformer: { inputPaths: { body: '$.detail' } } });
        // What GitHub receives: the sender's JSON as its format, and no credential.
        const template = target.inputs['inputTransformer'].inputTemplate as string;
        expect(template).not.toContain('detail-type');
        const body = sender === 'cloudflare' ? { name: 'Origin health', text: 'pool down', alert_type: 'load_balancing_health_alert' } : { version: '4', groupKey: 'g', status: 'firing', receiver: 'r', commonLabels: { alertname: 'A' }, commonAnnotations: {}, alerts: [] };
        const dispatch = JSON.parse(template.replace('<body>', JSON.stringify(body)));
        expect(dispatch.event_type).toBe('firebreak-alert');
        const adapted = alertFromEvent('repository_dispatch', { action: dispatch.event_type, client_payload: dispatch.client_payload });
        expect(adapted.alert?.source).toBe(sender);
      }
      const stage = mocks.ofType('aws:apigatewayv2/stage:Stage').find((s) => s.name === 'relay-stage')!;
      expect(stage.inputs).toMatchObject({ name: '$default', autoDeploy: true, defaultRouteSettings: { throttlingRateLimit: 5, throttlingBurstLimit: 20 } });
    });

    it('turns on only the senders given, and refuses none or a weak secret', async () => {
      new mod.AlertRelay('relay2', { apiDestinationArn: DEST, secrets: { cloudflare: SECRET_CF } });
      await settle();
      expect(mocks.ofType('aws:apigatewayv2/route:Route').filter((r) => r.name.startsWith('relay2-')).map((r) => r.inputs['routeKey'])).toEqual(['POST /cloudflare']);
      expect(() => new mod.AlertRelay('relay3', { apiDestinationArn: DEST, secrets: {} })).toThrow(/at least one sender/);
      expect(mod.RELAY_SECRET.test('short')).toBe(false);
      expect(mod.RELAY_SECRET.test('"]}, "x": ["' + 'a'.repeat(40))).toBe(false);
    });
  });
}
