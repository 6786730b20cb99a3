import { CreateClusterCommand, CreateServiceCommand, DeregisterTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../core/errors.js';
import { steadiness, type EcsProgress } from '../../core/ports/ecs.js';
import { manualClock } from '../../core/runtime.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { AwsEcsServices } from './ecs-services.js';

let moto: MotoServer;
let ecs: ECSClient;
const td: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient(awsClientConfig(moto.env()));
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  for (const image of ['api:1', 'api:2', 'api:3']) {
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api', image, memory: 128 }] }));
    td.push(out.taskDefinition!.taskDefinitionArn!);
  }
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: td[0]! }));
  // moto never schedules tasks: a new service stays at 0 running of 2 desired until it is updated.
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'api', taskDefinition: td[2]!, desiredCount: 2 }));
});
afterAll(async () => {
  ecs?.destroy();
  await moto?.stop();
});

const services = (clock = manualClock('2026-12-02T00:00:00Z')) => ({ clock, ecs: new AwsEcsServices({ client: ecs, clock, sleep: clock.sleep }) });

describe('AwsEcsServices against moto', () => {
  it('describes a service and reports an unknown one as undefined', async () => {
    const { ecs: s } = services();
    const state = await s.describe({ cluster: 'prod', service: 'api' });
    expect(state).toMatchObject({ status: 'ACTIVE', taskDefinition: td[2]!, desiredCount: 2, runningCount: 0 });
    expect(state!.deployments).toHaveLength(1);
    expect(await s.describe({ cluster: 'prod', service: 'nope' })).toBeUndefined();
  });

  it('times out with progress when the service never settles (services-stable rule), on the injected clock', async () => {
    const { ecs: s, clock } = services();
    const progress: EcsProgress[] = [];
    const result = await s.waitSteady({ cluster: 'prod', service: 'api' }, { timeoutMs: 60_000, pollMs: 15_000, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ settled: false, reason: 'timeout' });
    expect(progress.map((p) => p.waitedMs)).toEqual([0, 15_000, 30_000, 45_000, 60_000]);
    expect(progress[0]).toMatchObject({ runningCount: 0, desiredCount: 2 });
    expect(clock.now().toISOString()).toBe('2026-12-02T00:01:00.000Z');
  });

  it('a missing service is terminal at once, not a timeout', async () => {
    const { ecs: s } = services();
    expect(await s.waitSteady({ cluster: 'prod', service: 'ghost' }, { timeoutMs: 60_000 })).toMatchObject({ settled: false, reason: 'missing', waitedMs: 0 });
  });

  it('scales, forces a new deployment and moves to another revision; settles after each', async () => {
    const { ecs: s } = services();
    const ref = { cluster: 'prod', service: 'api' };
    expect((await s.update(ref, { kind: 'desired-count', desiredCount: 3 })).desiredCount).toBe(3);
    expect(await s.waitSteady(ref, { timeoutMs: 60_000 })).toMatchObject({ settled: true, waitedMs: 0 });
    await s.update(ref, { kind: 'force-new-deployment' });
    expect((await s.waitSteady(ref, { timeoutMs: 60_000 })).settled).toBe(true);
    expect((await s.update(ref, { kind: 'task-definition', taskDefinition: td[1]! })).taskDefinition).toBe(td[1]!);
  });

  it('knows task definition revisions and their status; an unknown one is undefined', async () => {
    const { ecs: s } = services();
    expect(await s.describeTaskDefinition(td[0]!)).toMatchObject({ family: 'api', revision: 1, status: 'INACTIVE' });
    expect(await s.describeTaskDefinition(td[2]!)).toMatchObject({ revision: 3, status: 'ACTIVE' });
    expect(await s.describeTaskDefinition('arn:aws:ecs:us-east-1:123456789012:task-definition/none:9')).toBeUndefined();
    expect(await s.listTaskDefinitions('api', 'ACTIVE')).toEqual([td[2]!, td[1]!]);
    expect(await s.listTaskDefinitions('api', 'INACTIVE')).toEqual([td[0]!]);
  });

  it('an update of a missing service is a typed provider error naming the service', async () => {
    const { ecs: s } = services();
    const err = await s.update({ cluster: 'prod', service: 'ghost' }, { kind: 'force-new-deployment' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toContain('service ghost in cluster prod');
  });
});

describe('steadiness (the services-stable acceptors)', () => {
  const base = { ref: { cluster: 'c', service: 's' }, status: 'ACTIVE', taskDefinition: 't', desiredCount: 2, runningCount: 2, pendingCount: 0 };
  const dep = { id: 'd', status: 'PRIMARY', taskDefinition: 't', desiredCount: 2, runningCount: 2, pendingCount: 0, rolloutState: undefined };
  it('steady only with one deployment and running == desired', () => {
    expect(steadiness({ ...base, deployments: [dep] })).toEqual({ steady: true });
    expect(steadiness({ ...base, deployments: [dep, { ...dep, status: 'ACTIVE' }] })).toEqual({ steady: false });
    expect(steadiness({ ...base, runningCount: 1, deployments: [dep] })).toEqual({ steady: false });
    expect(steadiness({ ...base, status: 'DRAINING', deployments: [dep] })).toEqual({ steady: false, terminal: 'draining' });
    expect(steadiness({ ...base, status: 'INACTIVE', deployments: [dep] })).toEqual({ steady: false, terminal: 'inactive' });
    expect(steadiness(undefined)).toEqual({ steady: false, terminal: 'missing' });
  });
});
