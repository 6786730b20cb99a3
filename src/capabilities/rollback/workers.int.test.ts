import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError, PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startCloudflareEmulator, type CloudflareEmulator } from '../../drill/emulators/cloudflare/server.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { buildRollbackPorts } from './build-ports.js';
import { rollbackStep } from './step.js';

let cf: CloudflareEmulator;
let audit: MemoryAuditSink;
const clock = manualClock('2026-12-02T03:00:00Z');

beforeAll(async () => {
  cf = await startCloudflareEmulator();
});
afterAll(async () => {
  await cf?.stop();
});
beforeEach(() => {
  cf.reset();
  audit = new MemoryAuditSink();
});

const ports = () => buildRollbackPorts(cf.env(), { sleep: clock.sleep, clock });
const ctx = (over: Partial<Parameters<typeof makeContext>[0]> = {}) =>
  makeContext({ audit, clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, incidentId: 'INC-13', actor: 'responder', runUrl: 'https://github.example/acme/shop/actions/runs/11', ...over });
const deploysOf = (name: string) => cf.state.workers.get(name)!.deployments.length;

/** api: v1 deployed, then v2 deployed (the bad one). */
function badOverGood() {
  const script = cf.state.seedWorker('api', 1);
  const v1 = script.versions[0]!;
  const v2 = cf.state.addWorkerVersion('api');
  cf.state.deployWorker(cf.accountId, 'api', { versions: [{ version_id: v2.id, percentage: 100 }] }, false);
  return { v1, v2 };
}

describe('rollback on Cloudflare Workers (emulator, cloudflare SDK)', () => {
  it('deploys the previously deployed version at 100%; a re-run plans nothing', async () => {
    const { v1 } = badOverGood();
    const run = await runStep(rollbackStep, { target: 'cloudflare:worker:api' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(v1.id);
    const live = cf.state.workers.get('api')!.deployments[0]!;
    expect(live.versions).toEqual([{ version_id: v1.id, percentage: 100 }]);
    expect(live.annotations?.['workers/message']).toMatch(/^firebreak rollback \[[0-9a-f]{16}\] to v1/);

    // Without the marker, the "previous deployment" would now be the bad v2.
    const count = deploysOf('api');
    const again = await runStep(rollbackStep, { target: 'cloudflare:worker:api' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(deploysOf('api')).toBe(count);
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(v1.id);
    cf.assertResponsesValid();
  });

  it('secrets changed since that version: Cloudflare refuses (10220), nothing changes; with force it deploys', async () => {
    const { v1 } = badOverGood();
    cf.state.putWorkerSecret(cf.accountId, 'api', 'DB_PASSWORD', 'rotated');
    const live = cf.state.activeWorkerVersion('api')!;
    const err = await runStep(rollbackStep, { target: 'cloudflare:worker:api', to: v1.id }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const reason = ((err as PartialFailureError).result as Result).outcomes[0]!.reason!;
    expect(reason).toContain('code 10220');
    expect(reason).toContain('re-run with force');
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(live.id);
    const forced = await runStep(rollbackStep, { target: 'cloudflare:worker:api', to: v1.id, force: true }, ports(), ctx());
    expect(forced.result?.status).toBe('ok');
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(v1.id);
  });

  it('bindings changed since that version: Cloudflare refuses it even with force; nothing changes', async () => {
    const { v1 } = badOverGood();
    const rebound = cf.state.changeWorkerBindings('api');
    for (const force of [false, true]) {
      const err = await runStep(rollbackStep, { target: 'cloudflare:worker:api', to: v1.id, force, rollbackId: `bindings-${force}` }, ports(), ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PartialFailureError);
      const reason = ((err as PartialFailureError).result as Result).outcomes[0]!.reason!;
      expect(reason).toContain('Cloudflare refused version 1');
      expect(reason).toContain('bindings of api changed');
      expect(cf.state.activeWorkerVersion('api')?.id).toBe(rebound.id);
    }
  });

  it('refuses: no earlier deployment, a version outside the last 100, a malformed id', async () => {
    cf.state.seedWorker('solo', 1);
    const none = await runStep(rollbackStep, { target: 'cloudflare:worker:solo' }, ports(), ctx()).catch((e: unknown) => e);
    expect((none as InputError).code).toBe('NO_PREVIOUS_VERSION');
    const old = cf.state.seedWorker('old', 101);
    const oldest = old.versions.at(-1)!;
    const far = await runStep(rollbackStep, { target: 'cloudflare:worker:old', to: oldest.id }, ports(), ctx()).catch((e: unknown) => e);
    expect((far as InputError).code).toBe('VERSION_NOT_ELIGIBLE');
    const bad = await runStep(rollbackStep, { target: 'cloudflare:worker:old', to: 'v1' }, ports(), ctx()).catch((e: unknown) => e);
    expect((bad as InputError).code).toBe('INPUT_INVALID');
    expect(deploysOf('solo')).toBe(1);
    expect(deploysOf('old')).toBe(1);
  });

  it('a deploy that fails changes nothing and is not retried blindly; the re-run deploys once', async () => {
    const { v1 } = badOverGood();
    cf.faults.add({ method: 'POST', path: /\/workers\/scripts\/api\/deployments$/, status: 502, body: { success: false, errors: [{ code: 10000, message: 'bad gateway' }], messages: [], result: null }, times: 1 });
    const err = await runStep(rollbackStep, { target: 'cloudflare:worker:api' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(cf.state.activeWorkerVersion('api')?.id).not.toBe(v1.id);
    const rerun = await runStep(rollbackStep, { target: 'cloudflare:worker:api' }, ports(), ctx());
    expect(rerun.result?.status).toBe('ok');
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(v1.id);
    const again = await runStep(rollbackStep, { target: 'cloudflare:worker:api' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
  });
});
