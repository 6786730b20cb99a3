import { GetRegexPatternSetCommand, GetRuleGroupCommand, UpdateRuleGroupCommand, WAFV2Client, type Rule } from '@aws-sdk/client-wafv2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { GuardError, PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { ROUTE_KILL_SWITCH_PLACEHOLDER } from '../../core/routes/compile.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep, type GuardOverride } from '../../core/step.js';
import { startCloudflareEmulator, type CloudflareEmulator } from '../../drill/emulators/cloudflare/server.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { provisionEdgeKit, SEED_RATE, type EdgeKit } from '../../drill/fixtures/edge-kit.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { buildEdgePorts } from '../../runtime/edge-ports.js';
import { disableRoutesStep } from '../disable-routes/step.js';
import { enableRoutesStep } from '../enable-routes/step.js';
import { limitRateStep } from '../limit-rate/step.js';
import { restoreRateStep } from '../restore-rate/step.js';

const instant = async () => {};
const SEED_ROUTES = '/admin/*\n/erase/<id>\n/export/*';
const EXPECTED_PATTERNS = ['^/admin(?:/.*)?$', '^/erase/[^/]+/?$', '^/export(?:/.*)?$'];

let moto: MotoServer;
let cf: CloudflareEmulator;
let kit: EdgeKit;
let audit: MemoryAuditSink;
let health: Server;
let healthy = true;

function config(regex = false, protectedExtra = '') {
  const port = (health.address() as AddressInfo).port;
  return parseConfig(`version: 1
routes:
  protected: [/health, /status, GET /login${protectedExtra}]
  cloudflare_regex: ${regex}
rate_limits:
  min_limit: 20
health:
  checks:
    - { name: status, url: "http://127.0.0.1:${port}/status", json: { path: status, equals: ok }, retries: 1, backoff_ms: 1, timeout_ms: 2000 }
`);
}
function ports(regex = false, protectedExtra = '') {
  return buildEdgePorts({ ...moto.env(), ...cf.env(), ...kit.env }, config(regex, protectedExtra), { sleep: instant, timeoutMs: 3_000, random: () => 0.5 });
}
let clock = manualClock('2026-12-02T04:00:00Z');
function ctx(overrides: GuardOverride[] = [], incidentId = 'INC-2026-12-02-admin-token') {
  // Each run a minute after the last: the ledger orders records by time, as real runs are.
  clock.advance(60_000);
  return makeContext({ audit, clock, sleep: instant, logger: memoryLogger(), dryRun: false, incidentId, actor: 'responder', overrides });
}
const waf = () => new WAFV2Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
async function patterns(): Promise<string[]> {
  const out = await waf().send(new GetRegexPatternSetCommand(kit.regexSet));
  return (out.RegexPatternSet?.RegularExpressionList ?? []).map((r) => r.RegexString!).sort();
}
function killSwitch() {
  return cf.state.getRuleset(cf.zoneId, kit.customRulesetId).rules.find((r) => r.id === kit.routeRuleId)!;
}
function cfRate() {
  return cf.state.getRuleset(cf.zoneId, kit.rateRulesetId).rules[0]!;
}
async function wafRate() {
  const out = await waf().send(new GetRuleGroupCommand(kit.ruleGroup));
  return out.RuleGroup!.Rules!.find((r) => r.Name === 'firebreak-rate-limit')!.Statement!.RateBasedStatement!;
}
async function guardCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(GuardError);
    return (error as GuardError).code;
  }
  return expect.unreachable('expected a guard refusal');
}

beforeAll(async () => {
  moto = await startMoto();
  cf = await startCloudflareEmulator();
  health = createServer((_req, res) => {
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: healthy ? 'ok' : 'degraded' }));
  });
  await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
}, 60_000);
afterAll(async () => {
  await cf?.stop();
  await moto?.stop();
  await new Promise((r) => health?.close(r));
});
beforeEach(async () => {
  await moto.reset();
  cf.reset();
  kit = await provisionEdgeKit(moto, cf);
  audit = new MemoryAuditSink();
  healthy = true;
  clock = manualClock('2026-12-02T04:00:00Z');
});

describe('disable-routes / enable-routes against moto and the Cloudflare emulator', () => {
  it("disables seed 000's routes on both edges, reads them back, then enables exactly them by incident", async () => {
    const run = await runStep(disableRoutesStep, { routes: SEED_ROUTES, reason: 'admin token leaked' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await patterns()).toEqual([...EXPECTED_PATTERNS].sort());
    const rule = killSwitch();
    expect(rule.enabled).toBe(true);
    // Pro plan (no regex): the parameter route is widened to its prefix on Cloudflare, and the plan says so.
    expect(rule.expression).toBe(
      '(http.request.uri.path eq "/admin" or starts_with(http.request.uri.path, "/admin/")) or (http.request.uri.path eq "/erase" or starts_with(http.request.uri.path, "/erase/")) or (http.request.uri.path eq "/export" or starts_with(http.request.uri.path, "/export/"))',
    );
    expect(run.plan?.warnings.join('\n')).toMatch(/wider "\/erase\/\*"/);
    // The block response stays what the kit set (status 403 on Cloudflare: 4xx only).
    expect((rule.action_parameters?.['response'] as { status_code: number }).status_code).toBe(403);

    // Re-running changes nothing.
    const again = await runStep(disableRoutesStep, { routes: SEED_ROUTES, reason: 'admin token leaked' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');

    // A pattern written by someone else stays.
    const enable = await runStep(enableRoutesStep, { reason: 'token rotated' }, ports(), ctx());
    expect(enable.result?.status).toBe('ok');
    expect(await patterns()).toEqual([]);
    expect(killSwitch()).toMatchObject({ expression: ROUTE_KILL_SWITCH_PLACEHOLDER, enabled: false });
    expect(cf.violations).toEqual([]);
  });

  it('enables by route exactly that route and leaves the others', async () => {
    await runStep(disableRoutesStep, { routes: SEED_ROUTES, reason: 'admin token leaked' }, ports(), ctx());
    const run = await runStep(enableRoutesStep, { routes: '/export/*', reason: 'export is safe again' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await patterns()).toEqual(['^/admin(?:/.*)?$', '^/erase/[^/]+/?$']);
    expect(killSwitch().expression).not.toContain('/export');
    expect(killSwitch().enabled).toBe(true);
  });

  it('keeps a route another incident also disabled when enabling by incident', async () => {
    await runStep(disableRoutesStep, { routes: '/admin/*', reason: 'first' }, ports(), ctx([], 'INC-2026-12-02-first'));
    await runStep(disableRoutesStep, { routes: '/admin/*\n/export/*', reason: 'second' }, ports(), ctx([], 'INC-2026-12-02-second'));
    const run = await runStep(enableRoutesStep, { reason: 'second is over' }, ports(), ctx([], 'INC-2026-12-02-second'));
    expect(run.plan?.warnings.join('\n')).toMatch(/"\/admin\/\*" stays disabled: incident INC-2026-12-02-first/);
    expect(await patterns()).toEqual(['^/admin(?:/.*)?$']);
    // The first incident can still enable it.
    await runStep(enableRoutesStep, { reason: 'first is over' }, ports(), ctx([], 'INC-2026-12-02-first'));
    expect(await patterns()).toEqual([]);
  });

  it('refuses match-everything and protected routes unless overridden with a reason, and writes nothing when refused', async () => {
    expect(await guardCode(runStep(disableRoutesStep, { routes: '/*', reason: 'panic' }, ports(), ctx()))).toBe('ROUTE_TOO_BROAD');
    expect(await guardCode(runStep(disableRoutesStep, { routes: '/health', reason: 'panic' }, ports(), ctx()))).toBe('ROUTE_PROTECTED');
    // GET /login is protected: all methods of /login cover it; POST alone does not (Cloudflare only).
    expect(await guardCode(runStep(disableRoutesStep, { routes: '/login', reason: 'panic', target: 'cloudflare' }, ports(), ctx()))).toBe('ROUTE_PROTECTED');
    expect(await patterns()).toEqual([]);
    expect(killSwitch().enabled).toBe(false);
    const run = await runStep(disableRoutesStep, { routes: 'POST /login', reason: 'credential stuffing', target: 'cloudflare' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const overridden = await runStep(disableRoutesStep, { routes: '/health', reason: 'health leaks data' }, ports(), ctx([{ guard: 'ROUTE_PROTECTED', reason: 'the health page itself leaks tokens' }]));
    expect(overridden.result?.status).toBe('ok');
    expect(overridden.entry.record.override?.guard).toBe('ROUTE_PROTECTED');
  });

  it('a Cloudflare failure while WAF succeeds is a partial failure naming each; the re-run converges', async () => {
    cf.faults.add({ method: 'PATCH', path: /\/rules\//, times: 5, status: 500, body: { success: false, errors: [{ code: 10000, message: 'drill: edge down' }], messages: [], result: null } });
    const err: unknown = await runStep(disableRoutesStep, { routes: '/admin/*', reason: 'x-x-x' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const outcomes = ((err as PartialFailureError).result as Result).outcomes;
    expect(outcomes.filter((o) => o.target !== 'ledger').map((o) => `${o.target}:${o.status}`).sort()).toEqual(['cloudflare:kill-switch:failed', 'waf:route-regex-set:applied']);
    expect(outcomes.find((o) => o.target === 'cloudflare:kill-switch')?.reason).toMatch(/HTTP 500/);
    expect(killSwitch().enabled).toBe(false);
    cf.faults.clear();
    const again = await runStep(disableRoutesStep, { routes: '/admin/*', reason: 'x-x-x' }, ports(), ctx());
    expect(again.result?.status).toBe('ok');
    expect(again.result?.outcomes.find((o) => o.target === 'waf:route-regex-set')?.status).toBe('already');
    expect(killSwitch().enabled).toBe(true);
    // The ledger names what this incident wants off on both targets: enabling by incident finds it.
    await runStep(enableRoutesStep, { reason: 'over' }, ports(), ctx());
    expect(await patterns()).toEqual([]);
    expect(killSwitch().enabled).toBe(false);
  });

  it('gives up after the lock keeps changing, with nothing written by the run and a retryable reason', async () => {
    moto.faults.add({ target: 'UpdateRegexPatternSet', times: Infinity, ...awsJsonError('WAFOptimisticLockException', 'someone changed the resource') });
    const err: unknown = await runStep(disableRoutesStep, { routes: '/admin/*', reason: 'x-x-x', target: 'waf' }, ports(), ctx()).catch((e: unknown) => e);
    moto.faults.clear();
    expect(err).toBeInstanceOf(PartialFailureError);
    const waf = ((err as PartialFailureError).result as Result).outcomes.find((o) => o.target === 'waf:route-regex-set')!;
    expect(waf).toMatchObject({ status: 'failed', retryable: true });
    expect(waf.reason).toMatch(/WAFOptimisticLockException/);
    expect(await patterns()).toEqual([]);
  });

  it('judges the route Cloudflare really matches: a parameter widened to its prefix may cover a protected route', async () => {
    const p = () => ports(false, ', /erase/all/confirm');
    // WAF matches one segment after /erase/: fine there.
    expect((await runStep(disableRoutesStep, { routes: '/erase/<id>', reason: 'x-x-x', target: 'waf' }, p(), ctx())).result?.status).toBe('ok');
    // Cloudflare without regex would match /erase/* and so /erase/all/confirm.
    const err = await runStep(disableRoutesStep, { routes: '/erase/<id>', reason: 'x-x-x', target: 'cloudflare' }, p(), ctx()).catch((e: unknown) => e);
    expect((err as GuardError).code).toBe('ROUTE_PROTECTED');
    expect((err as GuardError).message).toMatch(/Cloudflare: route "\/erase\/\*" covers protected route\(s\) "\/erase\/all\/confirm"/);
    expect(killSwitch().enabled).toBe(false);
  });

  it('retries a WAF lock conflict on a fresh read', async () => {
    moto.faults.add({ target: 'UpdateRegexPatternSet', times: 2, ...awsJsonError('WAFOptimisticLockException', 'someone changed the resource') });
    const run = await runStep(disableRoutesStep, { routes: '/admin/*', reason: 'x-x-x', target: 'waf' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(moto.faults.pending()).toEqual([]);
    expect(await patterns()).toEqual(['^/admin(?:/.*)?$']);
  });

  it('refuses, with the numbers, more patterns than WAF allows per set, before writing', async () => {
    const routes = Array.from({ length: 11 }, (_, i) => `/r${i}`).join('\n');
    const err = await runStep(disableRoutesStep, { routes, reason: 'too many', target: 'waf' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GuardError);
    expect((err as GuardError).code).toBe('PROVIDER_LIMIT');
    expect((err as GuardError).message).toMatch(/holds 0 pattern\(s\); adding 11 would pass its limit of 10/);
    expect(await patterns()).toEqual([]);
  });

  it('notices a hand-edited Cloudflare rule and needs an override to replace it', async () => {
    cf.state.editRule(cf.zoneId, kit.customRulesetId, kit.routeRuleId, { action: 'block', expression: 'http.request.uri.path eq "/by-hand"', enabled: true });
    expect(await guardCode(runStep(disableRoutesStep, { routes: '/admin/*', reason: 'x-x-x', target: 'cloudflare' }, ports(), ctx()))).toBe('CLOUDFLARE_RULE_CHANGED');
    expect(killSwitch().expression).toBe('http.request.uri.path eq "/by-hand"');
  });

  it('uses the regex operator when the plan allows it (Business) and routes.cloudflare_regex is on', async () => {
    await cf.stop();
    cf = await startCloudflareEmulator({ plan: 'business' });
    try {
      await moto.reset();
      kit = await provisionEdgeKit(moto, cf);
      const run = await runStep(disableRoutesStep, { routes: '/erase/<id>', reason: 'x-x-x', target: 'cloudflare' }, ports(true), ctx());
      expect(run.result?.status).toBe('ok');
      expect(killSwitch().expression).toBe('http.request.uri.path matches "^/erase/[^/]+/?$"');
    } finally {
      // Back to the default (Pro) emulator: no other test may depend on this one having run.
      await cf.stop();
      cf = await startCloudflareEmulator();
    }
  });

  it('with cloudflare_regex on a plan without regex, Cloudflare refuses the expression and the step fails naming it', async () => {
    const err: unknown = await runStep(disableRoutesStep, { routes: '/erase/<id>', reason: 'x-x-x', target: 'cloudflare' }, ports(true), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const cfOutcome = ((err as PartialFailureError).result as Result).outcomes.find((o) => o.target === 'cloudflare:kill-switch')!;
    expect(cfOutcome.status).toBe('failed');
    expect(cfOutcome.reason).toMatch(/HTTP 400.*Business or Enterprise/);
    expect(killSwitch().enabled).toBe(false);
  });

  it('a failed health check after the change fails the step, leaves the change in place and says so', async () => {
    healthy = false;
    const err: unknown = await runStep(disableRoutesStep, { routes: '/admin/*', reason: 'x-x-x', target: 'waf', verify: 'status' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const outcomes = ((err as PartialFailureError).result as Result).outcomes;
    expect(outcomes.find((o) => o.target === 'waf:route-regex-set')?.status).toBe('applied');
    expect(outcomes.find((o) => o.target === 'health')).toMatchObject({ status: 'failed', subject: 'status' });
    expect(outcomes.find((o) => o.target === 'health')?.reason).toMatch(/HTTP 503.*left in place/);
    expect(await patterns()).toEqual(['^/admin(?:/.*)?$']);
    expect(audit.entries.at(-1)?.record.status).toBe('partial');
  });
});

describe('limit-rate / restore-rate', () => {
  it('tightens to 20/min on both edges, records the previous values, and restores exactly them', async () => {
    const run = await runStep(limitRateStep, { limit: '20', window: '60', reason: 'credential stuffing' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await wafRate()).toMatchObject({ Limit: 20, EvaluationWindowSec: 60 });
    expect(cfRate().ratelimit).toMatchObject({ requests_per_period: 20, period: 60 });
    // The audit record keeps the values before.
    expect(JSON.stringify(run.entry.record.plan)).toContain('"before"');
    const restore = await runStep(restoreRateStep, { reason: 'attack over' }, ports(), ctx());
    expect(restore.result?.status).toBe('ok');
    expect(await wafRate()).toMatchObject({ Limit: SEED_RATE.limit, EvaluationWindowSec: SEED_RATE.windowSec });
    expect(cfRate().ratelimit).toMatchObject({ requests_per_period: SEED_RATE.limit, period: 60, mitigation_timeout: 60 });
    expect(cfRate().expression).toBe('(http.request.uri.path contains "/")');
    // Nothing left to restore.
    expect((await runStep(restoreRateStep, { reason: 'again' }, ports(), ctx())).result?.status).toBe('noop');
  });

  it('restores the values before the first change when limit-rate ran twice', async () => {
    await runStep(limitRateStep, { limit: '60', reason: 'first' }, ports(), ctx());
    await runStep(limitRateStep, { limit: '20', reason: 'tighter' }, ports(), ctx());
    await runStep(restoreRateStep, { reason: 'over' }, ports(), ctx());
    expect((await wafRate()).Limit).toBe(SEED_RATE.limit);
    expect(cfRate().ratelimit?.['requests_per_period']).toBe(SEED_RATE.limit);
  });

  it('scopes the WAF rule down to a route and restores the unscoped rule', async () => {
    await runStep(limitRateStep, { limit: '20', scope: '/login', reason: 'stuffing', target: 'waf' }, ports(), ctx());
    expect((await wafRate()).ScopeDownStatement?.RegexMatchStatement?.RegexString).toBe('^/login/?$');
    await runStep(restoreRateStep, { reason: 'over', target: 'waf' }, ports(), ctx());
    expect((await wafRate()).ScopeDownStatement).toBeUndefined();
  });

  it('says so when the limit was changed by hand in between, and needs an override', async () => {
    await runStep(limitRateStep, { limit: '20', reason: 'stuffing', target: 'waf' }, ports(), ctx());
    const c = waf();
    const got = await c.send(new GetRuleGroupCommand(kit.ruleGroup));
    const rules = JSON.parse(JSON.stringify(got.RuleGroup!.Rules, (_k, v) => (v === null ? undefined : v))) as Rule[];
    rules.find((r) => r.Name === 'firebreak-rate-limit')!.Statement!.RateBasedStatement!.Limit = 50;
    await c.send(new UpdateRuleGroupCommand({ ...kit.ruleGroup, LockToken: got.LockToken!, Rules: rules, VisibilityConfig: got.RuleGroup!.VisibilityConfig! }));
    const err = await runStep(restoreRateStep, { reason: 'over', target: 'waf' }, ports(), ctx()).catch((e: unknown) => e);
    expect((err as GuardError).code).toBe('RATE_CHANGED_BY_HAND');
    expect((err as GuardError).message).toMatch(/holds 50 per 60 s per IP, not the 20 per 60 s per IP limit-rate set/);
    expect((await wafRate()).Limit).toBe(50);
    const run = await runStep(restoreRateStep, { reason: 'over', target: 'waf' }, ports(), ctx([{ guard: 'RATE_CHANGED_BY_HAND', reason: 'the 50 was a stopgap' }]));
    expect(run.result?.status).toBe('ok');
    expect((await wafRate()).Limit).toBe(SEED_RATE.limit);
  });

  it('refuses a limit below rate_limits.min_limit without an override, and a window WAF does not accept', async () => {
    expect(await guardCode(runStep(limitRateStep, { limit: '10', reason: 'hard', target: 'waf' }, ports(), ctx()))).toBe('RATE_TOO_LOW');
    const bad = await runStep(limitRateStep, { limit: '20', window: '90', reason: 'x-x-x' }, ports(), ctx()).catch((e: unknown) => e);
    expect((bad as { code: string }).code).toBe('RATE_WINDOW_INVALID');
    expect((await wafRate()).Limit).toBe(SEED_RATE.limit);
  });
});
