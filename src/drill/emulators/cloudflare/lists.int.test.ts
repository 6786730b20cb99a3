import Cloudflare from 'cloudflare';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startCloudflareEmulator, type CloudflareEmulator } from './server.js';
import { ERROR_CODES } from './state.js';

/** Polls a bulk operation the way a provider would, returning every status seen. */
async function pollUntilDone(client: Cloudflare, accountId: string, operationId: string): Promise<{ statuses: string[]; error?: string }> {
  const statuses: string[] = [];
  for (let i = 0; i < 20; i++) {
    const op = await client.rules.lists.bulkOperations.get(operationId, { account_id: accountId });
    statuses.push(op.status);
    if (op.status === 'completed') return { statuses };
    if (op.status === 'failed') return { statuses, error: op.error };
  }
  throw new Error(`operation ${operationId} never finished: ${statuses.join(',')}`);
}

async function apiError(p: Promise<unknown>): Promise<InstanceType<typeof Cloudflare.APIError>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Cloudflare.APIError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('Cloudflare emulator: account IP lists', () => {
  let cf: CloudflareEmulator;
  let client: Cloudflare;
  let account: { account_id: string };

  beforeAll(async () => {
    cf = await startCloudflareEmulator({ bulk: { pollsToComplete: 2, completeAfterMs: Infinity } });
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

  const createList = (name = 'firebreak_blocked') => client.rules.lists.create({ ...account, name, kind: 'ip', description: 'drill' });

  it('creates, reads, lists and deletes a list', async () => {
    const list = await createList();
    expect(list).toMatchObject({ name: 'firebreak_blocked', kind: 'ip', num_items: 0, num_referencing_filters: 0, description: 'drill' });
    expect((await client.rules.lists.get(list.id, account)).id).toBe(list.id);
    const all = [];
    for await (const l of client.rules.lists.list(account)) all.push(l.name);
    expect(all).toEqual(['firebreak_blocked']);
    expect(await client.rules.lists.delete(list.id, account)).toEqual({ id: list.id });
    expect(cf.state.lists.size).toBe(0);
    expect((await apiError(client.rules.lists.get(list.id, account))).status).toBe(404);
  });

  it('refuses bad names, duplicates and lists beyond the plan', async () => {
    for (const name of ['Blocked', 'with-dash', 'a'.repeat(51)]) {
      const err = await apiError(createList(name));
      expect(err.status).toBe(400);
      expect(err.errors[0]?.code).toBe(ERROR_CODES.listNameInvalid);
    }
    await createList('a'.repeat(50));
    expect((await apiError(createList('a'.repeat(50)))).status).toBe(409);
    const free = await startCloudflareEmulator({ plan: 'free' });
    try {
      const c = new Cloudflare({ apiToken: free.token, baseURL: free.baseUrl, maxRetries: 0 });
      await c.rules.lists.create({ account_id: free.accountId, name: 'one', kind: 'ip' });
      const err = await apiError(c.rules.lists.create({ account_id: free.accountId, name: 'two', kind: 'ip' }));
      expect(err.errors[0]?.code).toBe(ERROR_CODES.listLimit);
      expect(free.state.lists.size).toBe(1);
    } finally {
      await free.stop();
    }
  });

  it('applies an append only when the bulk operation completes, after polling', async () => {
    const list = await createList();
    const { operation_id } = await client.rules.lists.items.create(list.id, {
      ...account,
      body: [{ ip: '198.51.100.7', comment: 'INC-1' }, { ip: '203.0.113.0/24' }, { ip: '2001:DB8::1' }],
    });
    expect(operation_id).toMatch(/^[0-9a-f]{32}$/);
    expect(cf.state.listItems(list.id)).toEqual([]);
    const { statuses } = await pollUntilDone(client, cf.accountId, operation_id);
    expect(statuses).toEqual(['running', 'completed']);
    const items = cf.state.listItems(list.id);
    // A single IPv6 address is stored as its /64, lower-cased.
    expect(items.map((i) => i.ip)).toEqual(['198.51.100.7', '203.0.113.0/24', '2001:db8::/64']);
    expect(items[0]).toMatchObject({ comment: 'INC-1' });
    expect((await client.rules.lists.get(list.id, account)).num_items).toBe(3);
    const one = await client.rules.lists.items.get(items[0]!.id, { ...account, list_id: list.id });
    expect(one).toMatchObject({ ip: '198.51.100.7', comment: 'INC-1' });
  });

  it('overwrites the comment when an existing IP is appended again (same item)', async () => {
    const list = await createList();
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1', comment: 'first' }] })).operation_id);
    const [before] = cf.state.listItems(list.id);
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1', comment: 'second' }] })).operation_id);
    const after = cf.state.listItems(list.id);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: before!.id, ip: '192.0.2.1', comment: 'second' });
  });

  it('pages items with cursors through the SDK iterator', async () => {
    const list = await createList();
    const body = Array.from({ length: 7 }, (_, i) => ({ ip: `192.0.2.${i + 1}` }));
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body })).operation_id);
    const before = cf.requests.length;
    const seen: string[] = [];
    for await (const item of client.rules.lists.items.list(list.id, { ...account, per_page: 3 })) seen.push((item as { ip: string }).ip);
    expect(seen).toEqual(body.map((b) => b.ip));
    expect(cf.requests.slice(before).filter((r) => r.operation === 'lists.items.list')).toHaveLength(3);
  });

  it('replaces all items with PUT, and an empty PUT deletes everything', async () => {
    const list = await createList();
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1' }, { ip: '192.0.2.2' }] })).operation_id);
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.update(list.id, { ...account, body: [{ ip: '198.51.100.1', comment: 'new' }] })).operation_id);
    expect(cf.state.listItems(list.id).map((i) => i.ip)).toEqual(['198.51.100.1']);
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.update(list.id, { ...account, body: [] })).operation_id);
    expect(cf.state.listItems(list.id)).toEqual([]);
  });

  it('deletes items by id (unknown ids are ignored)', async () => {
    const list = await createList();
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1' }, { ip: '192.0.2.2' }] })).operation_id);
    const [first] = cf.state.listItems(list.id);
    const { operation_id } = await client.rules.lists.items.delete(list.id, { ...account, items: [{ id: first!.id }, { id: 'f'.repeat(32) }] });
    expect(cf.state.listItems(list.id)).toHaveLength(2);
    await pollUntilDone(client, cf.accountId, operation_id);
    expect(cf.state.listItems(list.id).map((i) => i.ip)).toEqual(['192.0.2.2']);
  });

  it('rejects a second write while one bulk operation is pending, with HTTP 429', async () => {
    const list = await createList();
    const first = await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1' }] });
    const err = await apiError(client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.2' }] }));
    expect(err).toBeInstanceOf(Cloudflare.RateLimitError);
    expect(err.errors[0]?.code).toBe(ERROR_CODES.bulkOperationPending);
    // Also across lists: the limit is per account.
    const other = await createList('other');
    expect((await apiError(client.rules.lists.items.update(other.id, { ...account, body: [] }))).status).toBe(429);
    expect(cf.state.operations).toHaveLength(1);
    await pollUntilDone(client, cf.accountId, first.operation_id);
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.2' }] })).operation_id);
    expect(cf.state.listItems(list.id).map((i) => i.ip)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('completes unpolled operations after completeAfterMs, so the SDK retry of a 429 succeeds', async () => {
    const timed = await startCloudflareEmulator({ bulk: { pollsToComplete: 99, completeAfterMs: 150 } });
    try {
      const c = new Cloudflare({ apiToken: timed.token, baseURL: timed.baseUrl, maxRetries: 3 });
      const list = await c.rules.lists.create({ account_id: timed.accountId, name: 'l', kind: 'ip' });
      await c.rules.lists.items.create(list.id, { account_id: timed.accountId, body: [{ ip: '192.0.2.1' }] });
      await c.rules.lists.items.create(list.id, { account_id: timed.accountId, body: [{ ip: '192.0.2.2' }] });
      const statuses = timed.requests.filter((r) => r.operation === 'lists.items.create').map((r) => r.status);
      expect(statuses[0]).toBe(200);
      expect(statuses.at(-1)).toBe(200);
      expect(statuses).toContain(429);
      timed.state.settle();
      expect(timed.state.listItems(list.id).map((i) => i.ip)).toEqual(['192.0.2.1', '192.0.2.2']);
    } finally {
      await timed.stop();
    }
  });

  it('validates items synchronously: IPv4 /8–/32, IPv6 no narrower than /64, no host bits', async () => {
    const list = await createList();
    for (const ip of ['10.0.0.0/7', '2001:db8::/65', '2001:db8::1/128', 'not-an-ip', '10.0.0.1/24', '300.1.1.1', '10.1']) {
      const err = await apiError(client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1' }, { ip }] }));
      expect(err.status, ip).toBe(400);
      expect(err.errors[0]?.code, ip).toBe(ERROR_CODES.invalidItem);
    }
    expect(cf.state.operations).toHaveLength(0);
    const ok = await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '10.0.0.0/8' }, { ip: '2001:db8::/32' }, { ip: '192.0.2.9/32' }] });
    await pollUntilDone(client, cf.accountId, ok.operation_id);
    expect(cf.state.listItems(list.id).map((i) => i.ip)).toEqual(['10.0.0.0/8', '2001:db8::/32', '192.0.2.9/32']);
  });

  it('fails the operation (and changes nothing) when account capacity would be exceeded', async () => {
    const small = await startCloudflareEmulator({ maxItems: 3, bulk: { pollsToComplete: 1, completeAfterMs: Infinity } });
    try {
      const c = new Cloudflare({ apiToken: small.token, baseURL: small.baseUrl, maxRetries: 0 });
      const a = await c.rules.lists.create({ account_id: small.accountId, name: 'a', kind: 'ip' });
      const b = await c.rules.lists.create({ account_id: small.accountId, name: 'b', kind: 'ip' });
      await pollUntilDone(c, small.accountId, (await c.rules.lists.items.create(a.id, { account_id: small.accountId, body: [{ ip: '192.0.2.1' }, { ip: '192.0.2.2' }] })).operation_id);
      const res = await pollUntilDone(c, small.accountId, (await c.rules.lists.items.create(b.id, { account_id: small.accountId, body: [{ ip: '192.0.2.3' }, { ip: '192.0.2.4' }] })).operation_id);
      expect(res.statuses).toEqual(['failed']);
      expect(res.error).toMatch(/maximum number of list items.*3/);
      expect(small.state.listItems(b.id)).toEqual([]);
      // Re-appending existing IPs does not count twice; replacing frees capacity.
      await pollUntilDone(c, small.accountId, (await c.rules.lists.items.update(a.id, { account_id: small.accountId, body: [{ ip: '192.0.2.1' }] })).operation_id);
      const ok = await pollUntilDone(c, small.accountId, (await c.rules.lists.items.create(b.id, { account_id: small.accountId, body: [{ ip: '192.0.2.3' }, { ip: '192.0.2.4' }] })).operation_id);
      expect(ok.statuses).toEqual(['completed']);
      small.assertResponsesValid();
    } finally {
      await small.stop();
    }
  });

  it('reports a scripted operation failure with its error', async () => {
    const list = await createList();
    cf.state.failNextBulkOperation('internal error while applying items');
    const res = await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1' }] })).operation_id);
    expect(res).toEqual({ statuses: ['running', 'failed'], error: 'internal error while applying items' });
    expect(cf.state.listItems(list.id)).toEqual([]);
    // A failed operation no longer blocks the account.
    await pollUntilDone(client, cf.accountId, (await client.rules.lists.items.create(list.id, { ...account, body: [{ ip: '192.0.2.1' }] })).operation_id);
    expect(cf.state.listItems(list.id)).toHaveLength(1);
  });

  it('refuses to delete a list a rule references, and allows it once the rule is gone', async () => {
    const list = await createList('blocked');
    await client.rulesets.phases.update('http_request_firewall_custom', {
      zone_id: cf.zoneId,
      rules: [{ action: 'block', expression: 'ip.src in $blocked' }],
    });
    expect((await client.rules.lists.get(list.id, account)).num_referencing_filters).toBe(1);
    const err = await apiError(client.rules.lists.delete(list.id, account));
    expect(err.status).toBe(409);
    expect(err.errors[0]?.code).toBe(ERROR_CODES.listInUse);
    expect(cf.state.lists.has(list.id)).toBe(true);
    const rs = cf.state.entrypoint('http_request_firewall_custom')!;
    await client.rulesets.rules.delete(rs.rules[0]!.id, { ruleset_id: rs.id, zone_id: cf.zoneId });
    await client.rules.lists.delete(list.id, account);
    expect(cf.state.lists.has(list.id)).toBe(false);
  });
});
