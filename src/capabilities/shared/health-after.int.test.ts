import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { InputError, PartialFailureError } from '../../core/errors.js';
import type { Outcome, Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { buildVerifyAfterPorts } from '../../runtime/health-ports.js';
import { buildRestartServicePorts } from '../restart-service/runtime.js';
import { restartServiceStep } from '../restart-service/step.js';
import { buildRollbackPorts } from '../rollback/build-ports.js';
import { rollbackStep } from '../rollback/step.js';

/**
 * Issue 12: rollback and restart-service run the configured health checks after applying, against
 * a real local HTTP server, with ECS in moto. A failed check fails the step, and the outcome says
 * the change stays. Dry runs and refused runs send no probe.
 */

let http: Server;
let moto: MotoServer;
let ecs: ECSClient;
let hits: Record<string, number> = {};
let audit: MemoryAuditSink;
const clock = manualClock('2026-12-02T05:00:00Z');

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  hits[path] = (hits[path] ?? 0) + 1;
  const healthy = path === '/status';
  res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: healthy ? 'ok' : 'down' }));
}

const base = () => `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
/** firebreak.yml as JSON (a subset of YAML): `status` passes, `backend` answers 503. */
const config = () =>
  parseConfig(
    JSON.stringify({
      version: 1,
      health: {
        checks: [
          { name: 'status', url: `${base()}/status`, json: { path: 'status', equals: 'ok' }, retries: 0, consecutive: 2, timeout_ms: 5000 },
          { name: 'backend', url: `${base()}/backend`, retries: 1, backoff_ms: 100, timeout_ms: 5000 },
        ],
      },
      rollback: { verify_after: ['status'] },
      restart_service: { verify_after: ['status'] },
    }),
  );

const ctx = (over: Partial<Parameters<typeof makeContext>[0]> = {}) =>
  makeContext({ audit, clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, incidentId: 'INC-12', actor: 'responder', runUrl: 'https://github.example/acme/shop/actions/runs/12', ...over });
const rollbackPorts = () => {
  const cfg = config();
  return { ...buildRollbackPorts(moto.env(), { sleep: clock.sleep, clock }), verify: buildVerifyAfterPorts(moto.env(), cfg, cfg.rollback.verify_after, { sleep: clock.sleep }) };
};
const restartPorts = () => {
  const cfg = config();
  return { ...buildRestartServicePorts(moto.env(), { clock, sleep: clock.sleep, pollMs: 15_000, callAttempts: 1 }), verify: buildVerifyAfterPorts(moto.env(), cfg, cfg.restart_service.verify_after, { sleep: clock.sleep }) };
};

beforeAll(async () => {
  http = createServer(route);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  moto = await startMoto();
  ecs = new ECSClient(awsClientConfig({ ...moto.env(), AWS_ENDPOINT_URL: moto.directEndpoint }));
}, 60_000);
afterAll(async () => {
  ecs?.destroy();
  http?.closeAllConnections();
  await new Promise((r) => http?.close(r));
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  audit = new MemoryAuditSink();
  hits = {};
});

/** Cluster prod, family api revisions 1..3, service api on api:3 with 2 running. */
async function seed(running = true): Promise<string[]> {
  await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  const arns: string[] = [];
  for (let i = 1; i <= 3; i++) {
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api', image: `api:${i}`, memory: 128 }] }));
    arns.push(out.taskDefinition!.taskDefinitionArn!);
  }
  await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'api', taskDefinition: arns.at(-1)!, desiredCount: 2 }));
  // moto schedules no tasks for a new service; setting the count once makes it "running".
  if (running) await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'api', desiredCount: 2 }));
  return arns;
}
const service = async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'prod', services: ['api'] }))).services![0]!;
const updates = () => moto.requests.filter((r) => r.target?.endsWith('UpdateService')).length;
const failure = async (p: Promise<unknown>): Promise<PartialFailureError> => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof PartialFailureError)) expect.unreachable(`expected a PartialFailureError, got ${String(e)}`);
  return e;
};
const health = (outcomes: readonly Outcome[]) => outcomes.filter((o) => o.target === 'health').map((o) => `${o.subject}:${o.status}`);
const T = 'aws:ecs-service:prod/api';

describe('rollback (ECS in moto) with health checks after applying', () => {
  it('runs rollback.verify_after after the rollback; the result and the audit record carry it', async () => {
    const td = await seed();
    const run = await runStep(rollbackStep, { target: T }, rollbackPorts(), ctx());
    expect(run.result?.status).toBe('ok');
    expect((await service()).taskDefinition).toBe(td[1]);
    expect(health(run.result!.outcomes)).toEqual(['status:applied']);
    expect(hits['/status']).toBe(2); // consecutive: 2
    const record = audit.entries.at(-1)!.record;
    expect(record.status).toBe('applied');
    expect((record.plan as { meta: { verify: string[] } }).meta.verify).toEqual(['status']);
    expect(health((record.result as Result).outcomes)).toEqual(['status:applied']);
  });

  it('an unhealthy check fails the step; the rollback stays and the outcome, error and record say so', async () => {
    const td = await seed();
    const e = await failure(runStep(rollbackStep, { target: T, verify: 'status, backend' }, rollbackPorts(), ctx()));
    const outcomes = (e.result as Result).outcomes;
    expect(outcomes.map((o) => `${o.target === 'health' ? 'health' : 'rollback'}:${o.subject}:${o.status}`)).toEqual(['rollback:api:applied', 'health:status:applied', 'health:backend:failed']);
    const failed = outcomes.find((o) => o.status === 'failed')!;
    expect(failed.reason).toContain('HTTP 503, expected 200');
    expect(failed.reason).toContain('The rollback was applied and is left in place (nothing was undone)');
    expect(e.message).toContain('left in place');
    expect(hits['/backend']).toBe(2); // retries: 1
    // Left in place: the service still runs the known-good revision.
    expect((await service()).taskDefinition).toBe(td[1]);
    const record = audit.entries.at(-1)!.record;
    expect(record.status).toBe('partial');
    expect(health((record.result as Result).outcomes)).toEqual(['status:applied', 'backend:failed']);
  });

  it('a rollback that never reached steady state sends no probe and says why', async () => {
    await seed(false);
    const e = await failure(runStep(rollbackStep, { target: T, waitMinutes: '1' }, rollbackPorts(), ctx()));
    const outcomes = (e.result as Result).outcomes;
    expect(outcomes.map((o) => `${o.target === 'health' ? 'health' : 'rollback'}:${o.subject}:${o.status}`)).toEqual(['rollback:api:failed', 'health:status:skipped']);
    expect(outcomes[1]!.reason).toBe('not run: no change completed (see the other outcomes)');
    expect(hits).toEqual({});
  });

  it('a dry run plans the checks but sends no probe; `none` skips the configured default', async () => {
    await seed();
    const dry = await runStep(rollbackStep, { target: T }, rollbackPorts(), ctx({ dryRun: true }));
    expect((dry.plan?.meta as { verify: string[] }).verify).toEqual(['status']);
    expect(hits).toEqual({});
    const none = await runStep(rollbackStep, { target: T, verify: 'none' }, rollbackPorts(), ctx());
    expect(none.result?.status).toBe('ok');
    expect(health(none.result!.outcomes)).toEqual([]);
    expect(hits).toEqual({});
  });

  it('an unknown check name is refused before anything changes', async () => {
    const td = await seed();
    const before = updates();
    const e = await runStep(rollbackStep, { target: T, verify: 'status, nosuch' }, rollbackPorts(), ctx()).then(() => undefined, (x: unknown) => x);
    if (!(e instanceof InputError)) expect.unreachable(`expected an InputError, got ${String(e)}`);
    expect(e.code).toBe('VERIFY_UNKNOWN');
    expect(e.message).toContain('nosuch');
    expect(updates()).toBe(before);
    expect((await service()).taskDefinition).toBe(td[2]);
    expect(hits).toEqual({});
  });
});

describe('restart-service (moto) with health checks after applying', () => {
  it('runs restart_service.verify_after after the restart reaches steady state', async () => {
    await seed();
    const run = await runStep(restartServiceStep, { target: T, count: '3' }, restartPorts(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(run.result!.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['scale:applied', 'restart:applied', 'wait-steady:applied', 'verify:applied']);
    expect(health(run.result!.outcomes)).toEqual(['status:applied']);
    expect(hits['/status']).toBe(2);
    expect(health((audit.entries.at(-1)!.record.result as Result).outcomes)).toEqual(['status:applied']);
  });

  it('an unhealthy check fails the step; the new count stays and the outcome says so', async () => {
    await seed();
    const e = await failure(runStep(restartServiceStep, { target: T, count: '3', verify: 'backend' }, restartPorts(), ctx()));
    const outcomes = (e.result as Result).outcomes;
    expect(outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['scale:applied', 'restart:applied', 'wait-steady:applied', 'verify:failed']);
    expect(outcomes.at(-1)!.reason).toContain('The restart/scale was applied and is left in place (nothing was undone)');
    expect((await service()).desiredCount).toBe(3);
    expect(audit.entries.at(-1)!.record.status).toBe('partial');
  });

  it('a dry run sends no probe; an unknown name is refused with nothing changed', async () => {
    await seed();
    const dry = await runStep(restartServiceStep, { target: T, count: '3' }, restartPorts(), ctx({ dryRun: true }));
    expect((dry.plan?.meta as { verify: string[] }).verify).toEqual(['status']);
    const before = updates();
    const e = await runStep(restartServiceStep, { target: T, count: '3', verify: 'nosuch' }, restartPorts(), ctx()).then(() => undefined, (x: unknown) => x);
    if (!(e instanceof InputError)) expect.unreachable(`expected an InputError, got ${String(e)}`);
    expect(e.code).toBe('VERIFY_UNKNOWN');
    expect(updates()).toBe(before);
    expect((await service()).desiredCount).toBe(2);
    expect(hits).toEqual({});
  });
});
