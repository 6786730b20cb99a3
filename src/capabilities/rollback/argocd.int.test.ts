import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GuardError, InputError, PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startArgoCdEmulator, type ArgoEmulator } from '../../drill/emulators/argocd/server.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { MARKER_ANNOTATION } from './argocd.js';
import { buildRollbackPorts } from './build-ports.js';
import { rollbackStep } from './step.js';

let argo: ArgoEmulator;
let audit: MemoryAuditSink;
const clock = manualClock('2026-12-02T03:00:00Z');

beforeAll(async () => {
  argo = await startArgoCdEmulator();
});
afterAll(async () => {
  await argo?.stop();
});
beforeEach(() => {
  argo.reset();
  audit = new MemoryAuditSink();
});

const ports = () => buildRollbackPorts(argo.env(), { sleep: clock.sleep, clock });
const ctx = (over: Partial<Parameters<typeof makeContext>[0]> = {}) =>
  makeContext({ audit, clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, incidentId: 'INC-13', actor: 'responder', runUrl: 'https://github.example/acme/shop/actions/runs/12', ...over });
const rollbacks = () => argo.requests.filter((r) => r.operationId === 'ApplicationService_Rollback');

describe('rollback on Argo CD (emulator, REST with a bearer token)', () => {
  it('rolls back to the newest entry with another revision; a re-run plans nothing', async () => {
    argo.state.seedApp('shop', ['r1', 'r2-good', 'r3-bad']);
    const run = await runStep(rollbackStep, { target: 'argocd:application:shop' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const app = argo.state.get('shop')!;
    expect(app.revision).toBe('r2-good');
    expect(app.annotations[MARKER_ANNOTATION]).toMatch(/^[0-9a-f]{16} 1$/);
    // History now ends with r3-bad, r2-good: without the marker a re-run would go "back" to r3-bad.
    const again = await runStep(rollbackStep, { target: 'argocd:application:shop' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(rollbacks()).toHaveLength(1);
    expect(argo.state.get('shop')!.revision).toBe('r2-good');
    argo.assertNoViolations();
  });

  it('refuses under automated sync, an unknown history id, and an app with one revision', async () => {
    argo.state.seedApp('auto', ['a', 'b'], { automated: { selfHeal: true } });
    const auto = await runStep(rollbackStep, { target: 'argocd:application:auto' }, ports(), ctx()).catch((e: unknown) => e);
    expect(auto).toBeInstanceOf(GuardError);
    expect((auto as GuardError).code).toBe('ARGOCD_AUTO_SYNC');
    expect((auto as GuardError).overridable).toBe(false);
    argo.state.seedApp('shop', ['a', 'b']);
    const unknown = await runStep(rollbackStep, { target: 'argocd:application:shop', to: '9' }, ports(), ctx()).catch((e: unknown) => e);
    expect((unknown as InputError).code).toBe('HISTORY_ID_NOT_FOUND');
    argo.state.seedApp('single', ['a', 'a']);
    const none = await runStep(rollbackStep, { target: 'argocd:application:single' }, ports(), ctx()).catch((e: unknown) => e);
    expect((none as InputError).code).toBe('NO_PREVIOUS_VERSION');
    const missing = await runStep(rollbackStep, { target: 'argocd:application:ghost' }, ports(), ctx()).catch((e: unknown) => e);
    expect((missing as InputError).code).toBe('APPLICATION_NOT_FOUND');
    expect(rollbacks()).toEqual([]);
    expect(argo.state.get('auto')!.revision).toBe('b');
  });

  it('marked, then the rollback call failed: the re-run uses the same history id', async () => {
    argo.state.seedApp('shop', ['r1', 'r2-good', 'r3-bad']);
    argo.faults.add({ method: 'POST', path: '/api/v1/applications/shop/rollback', status: 503, body: { error: 'unavailable', code: 14, message: 'unavailable' } });
    const err = await runStep(rollbackStep, { target: 'argocd:application:shop', to: '0' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(((err as PartialFailureError).result as Result).outcomes[0]?.reason).toContain('still at r3-bad');
    expect(argo.state.get('shop')!.annotations[MARKER_ANNOTATION]).toMatch(/ 0$/);
    // The re-run does not pass `to`: the marker keeps it at id 0, not "the previous" id 1.
    const rerun = await runStep(rollbackStep, { target: 'argocd:application:shop' }, ports(), ctx());
    expect(rerun.result?.status).toBe('ok');
    expect(argo.state.get('shop')!.revision).toBe('r1');
  });

  it('a token Argo CD does not accept is a clear provider error', async () => {
    argo.state.seedApp('shop', ['a', 'b']);
    const env = { ...argo.env(), ARGOCD_AUTH_TOKEN: 'stale' };
    const err = await runStep(rollbackStep, { target: 'argocd:application:shop' }, buildRollbackPorts(env, { sleep: clock.sleep, clock }), ctx()).catch((e: unknown) => e);
    expect((err as Error).message).toContain('HTTP 401');
    expect((err as Error).message).not.toContain('stale');
  });
});
