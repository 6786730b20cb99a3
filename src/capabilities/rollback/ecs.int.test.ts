import { CreateClusterCommand, CreateServiceCommand, DeregisterTaskDefinitionCommand, DescribeServicesCommand, ECSClient, ListTagsForResourceCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError, PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { buildRollbackPorts } from './build-ports.js';
import { MARKER_TAG } from './ecs-marker.js';
import { rollbackStep } from './step.js';

let moto: MotoServer;
let ecs: ECSClient;
let audit: MemoryAuditSink;
const clock = manualClock('2026-12-02T03:00:00Z');

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient(awsClientConfig({ ...moto.env(), AWS_ENDPOINT_URL: moto.directEndpoint }));
}, 60_000);
afterAll(async () => {
  ecs?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  audit = new MemoryAuditSink();
});

const ports = () => buildRollbackPorts(moto.env(), { sleep: clock.sleep, clock });
const ctx = (over: Partial<Parameters<typeof makeContext>[0]> = {}) =>
  makeContext({ audit, clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, incidentId: 'INC-13', actor: 'responder', runUrl: 'https://github.example/acme/shop/actions/runs/9', ...over });

/** Cluster prod, family api with revisions 1..n, service api on the newest. */
async function seed(revisions = 3, inactive: number[] = [], running = true): Promise<string[]> {
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  const arns: string[] = [];
  for (let i = 1; i <= revisions; i++) {
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api', image: `api:${i}`, memory: 128 }] }));
    arns.push(out.taskDefinition!.taskDefinitionArn!);
  }
  for (const r of inactive) await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arns[r - 1]! }));
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'api', taskDefinition: arns.at(-1)!, desiredCount: 2 }));
  // moto schedules no tasks for a new service; setting the count once makes it "running".
  if (running) await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', desiredCount: 2 }));
  return arns;
}
const serviceTd = async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }))).services![0]!.taskDefinition;
const updates = () => moto.requests.filter((r) => r.target?.endsWith('UpdateService'));

describe('rollback on ECS (moto)', () => {
  it('moves to the previous ACTIVE revision and waits for steady state; a re-run plans nothing', async () => {
    const td = await seed(3);
    const run = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await serviceTd()).toBe(td[1]);
    expect(run.result?.outcomes[0]?.reason).toContain('runs api:2 (was api:3), steady');
    const arn = (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }))).services![0]!.serviceArn!;
    const tags = (await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags ?? [];
    expect(tags.find((t) => t.key === MARKER_TAG)?.value).toContain(td[1]);

    // Without the marker, "the revision below the current one" would now be api:1.
    const before = updates().length;
    const again = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(await serviceTd()).toBe(td[1]);
    expect(updates().length).toBe(before);
  });

  it('reports progress while the service is not steady; after the wait runs out, a re-run only waits again', async () => {
    const td = await seed(3, [], false);
    const progress: string[] = [];
    const err = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api', waitMinutes: '1' }, ports(), ctx({ progress: (m) => progress.push(m) })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(((err as PartialFailureError).result as Result).outcomes[0]?.reason).toContain('moved to api:2 but not steady (timeout: 0/2 running');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[0]).toBe('api: 0/2 running, 1 deployment(s), 0 s');
    expect(await serviceTd()).toBe(td[1]);
    const before = updates().length;
    const rerun = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api', waitMinutes: '1' }, ports(), ctx({ dryRun: true }));
    expect(rerun.plan?.changes.map((c) => c.action)).toEqual(['wait-steady']);
    expect(updates().length).toBe(before);
  });

  it('refuses an INACTIVE revision, given or right below the current one, and changes nothing', async () => {
    const td = await seed(3, [2]);
    const given = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api', to: '2' }, ports(), ctx()).catch((e: unknown) => e);
    expect(given).toBeInstanceOf(InputError);
    expect((given as InputError).code).toBe('TASK_DEFINITION_INACTIVE');
    expect((given as InputError).message).toContain('api:2 is INACTIVE (deregistered)');
    const implicit = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api' }, ports(), ctx()).catch((e: unknown) => e);
    expect((implicit as InputError).code).toBe('TASK_DEFINITION_INACTIVE');
    expect((implicit as InputError).hint).toContain('`to: 1`');
    expect(await serviceTd()).toBe(td[2]);
    expect(updates()).toEqual([]);
    // Named explicitly, the older ACTIVE one is fine.
    const run = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api', to: '1' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await serviceTd()).toBe(td[0]);
  });

  it('refuses when there is no earlier revision, and for an unknown service', async () => {
    await seed(1);
    const none = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api' }, ports(), ctx()).catch((e: unknown) => e);
    expect((none as InputError).code).toBe('NO_PREVIOUS_VERSION');
    const ghost = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/ghost' }, ports(), ctx()).catch((e: unknown) => e);
    expect((ghost as InputError).code).toBe('SERVICE_NOT_FOUND');
  });

  it('marked but the update failed: the re-run moves to the same revision, not one further back', async () => {
    const td = await seed(3);
    moto.faults.add({ target: 'UpdateService', status: 500, body: { __type: 'ServerException', message: 'boom' } });
    const err = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(((err as PartialFailureError).result as Result).outcomes[0]?.reason).toContain('still runs api:3');
    expect(await serviceTd()).toBe(td[2]);
    const rerun = await runStep(rollbackStep, { target: 'aws:ecs-service:prod/api' }, ports(), ctx());
    expect(rerun.result?.status).toBe('ok');
    expect(await serviceTd()).toBe(td[1]);
  });
});
