import { beforeAll, describe, expect, it } from 'vitest';
import { settle, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for alert-bridge.ts; run by components.test.ts under one set of strict mocks. */
export function alertBridgeCases(mocks: MockRecorder): void {
  let mod: typeof import('./alert-bridge.js');

  beforeAll(async () => {
    mod = await import('./alert-bridge.js');
  });

  describe('AlertBridge', () => {
    it('sends GuardDuty findings to repository_dispatch through an API destination whose connection holds the token', async () => {
      const bridge = new mod.AlertBridge('alerts', { repository: 'acme/shop', githubToken: 'ghp_bridge_token_value', minSeverity: 7 });
      const destinationArn = await valueOf(bridge.apiDestinationArn);
      await settle();

      expect(mocks.named('alerts').type).toBe('firebreak:aws:AlertBridge');
      const connection = mocks.named('alerts-github');
      expect(connection.type).toBe('aws:cloudwatch/eventConnection:EventConnection');
      expect(connection.inputs['authorizationType']).toBe('API_KEY');
      // The token makes the whole auth block a Pulumi secret (encrypted in state, never an output).
      const secret = connection.inputs['authParameters'];
      expect(secret['4dabf18193072939515e22adb298388d']).toBe('1b47061264138c4ac30d75fd1eb44270');
      expect(secret.value.apiKey).toEqual({ key: 'Authorization', value: 'Bearer ghp_bridge_token_value' });
      expect(secret.value.invocationHttpParameters.headers.map((h: { key: string }) => h.key)).toEqual(['Accept', 'X-GitHub-Api-Version', 'User-Agent']);

      const destination = mocks.named('alerts-dispatch');
      expect(destination.inputs).toMatchObject({ httpMethod: 'POST', invocationEndpoint: 'https://api.github.com/repos/acme/shop/dispatches', invocationRateLimitPerSecond: 1 });

      const rules = mocks.ofType('aws:cloudwatch/eventRule:EventRule').filter((r) => r.name === 'alerts-findings');
      expect(rules).toHaveLength(1);
      const rule = rules[0]!;
      expect(JSON.parse(rule.inputs['eventPattern'])).toEqual({ source: ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], detail: { severity: [{ numeric: ['>=', 7] }] } });

      // Other components (the tick scheduler) make event targets too: this bridge's is named after it.
      const target = mocks.ofType('aws:cloudwatch/eventTarget:EventTarget').find((t) => t.name.startsWith('alerts'));
      expect(target!.inputs['arn']).toBe(destinationArn);
      const template = target!.inputs['inputTransformer'].inputTemplate as string;
      expect(template).toBe(mod.GUARDDUTY_INPUT_TEMPLATE);
      // With a sample event substituted, the body is the dispatch the alert workflow reads.
      const sent = JSON.parse(template.replace('<aws.events.event.json>', JSON.stringify({ 'detail-type': 'GuardDuty Finding' })));
      expect(sent).toEqual({ event_type: 'firebreak-alert', client_payload: { v: 1, format: 'guardduty', body: { 'detail-type': 'GuardDuty Finding' } } });

      const policy = JSON.parse(mocks.ofType('aws:iam/rolePolicy:RolePolicy').find((p) => p.name === 'alerts-invoke')!.inputs['policy']);
      expect(policy.Statement).toEqual([{ Effect: 'Allow', Action: 'events:InvokeApiDestination', Resource: destinationArn }]);
      const role = mocks.ofType('aws:iam/role:Role').find((r) => r.name === 'alerts-invoke')!;
      expect(JSON.parse(role.inputs['assumeRolePolicy']).Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    });

    it('refuses a repository that is not owner/repo and a severity off GuardDuty\'s scale', () => {
      expect(() => new mod.AlertBridge('bad1', { repository: 'acme/shop/../x', githubToken: 't' })).toThrow(/owner\/repo/);
      expect(() => new mod.AlertBridge('bad2', { repository: 'acme/shop', githubToken: 't', minSeverity: 11 })).toThrow(/0–10/);
    });
  });
}
