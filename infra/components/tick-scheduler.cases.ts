import { beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_INPUT_TEMPLATE, SCHEDULER_INPUT } from '../../src/core/incident/tick-dispatch.js';
import { settle, valueOf, TEST_ACCOUNT, type MockRecorder } from '../testing/mocks.js';

/**
 * Cases for tick-scheduler.ts (issue 10 §7); run by components.test.ts under one set of strict
 * mocks. Sources: AWS "EventBridge Scheduler — flexible time windows" (mode OFF: invoked at the
 * scheduled time), "Schedule types — cron expressions" (six fields, `0/5`), "API destinations"
 * (connection credentials kept in Secrets Manager; rule target with an IAM role), and GitHub
 * "Create a repository dispatch event" (`POST /repos/{owner}/{repo}/dispatches`).
 */
export function tickSchedulerCases(mocks: MockRecorder): void {
  let mod: typeof import('./tick-scheduler.js');

  beforeAll(async () => {
    mod = await import('./tick-scheduler.js');
  });

  describe('TickScheduler', () => {
    it('schedules every 5 minutes on the minute, window OFF, onto its bus with the scheduled time', async () => {
      const t = new mod.TickScheduler('ticks', { repository: 'acme/shop', githubToken: 'ghp_exampletoken' });
      expect(await valueOf(t.scheduleArn)).toBe(`arn:aws:scheduler:eu-west-1:${TEST_ACCOUNT}:schedule/default/firebreak-ticks`);
      await settle();
      expect(mocks.named('ticks').type).toBe('firebreak:aws:TickScheduler');
      const s = mocks.named('ticks-schedule');
      expect(s.type).toBe('aws:scheduler/schedule:Schedule');
      expect(s.inputs).toMatchObject({ scheduleExpression: 'cron(0/5 * * * ? *)', scheduleExpressionTimezone: 'UTC', flexibleTimeWindow: { mode: 'OFF' } });
      expect(s.inputs['target']).toMatchObject({
        arn: `arn:aws:events:eu-west-1:${TEST_ACCOUNT}:event-bus/firebreak-ticks`,
        roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/firebreak-ticks-scheduler`,
        eventbridgeParameters: { source: 'firebreak.scheduler', detailType: 'firebreak-tick' },
        input: SCHEDULER_INPUT,
      });
      expect(JSON.parse(s.inputs['target'].input)).toEqual({ scheduled_time: '<aws.scheduler.scheduled-time>' });
    });

    it('the rule sends the tick to the API destination for POST /repos/acme/shop/dispatches, through its own role', async () => {
      const dest = mocks.named('ticks-destination');
      expect(dest.inputs).toMatchObject({ httpMethod: 'POST', invocationEndpoint: 'https://api.github.com/repos/acme/shop/dispatches', connectionArn: `arn:aws:events:eu-west-1:${TEST_ACCOUNT}:connection/firebreak-ticks-github/conn-id` });
      const rule = mocks.named('ticks-rule');
      expect(JSON.parse(rule.inputs['eventPattern'])).toEqual({ source: ['firebreak.scheduler'], 'detail-type': ['firebreak-tick'] });
      expect(rule.inputs['eventBusName']).toBe('firebreak-ticks');
      const target = mocks.named('ticks-target');
      expect(target.inputs).toMatchObject({
        arn: `arn:aws:events:eu-west-1:${TEST_ACCOUNT}:api-destination/firebreak-ticks-github-dispatch/dest-id`,
        roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/firebreak-ticks-invoke`,
        inputTransformer: { inputPaths: { scheduled: '$.detail.scheduled_time' }, inputTemplate: DISPATCH_INPUT_TEMPLATE },
        httpTarget: { headerParameters: { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' } },
      });
    });

    it('least privilege: the scheduler may only put events on its bus, the rule only invoke its destination', async () => {
      const pol = (n: string) => JSON.parse(mocks.named(n).inputs['policy']).Statement;
      expect(pol('ticks-scheduler-policy')).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: `arn:aws:events:eu-west-1:${TEST_ACCOUNT}:event-bus/firebreak-ticks` }]);
      expect(pol('ticks-invoke-policy')).toEqual([{ Effect: 'Allow', Action: 'events:InvokeApiDestination', Resource: `arn:aws:events:eu-west-1:${TEST_ACCOUNT}:api-destination/firebreak-ticks-github-dispatch/dest-id` }]);
      const trust = (n: string) => JSON.parse(mocks.named(n).inputs['assumeRolePolicy']).Statement[0];
      expect(trust('ticks-scheduler-role')).toEqual({ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT } } });
      expect(trust('ticks-invoke-role').Principal).toEqual({ Service: 'events.amazonaws.com' });
    });

    it('the token sits only in the connection (API key auth), as a secret', async () => {
      const c = mocks.named('ticks-connection');
      expect(c.inputs['authorizationType']).toBe('API_KEY');
      // Pulumi marks the whole auth block secret (its secret signature), so the state file holds it encrypted.
      const SECRET_SIG = '4dabf18193072939515e22adb298388d';
      expect(c.inputs['authParameters']).toEqual({ [SECRET_SIG]: '1b47061264138c4ac30d75fd1eb44270', value: { apiKey: { key: 'Authorization', value: 'Bearer ghp_exampletoken' } } });
      const others = mocks.resources.filter((r) => r.name.startsWith('ticks') && r.name !== 'ticks-connection');
      expect(others.filter((r) => JSON.stringify(r.inputs).includes('ghp_exampletoken')).map((r) => r.name)).toEqual([]);
    });

    it('refuses an interval that does not divide the hour, a bad repository or a plain-http API', () => {
      expect(() => new mod.TickScheduler('t7', { repository: 'acme/shop', githubToken: 'x', everyMinutes: 7 })).toThrow(/must divide 60/);
      expect(() => new mod.TickScheduler('tr', { repository: 'acme', githubToken: 'x' })).toThrow(/owner\/name/);
      expect(() => new mod.TickScheduler('th', { repository: 'acme/shop', githubToken: 'x', apiUrl: 'http://ghe.local/api/v3' })).toThrow(/https/);
      expect(mod.tickScheduleExpression(15)).toBe('cron(0/15 * * * ? *)');
      expect(mod.tickScheduleExpression(1)).toBe('cron(* * * * ? *)');
    });
  });
}
