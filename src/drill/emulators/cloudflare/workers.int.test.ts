import Cloudflare from 'cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCloudflareEmulator, type CloudflareEmulator } from './server.js';
import { ERROR_CODES, WORKER_ROLLBACK_WINDOW } from './state.js';

async function apiError(p: Promise<unknown>): Promise<InstanceType<typeof Cloudflare.APIError>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Cloudflare.APIError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('Cloudflare emulator: Workers versions and deployments (rollback)', () => {
  let cf: CloudflareEmulator;
  let client: Cloudflare;
  let account: { account_id: string };

  beforeAll(async () => {
    cf = await startCloudflareEmulator();
    client = new Cloudflare({ apiToken: cf.token, baseURL: cf.baseUrl, maxRetries: 0 });
    account = { account_id: cf.accountId };
  });
  afterEach(() => {
    cf.assertResponsesValid();
    expect(cf.violations).toEqual([]);
    cf.reset();
  });
  afterAll(async () => {
    await cf.stop();
  });

  const rollback = (script: string, versionId: string, force?: boolean) =>
    client.workers.scripts.deployments.create(script, {
      ...account,
      strategy: 'percentage',
      versions: [{ version_id: versionId, percentage: 100 }],
      annotations: { 'workers/message': 'firebreak rollback' },
      ...(force === undefined ? {} : { force }),
    });

  it('lists versions newest first across pages', async () => {
    cf.state.seedWorker('api', 12);
    const numbers: number[] = [];
    for await (const v of client.workers.scripts.versions.list('api', account)) numbers.push(v.number!);
    expect(numbers).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(cf.requests.filter((r) => r.operation === 'workers.versions.list').length).toBeGreaterThan(1);
  });

  it('rolls back by deploying an earlier version at 100%', async () => {
    const script = cf.state.seedWorker('api', 3);
    const previous = script.versions[1]!;
    const deployment = await rollback('api', previous.id);
    expect(deployment).toMatchObject({ strategy: 'percentage', versions: [{ version_id: previous.id, percentage: 100 }], annotations: { 'workers/message': 'firebreak rollback' } });
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(previous.id);
    const page = await client.workers.scripts.deployments.list('api', account);
    const deployments = (page.result as unknown as { deployments: { id: string }[] }).deployments;
    expect(deployments[0]?.id).toBe(deployment.id);
    expect(deployments).toHaveLength(2);
  });

  it('refuses a rollback across a secrets change with 10220 unless forced', async () => {
    const script = cf.state.seedWorker('api', 2);
    const before = script.versions[0]!;
    await client.workers.scripts.secrets.update('api', { ...account, name: 'DB_PASSWORD', text: 'rotated', type: 'secret_text' });
    // Setting a secret deploys a new version.
    expect(cf.state.activeWorkerVersion('api')?.number).toBe(3);
    const err = await apiError(rollback('api', before.id));
    expect(err.status).toBe(400);
    expect(err.errors[0]?.code).toBe(ERROR_CODES.secretsChanged);
    expect(cf.state.activeWorkerVersion('api')?.number).toBe(3);
    await rollback('api', before.id, true);
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(before.id);
  });

  it('refuses a version whose bindings changed since, even forced (400, nothing deployed)', async () => {
    const script = cf.state.seedWorker('api', 2);
    const before = script.versions[0]!;
    const rebound = cf.state.changeWorkerBindings('api');
    for (const force of [undefined, true]) {
      const err = await apiError(rollback('api', before.id, force));
      expect(err.status).toBe(400);
      expect(err.errors[0]?.code).toBe(ERROR_CODES.bindingsChanged);
    }
    expect(cf.state.activeWorkerVersion('api')?.id).toBe(rebound.id);
  });

  it(`only the last ${WORKER_ROLLBACK_WINDOW} versions are eligible`, async () => {
    const script = cf.state.seedWorker('api', WORKER_ROLLBACK_WINDOW + 1);
    const oldest = script.versions.at(-1)!;
    const err = await apiError(rollback('api', oldest.id));
    expect(err.errors[0]?.code).toBe(ERROR_CODES.versionNotEligible);
    await rollback('api', script.versions[WORKER_ROLLBACK_WINDOW - 1]!.id);
    expect(cf.state.activeWorkerVersion('api')?.number).toBe(2);
  });

  it('refuses splits that do not add up to 100% and unknown scripts', async () => {
    const script = cf.state.seedWorker('api', 2);
    const err = await apiError(
      client.workers.scripts.deployments.create('api', {
        ...account,
        strategy: 'percentage',
        versions: [
          { version_id: script.versions[0]!.id, percentage: 50 },
          { version_id: script.versions[1]!.id, percentage: 40 },
        ],
      }),
    );
    expect(err.status).toBe(400);
    expect((await apiError(rollback('missing', script.versions[0]!.id))).status).toBe(404);
    expect(script.deployments).toHaveLength(1);
  });
});
