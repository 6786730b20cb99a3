import Cloudflare from 'cloudflare';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCloudflareEmulator, type CloudflareEmulator } from './server.js';
import { ERROR_CODES } from './state.js';

const PHASE = 'http_request_firewall_custom';

interface RuleView {
  id: string;
  ref: string;
  version: string;
  action: string;
  expression: string;
  enabled: boolean;
  description?: string;
  action_parameters?: unknown;
}
interface RulesetView {
  id: string;
  version: string;
  phase: string;
  rules: RuleView[];
}
/** The SDK's ruleset unions are too wide for tests to read comfortably; narrow to what we assert. */
const view = (r: unknown) => r as RulesetView;

async function apiError(p: Promise<unknown>): Promise<InstanceType<typeof Cloudflare.APIError>> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Cloudflare.APIError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const blockResponse = { response: { status_code: 403, content: '{"blocked":true}', content_type: 'application/json' as const } };

describe('Cloudflare emulator: zone rulesets', () => {
  let cf: CloudflareEmulator;
  let client: Cloudflare;
  let zone: { zone_id: string };

  beforeAll(async () => {
    cf = await startCloudflareEmulator();
    client = new Cloudflare({ apiToken: cf.token, baseURL: cf.baseUrl, maxRetries: 0 });
    zone = { zone_id: cf.zoneId };
  });
  beforeEach(async () => {
    await client.rules.lists.create({ account_id: cf.accountId, name: 'firebreak_blocked', kind: 'ip' });
  });
  afterEach(() => {
    cf.assertResponsesValid();
    expect(cf.violations).toEqual([]);
    cf.reset();
  });
  afterAll(async () => {
    await cf.stop();
  });

  const putTwoRules = async () =>
    view(
      await client.rulesets.phases.update(PHASE, {
        ...zone,
        rules: [
          { action: 'block', expression: 'ip.src in $firebreak_blocked', description: 'firebreak block', action_parameters: blockResponse, ref: 'firebreak-block' },
          { action: 'managed_challenge', expression: '(http.request.uri.path eq "/login")', description: 'login', enabled: false },
        ],
      }),
    );

  it('has no entry point until one is PUT (404, code 10003)', async () => {
    const err = await apiError(client.rulesets.phases.get(PHASE, zone));
    expect(err.status).toBe(404);
    expect(err.errors[0]?.code).toBe(ERROR_CODES.entrypointNotFound);
  });

  it('creates the entry point with PUT and reads it by phase and by id', async () => {
    const created = await putTwoRules();
    expect(created).toMatchObject({ phase: PHASE, version: '1' });
    expect(created.rules.map((r) => [r.action, r.enabled, r.version])).toEqual([
      ['block', true, '1'],
      ['managed_challenge', false, '1'],
    ]);
    expect(created.rules[0]?.ref).toBe('firebreak-block');
    expect(created.rules[1]?.ref).toBe(created.rules[1]?.id);
    const byPhase = view(await client.rulesets.phases.get(PHASE, zone));
    const byId = view(await client.rulesets.get(created.id, zone));
    expect(byPhase).toEqual(created);
    expect(byId).toEqual(created);
  });

  it('PUT drops rules not sent and keeps id and version of unchanged rules', async () => {
    const created = await putTwoRules();
    const [block] = created.rules;
    const updated = view(
      await client.rulesets.phases.update(PHASE, {
        ...zone,
        rules: [{ id: block!.id, ref: block!.ref, action: 'block', expression: block!.expression, description: block!.description!, action_parameters: blockResponse }],
      }),
    );
    expect(updated.version).toBe('2');
    expect(updated.rules).toHaveLength(1);
    expect(updated.rules[0]).toMatchObject({ id: block!.id, version: '1' });
    expect(cf.state.entrypoint(PHASE)?.rules).toHaveLength(1);
  });

  it('PATCH replaces the rule: fields not sent are dropped (enabled falls back to true)', async () => {
    const created = await putTwoRules();
    const login = created.rules[1]!;
    const patched = view(await client.rulesets.rules.edit(login.id, { ...zone, ruleset_id: created.id, action: 'block', expression: login.expression }));
    const rule = patched.rules.find((r) => r.id === login.id)!;
    expect(rule).toMatchObject({ id: login.id, ref: login.ref, action: 'block', enabled: true, version: '2' });
    expect(rule.description).toBeUndefined();
    expect(patched.rules.map((r) => r.id)).toEqual(created.rules.map((r) => r.id));
  });

  it('PATCH that sends every field keeps them', async () => {
    const created = await putTwoRules();
    const block = created.rules[0]!;
    const patched = view(
      await client.rulesets.rules.edit(block.id, {
        ...zone,
        ruleset_id: created.id,
        action: 'block',
        expression: 'ip.src in $firebreak_blocked or ip.src eq 192.0.2.1',
        description: block.description!,
        action_parameters: blockResponse,
        enabled: true,
        ref: block.ref,
      }),
    );
    expect(patched.rules[0]).toMatchObject({ description: 'firebreak block', action_parameters: blockResponse, ref: 'firebreak-block', version: '2' });
  });

  it('POST adds a rule at the end or at a position', async () => {
    const created = await putTwoRules();
    const end = view(await client.rulesets.rules.create(created.id, { ...zone, action: 'log', expression: 'ip.src eq 192.0.2.9' }));
    expect(end.rules.map((r) => r.action)).toEqual(['block', 'managed_challenge', 'log']);
    const first = view(
      await client.rulesets.rules.create(created.id, { ...zone, action: 'block', expression: 'ip.src eq 192.0.2.10', position: { before: created.rules[0]!.id } }),
    );
    expect(first.rules.map((r) => r.expression)[0]).toBe('ip.src eq 192.0.2.10');
    expect(first.version).toBe('3');
  });

  it('refuses expressions naming unknown lists or with unbalanced parentheses, changing nothing', async () => {
    const created = await putTwoRules();
    const unknown = await apiError(client.rulesets.rules.create(created.id, { ...zone, action: 'block', expression: 'ip.src in $nope' }));
    expect(unknown.status).toBe(400);
    expect(unknown.errors[0]?.code).toBe(ERROR_CODES.unknownList);
    const unbalanced = await apiError(client.rulesets.phases.update(PHASE, { ...zone, rules: [{ action: 'block', expression: '(ip.src eq 192.0.2.1' }] }));
    expect(unbalanced.errors[0]?.code).toBe(ERROR_CODES.invalidExpression);
    expect(view(await client.rulesets.get(created.id, zone))).toEqual(created);
  });

  it('accepts custom response statuses 400–499', async () => {
    const rs = view(
      await client.rulesets.phases.update(PHASE, {
        ...zone,
        rules: [{ action: 'block', expression: 'ip.src in $firebreak_blocked', action_parameters: { response: { status_code: 429, content: 'slow down', content_type: 'text/plain' } } }],
      }),
    );
    expect(rs.rules[0]?.action_parameters).toMatchObject({ response: { status_code: 429 } });
  });

  it('enforces the plan custom-rule count', async () => {
    const free = await startCloudflareEmulator({ plan: 'free' });
    try {
      const c = new Cloudflare({ apiToken: free.token, baseURL: free.baseUrl, maxRetries: 0 });
      const rules = Array.from({ length: 6 }, (_, i) => ({ action: 'block' as const, expression: `ip.src eq 192.0.2.${i + 1}` }));
      const err = await apiError(c.rulesets.phases.update(PHASE, { zone_id: free.zoneId, rules }));
      expect(err.errors[0]?.code).toBe(ERROR_CODES.ruleLimit);
      await c.rulesets.phases.update(PHASE, { zone_id: free.zoneId, rules: rules.slice(0, 5) });
      expect(free.state.entrypoint(PHASE)?.rules).toHaveLength(5);
    } finally {
      await free.stop();
    }
  });

  it('serves the http_ratelimit phase, which needs a ratelimit object', async () => {
    const ratelimit = { characteristics: ['ip.src', 'cf.colo.id'], period: 60 as const, requests_per_period: 100, mitigation_timeout: 600 };
    const rs = view(await client.rulesets.phases.update('http_ratelimit', { ...zone, rules: [{ action: 'block', expression: 'http.request.uri.path eq "/login"', ratelimit }] }));
    expect(rs.phase).toBe('http_ratelimit');
    expect(cf.state.entrypoint('http_ratelimit')?.rules[0]?.ratelimit).toEqual(ratelimit);
    const missing = await apiError(client.rulesets.phases.update('http_ratelimit', { ...zone, rules: [{ action: 'block', expression: 'true' }] }));
    expect(missing.status).toBe(400);
    const misplaced = await apiError(client.rulesets.phases.update(PHASE, { ...zone, rules: [{ action: 'block', expression: 'true', ratelimit }] }));
    expect(misplaced.status).toBe(400);
    expect(cf.state.entrypoint(PHASE)).toBeUndefined();
  });

  it('answers 404 for an unknown rule or ruleset', async () => {
    const created = await putTwoRules();
    expect((await apiError(client.rulesets.rules.edit('a'.repeat(32), { ...zone, ruleset_id: created.id, action: 'block', expression: 'true' }))).status).toBe(404);
    expect((await apiError(client.rulesets.get('b'.repeat(32), zone))).status).toBe(404);
  });
});
