import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startArgoCdEmulator, type ArgoEmulator } from './server.js';

let argo: ArgoEmulator;
beforeAll(async () => {
  argo = await startArgoCdEmulator();
});
afterEach(() => argo.reset());
afterAll(async () => {
  await argo?.stop();
});

const call = (method: string, path: string, body?: unknown, token = argo.token) =>
  fetch(`${argo.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('Argo CD emulator (checked against the Swagger subset)', () => {
  it('serves an Application with its history; rollback syncs to the entry and appends one', async () => {
    argo.state.seedApp('shop', ['aaa111', 'bbb222']);
    const got = (await (await call('GET', '/api/v1/applications/shop')).json()) as { status: { history: { id: number; revision: string }[]; sync: { revision: string } } };
    expect(got.status.history.map((h) => [h.id, h.revision])).toEqual([[0, 'aaa111'], [1, 'bbb222']]);
    expect(got.status.sync.revision).toBe('bbb222');
    const res = await call('POST', '/api/v1/applications/shop/rollback', { name: 'shop', id: 0 });
    expect(res.status).toBe(200);
    const app = argo.state.get('shop')!;
    expect(app.revision).toBe('aaa111');
    expect(app.history.map((h) => h.id)).toEqual([0, 1, 2]);
    expect(argo.violations).toEqual([]);
  });

  it('refuses a rollback under automated sync (400, FailedPrecondition) and an unknown id (404)', async () => {
    argo.state.seedApp('auto', ['a', 'b'], { automated: { prune: true, selfHeal: true } });
    const auto = await call('POST', '/api/v1/applications/auto/rollback', { id: 0 });
    expect(auto.status).toBe(400);
    expect(await auto.json()).toMatchObject({ code: 9, message: 'rollback cannot be initiated when auto-sync is enabled' });
    argo.state.seedApp('manual', ['a']);
    const unknown = await call('POST', '/api/v1/applications/manual/rollback', { id: 7 });
    expect(unknown.status).toBe(404);
    expect(argo.state.get('auto')!.revision).toBe('b');
  });

  it('answers 401 without the token, and refuses requests outside the description', async () => {
    argo.state.seedApp('shop', ['a']);
    expect((await call('GET', '/api/v1/applications/shop', undefined, 'wrong')).status).toBe(401);
    expect((await call('POST', '/api/v1/applications/shop/rollback', { id: 0, bogus: true })).status).toBe(400);
    expect((await call('POST', '/api/v1/applications/shop/rollback', { id: 'zero' })).status).toBe(400);
    expect((await call('GET', '/api/v1/applications/shop?nope=1')).status).toBe(400);
    expect((await call('DELETE', '/api/v1/applications/shop')).status).toBe(404);
    expect(argo.violations.map((v) => v.kind)).toEqual(['request', 'request', 'request', 'unknown-endpoint']);
    argo.violations.length = 0;
  });

  it('merge-patches annotations', async () => {
    argo.state.seedApp('shop', ['a']);
    const res = await call('PATCH', '/api/v1/applications/shop', { name: 'shop', patchType: 'merge', patch: JSON.stringify({ metadata: { annotations: { 'x.io/y': 'z' } } }) });
    expect(res.status).toBe(200);
    expect(argo.state.get('shop')!.annotations).toEqual({ 'x.io/y': 'z' });
    expect((await call('PATCH', '/api/v1/applications/shop', { name: 'shop', patchType: 'merge', patch: JSON.stringify({ spec: { source: {} } }) })).status).toBe(400);
  });
});
