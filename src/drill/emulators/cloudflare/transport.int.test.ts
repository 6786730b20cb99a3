import Cloudflare from 'cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RATE_LIMITED_CODE, startCloudflareEmulator, type CloudflareEmulator } from './server.js';
import { ERROR_CODES } from './state.js';

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('Cloudflare emulator: auth, spec checks and faults', () => {
  let cf: CloudflareEmulator;
  let client: Cloudflare;
  const listsPath = /\/rules\/lists$/;

  beforeAll(async () => {
    cf = await startCloudflareEmulator();
    client = new Cloudflare({ apiToken: cf.token, baseURL: cf.baseUrl, maxRetries: 0 });
  });
  afterEach(() => {
    cf.assertResponsesValid();
    expect(cf.faults.pending()).toEqual([]);
    cf.reset();
  });
  afterAll(async () => {
    await cf.stop();
  });

  it('answers in the v4 envelope', async () => {
    const res = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/rules/lists`, { headers: { authorization: `Bearer ${cf.token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, errors: [], messages: [], result: [] });
  });

  it('refuses a wrong token (403) and a missing one (401) with code 10000', async () => {
    const wrong = new Cloudflare({ apiToken: 'nope', baseURL: cf.baseUrl, maxRetries: 0 });
    const err = await caught(wrong.rules.lists.list({ account_id: cf.accountId }));
    expect(err).toBeInstanceOf(Cloudflare.PermissionDeniedError);
    expect((err as InstanceType<typeof Cloudflare.APIError>).errors).toEqual([{ code: ERROR_CODES.authentication, message: 'Authentication error' }]);
    const res = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/rules/lists`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(10000);
    expect(cf.state.lists.size).toBe(0);
  });

  it('records an unknown endpoint as a violation and answers 404', async () => {
    const err = await caught(client.zones.get({ zone_id: cf.zoneId }));
    expect(err).toBeInstanceOf(Cloudflare.NotFoundError);
    expect(String((err as Error).message)).toContain('emulator: no such endpoint');
    expect(cf.violations).toEqual([expect.objectContaining({ kind: 'unknown-endpoint', method: 'GET', path: `/client/v4/zones/${cf.zoneId}` })]);
    // An unimplemented phase is an unknown endpoint too, not a silent empty answer.
    await caught(client.rulesets.phases.get('http_request_firewall_managed', { zone_id: cf.zoneId }));
    expect(cf.violations).toHaveLength(2);
  });

  it('records a malformed request as a violation, answers 400 and changes nothing', async () => {
    const list = await client.rules.lists.create({ account_id: cf.accountId, name: 'l', kind: 'ip' });
    const bad = await caught(
      client.rules.lists.items.create(list.id, { account_id: cf.accountId, body: [{ ip: '192.0.2.1', note: 'typo' } as unknown as { ip: string }] }),
    );
    expect(bad).toBeInstanceOf(Cloudflare.BadRequestError);
    const notJson = await fetch(`${cf.baseUrl}/accounts/${cf.accountId}/rules/lists/${list.id}/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cf.token}`, 'content-type': 'application/json' },
      body: '[{"ip":',
    });
    expect(notJson.status).toBe(400);
    const badStatus = await caught(
      client.rulesets.phases.update('http_request_firewall_custom', {
        zone_id: cf.zoneId,
        rules: [{ action: 'block', expression: 'ip.src eq 192.0.2.1', action_parameters: { response: { status_code: 503, content: 'x', content_type: 'text/plain' } } }],
      }),
    );
    expect((badStatus as InstanceType<typeof Cloudflare.APIError>).status).toBe(400);
    expect(cf.violations.map((v) => v.kind)).toEqual(['malformed-request', 'malformed-request', 'malformed-request']);
    expect(cf.violations[0]?.detail).toContain('additional properties');
    expect(cf.violations[2]?.detail).toContain('status_code');
    expect(cf.state.operations).toHaveLength(0);
    expect(cf.state.entrypoint('http_request_firewall_custom')).toBeUndefined();
  });

  it('checks its own responses: an answer outside the spec is a 500 and assertResponsesValid throws', async () => {
    const list = cf.state.createList(cf.accountId, { name: 'l', kind: 'ip' });
    // Corrupt state behind the API's back: an item id the real API would never produce.
    list.items.push({ id: 'not-hex', ip: '192.0.2.1', created_on: 'yesterday', modified_on: 'yesterday' });
    const err = await caught(client.rules.lists.items.list(list.id, { account_id: cf.accountId }));
    expect(err).toBeInstanceOf(Cloudflare.InternalServerError);
    expect(cf.violations).toEqual([expect.objectContaining({ kind: 'invalid-response', operation: 'lists.items.list' })]);
    expect(() => cf.assertResponsesValid()).toThrow(/answered outside its spec/);
    cf.violations.length = 0;
  });

  it('delivers an injected 429 with Retry-After to the SDK when retries are off', async () => {
    cf.faults.add({ method: 'GET', path: listsPath, status: 429, headers: { 'retry-after': '7' }, body: { success: false, errors: [{ code: 10429, message: 'rate limited' }], messages: [], result: null } });
    const err = await caught(client.rules.lists.list({ account_id: cf.accountId }));
    expect(err).toBeInstanceOf(Cloudflare.RateLimitError);
    expect((err as InstanceType<typeof Cloudflare.APIError>).headers?.get('retry-after')).toBe('7');
    expect(cf.requests).toEqual([expect.objectContaining({ status: 429, faulted: true })]);
  });

  it('lets the SDK retry a 429 and a 503 by default, counting every request', async () => {
    const retrying = new Cloudflare({ apiToken: cf.token, baseURL: cf.baseUrl });
    cf.faults.add({ method: 'GET', path: listsPath, status: 429, headers: { 'retry-after-ms': '10' } });
    cf.faults.add({ method: 'GET', path: listsPath, status: 503, headers: { 'retry-after-ms': '10' } });
    const page = await retrying.rules.lists.list({ account_id: cf.accountId });
    expect(page.result).toEqual([]);
    expect(cf.requests.map((r) => [r.status, r.faulted])).toEqual([
      [429, true],
      [503, true],
      [200, false],
    ]);
  });

  it('delivers a 5xx as InternalServerError', async () => {
    cf.faults.add({ path: listsPath, status: 502, body: 'bad gateway' });
    expect(await caught(client.rules.lists.list({ account_id: cf.accountId }))).toBeInstanceOf(Cloudflare.InternalServerError);
  });

  it('holds a request until the SDK times out', async () => {
    cf.faults.add({ path: listsPath, timeout: true });
    const err = await caught(client.rules.lists.list({ account_id: cf.accountId }, { timeout: 150 }));
    expect(err).toBeInstanceOf(Cloudflare.APIConnectionTimeoutError);
    // Status 0: the emulator never answered (the record settles once the client has hung up).
    await vi.waitFor(() => expect(cf.requests).toEqual([expect.objectContaining({ status: 0, faulted: true })]));
  });

  it('adds latency without changing the answer', async () => {
    cf.faults.add({ path: listsPath, latencyMs: 60 });
    const started = performance.now();
    await client.rules.lists.list({ account_id: cf.accountId });
    // Latency is a fault, not a failure: the request is logged as faulted with its real status.
    expect(cf.requests).toEqual([expect.objectContaining({ status: 200, faulted: true })]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
  });

  it('emulates the global per-token limit: 429 code 971, then blocked until the block ends', async () => {
    let now = 1_000_000;
    const limited = await startCloudflareEmulator({ rateLimit: { requests: 3, windowMs: 1000, blockMs: 60_000 }, now: () => now });
    try {
      const c = new Cloudflare({ apiToken: limited.token, baseURL: limited.baseUrl, maxRetries: 0 });
      const list = () => c.rules.lists.list({ account_id: limited.accountId });
      for (let i = 0; i < 3; i++) await list();
      const err = (await caught(list())) as InstanceType<typeof Cloudflare.APIError>;
      expect(err).toBeInstanceOf(Cloudflare.RateLimitError);
      expect(err.errors[0]?.code).toBe(RATE_LIMITED_CODE);
      expect(err.headers?.get('retry-after')).toBe('60');
      now += 30_000;
      expect(await caught(list())).toBeInstanceOf(Cloudflare.RateLimitError);
      now += 30_000;
      await list();
      expect(limited.requests.map((r) => r.status)).toEqual([200, 200, 200, 429, 429, 200]);
    } finally {
      await limited.stop();
    }
  });

  it('exposes env for entry points and resets cleanly', async () => {
    expect(cf.env()).toMatchObject({ CLOUDFLARE_API_TOKEN: cf.token, CLOUDFLARE_BASE_URL: cf.baseUrl });
    await client.rules.lists.create({ account_id: cf.accountId, name: 'x', kind: 'ip' });
    cf.reset();
    expect(cf.state.lists.size).toBe(0);
    expect(cf.requests).toEqual([]);
  });
});
