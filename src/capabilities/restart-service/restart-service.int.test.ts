import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep, type GuardOverride } from '../../core/step.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { buildRestartServicePorts } from './runtime.js';
import { restartServiceStep } from './step.js';

let moto: MotoServer;
let ecs: ECSClient;
const T = 'aws:ecs-service:shop/backend';

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop' }));
  const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'backend', containerDefinitions: [{ name: 'backend', image: 'backend:7', memory: 256 }] }));
  await ecs.send(new CreateServiceCommand({ cluster: 'shop', serviceName: 'backend', taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 2 }));
}, 60_000);
afterAll(async () => {
  ecs?.destroy();
  await moto?.stop();
});

function setup(overrides: GuardOverride[] = []) {
  const clock = manualClock('2026-12-02T04:00:00Z');
  const progress: string[] = [];
  const ctx = makeContext({ audit: new MemoryAuditSink(), clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, incidentId: 'INC-20261202-slow', actor: 'responder', overrides, progress: (m) => progress.push(m) });
  const ports = buildRestartServicePorts(moto.env(), { clock, sleep: clock.sleep, pollMs: 15_000, callAttempts: 1 });
  return { ctx, ports, progress, clock };
}
const desired = async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'shop', services: ['backend'] }))).services![0]!.desiredCount;
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof FirebreakError)) expect.unreachable(`expected a FirebreakError, got ${String(e)}`);
  return e;
};

describe('restart-service (moto)', () => {
  it('seed 004: restart and scale to 3, then steady', async () => {
    const { ctx, ports } = setup();
    const run = await runStep(restartServiceStep, { target: T, count: '3' }, ports, ctx);
    expect(run.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['scale:applied', 'restart:applied', 'wait-steady:applied']);
    expect(run.result?.outcomes[0]!.reason).toBe('desired count 2 → 3');
    expect(await desired()).toBe(3);
  });

  it('a re-run with the count already there and restart off changes nothing', async () => {
    const { ctx, ports } = setup();
    const run = await runStep(restartServiceStep, { target: T, count: '3', restart: 'false' }, ports, ctx);
    expect(run.result?.status).toBe('noop');
    expect(run.result?.outcomes.map((o) => o.reason)).toContain('already 3');
  });

  it('a rollout in progress is waited for, not restarted again; a timeout reports progress and says the change stands', async () => {
    const { ctx, ports, progress } = setup();
    const rolling = {
      services: [
        {
          serviceName: 'backend',
          status: 'ACTIVE',
          taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/backend:1',
          desiredCount: 3,
          runningCount: 1,
          pendingCount: 2,
          deployments: [
            { id: 'ecs-svc/2', status: 'PRIMARY', desiredCount: 3, runningCount: 1 },
            { id: 'ecs-svc/1', status: 'ACTIVE', desiredCount: 0, runningCount: 0 },
          ],
        },
      ],
      failures: [],
    };
    moto.faults.add({ target: 'DescribeServices', times: Infinity, status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: rolling });
    const from = moto.requests.length;
    let e: unknown;
    try {
      e = await runStep(restartServiceStep, { target: T, timeoutMinutes: '1' }, ports, ctx).then(() => undefined, (x: unknown) => x);
    } finally {
      moto.faults.clear();
    }
    if (!(e instanceof PartialFailureError)) expect.unreachable(String(e));
    const outcomes = (e.result as { outcomes: Array<{ action: string; status: string; reason: string }> }).outcomes;
    expect(outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['wait-steady:failed']);
    expect(outcomes[0]!.reason).toContain('not steady (timeout) after 60s: 1 of 3 running, 2 deployment(s)');
    expect(progress[0]).toBe('backend: 1 of 3 running, 2 deployment(s), waited 0s');
    expect(progress).toHaveLength(5);
    expect(moto.requests.slice(from).some((r) => r.target?.endsWith('.UpdateService'))).toBe(false);
  });

  it('a failed scale skips the restart and says the count is unchanged', async () => {
    const { ctx, ports } = setup();
    moto.faults.add({ target: 'UpdateService', times: 1, ...awsJsonError('AccessDeniedException', 'drill: not allowed') });
    const e = await runStep(restartServiceStep, { target: T, count: '4' }, ports, ctx).then(() => undefined, (x: unknown) => x);
    moto.faults.clear();
    if (!(e instanceof PartialFailureError)) expect.unreachable(String(e));
    expect((e.result as { outcomes: Array<{ action: string; status: string }> }).outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['scale:failed', 'restart:skipped']);
    expect(await desired()).toBe(3);
  });

  it('refuses scaling to zero unless overridden, a missing service, and bad counts, changing nothing', async () => {
    expect((await refusal(runStep(restartServiceStep, { target: T, count: '0', restart: 'false' }, setup().ports, setup().ctx))).code).toBe('SCALE_TO_ZERO');
    expect(await desired()).toBe(3);
    expect((await refusal(runStep(restartServiceStep, { target: 'aws:ecs-service:shop/ghost' }, setup().ports, setup().ctx))).code).toBe('TARGET_NOT_FOUND');
    expect((await refusal(runStep(restartServiceStep, { target: T, count: '-1' }, setup().ports, setup().ctx))).code).toBe('INPUT_INVALID');
    expect((await refusal(runStep(restartServiceStep, { target: T, count: '1001' }, setup().ports, setup().ctx))).code).toBe('INPUT_INVALID');
    const { ctx, ports } = setup([{ guard: 'SCALE_TO_ZERO', reason: 'drain before the rebuild' }]);
    expect((await runStep(restartServiceStep, { target: T, count: '0', restart: 'false', wait: 'false' }, ports, ctx)).result?.status).toBe('ok');
    expect(await desired()).toBe(0);
  });
});
