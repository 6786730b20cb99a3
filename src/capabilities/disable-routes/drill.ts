import { GetRegexPatternSetCommand, GetRuleGroupCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../../core/config/parse.js';
import { cloudflareExpression, ROUTE_KILL_SWITCH_PLACEHOLDER } from '../../core/routes/compile.js';
import { parseRoutes } from '../../core/routes/syntax.js';
import { runStep } from '../../core/step.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { provisionEdgeKit, type EdgeKit } from '../../drill/fixtures/edge-kit.js';
import { buildEdgePorts } from '../../runtime/edge-ports.js';
import { enableRoutesStep } from '../enable-routes/step.js';
import { limitRateStep } from '../limit-rate/step.js';
import { restoreRateStep } from '../restore-rate/step.js';
import { verifyHealthStep } from '../verify-health/step.js';
import { disableRoutesStep } from './step.js';

/**
 * Seed 000's containment and recovery at the edge: "comment out /admin/*, /erase/<id>, /export/*",
 * "lower the rate limit to 20 per minute", check /status and the critical endpoints, then "re-enable
 * disabled routes" and "restore 120 per minute". Against moto (WAF regex pattern set, rule group) and
 * the Cloudflare emulator (kill-switch and rate-limiting rules), with a real local HTTP server as the
 * application. Every change is read back from the providers and compared with what firebreak compiles.
 */
const INCIDENT = 'INC-2026-12-02-admin-token';
const SEED_ROUTES = '/admin/*\n/erase/<id>\n/export/*';
const WAF_PATTERNS = ['^/admin(?:/.*)?$', '^/erase/[^/]+/?$', '^/export(?:/.*)?$'];

let kit: EdgeKit;
let app: Server;

export const routesAndRateScenario: DrillScenario = {
  name: 'routes-and-rate',
  description: "disable seed 000's three routes and tighten the rate limit to 20/min on WAF (moto) and Cloudflare, verify health on a local server, restore both exactly",
  needs: ['aws', 'cloudflare'],

  async setup(env) {
    kit = await provisionEdgeKit(env.aws!, env.cloudflare!, { suffix: 'routes' });
    app = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', path: req.url }));
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  },

  async run(env) {
    const out: Expectation[] = [];
    const cf = env.cloudflare!;
    const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const check6 = ['start_session', 'tasks', 'submit_result'].map((p) => `    - { name: ${p}, url: "${base}/${p}", retries: 2, backoff_ms: 10 }`).join('\n');
    const config = parseConfig(
      `version: 1\nroutes:\n  protected: [/status, /start_session, /tasks, /submit_result]\n  verify_after: [status]\nrate_limits:\n  min_limit: 20\n  verify_after: [status]\nhealth:\n  checks:\n    - { name: status, url: "${base}/status", json: { path: status, equals: ok }, retries: 2, backoff_ms: 10, consecutive: 2 }\n${check6}\n`,
    );
    const ports = () => buildEdgePorts({ ...env.env, ...kit.env }, config, { sleep: env.sleep, timeoutMs: 3_000 });
    const ctx = () => env.context({ incidentId: INCIDENT });
    const waf = new WAFV2Client({ region: env.aws!.region, endpoint: env.aws!.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const patterns = async () => ((await waf.send(new GetRegexPatternSetCommand(kit.regexSet))).RegexPatternSet?.RegularExpressionList ?? []).map((r) => r.RegexString).sort();
    const wafRate = async () => (await waf.send(new GetRuleGroupCommand(kit.ruleGroup))).RuleGroup!.Rules!.find((r) => r.Name === 'firebreak-rate-limit')!.Statement!.RateBasedStatement!;
    const killSwitch = () => cf.state.getRuleset(cf.zoneId, kit.customRulesetId).rules.find((r) => r.id === kit.routeRuleId)!;
    const cfRate = () => structuredClone(cf.state.getRuleset(cf.zoneId, kit.rateRulesetId).rules[0]!);
    const wafBefore = structuredClone(await wafRate());
    const cfBefore = cfRate();

    // Contain: routes off, rate down; each step runs the status check after applying.
    const disabled = await runStep(disableRoutesStep, { routes: SEED_ROUTES, reason: 'admin token leaked: erase/export exposed' }, ports(), ctx());
    out.push(checkEqual('disable-routes applied, status check passed', [disabled.result?.status, disabled.result?.outcomes.find((o) => o.target === 'health')?.status], ['ok', 'applied']));
    out.push(checkEqual('WAF: the regex pattern set reads back as the three compiled routes', await patterns(), WAF_PATTERNS));
    const expected = cloudflareExpression(parseRoutes(SEED_ROUTES), { regex: false });
    out.push(checkEqual('Cloudflare: the kill-switch expression reads back as compiled from the route list', killSwitch().expression, expected.expression));
    out.push(checkEqual('Cloudflare: the kill-switch is enabled', killSwitch().enabled, true));
    out.push(check('Cloudflare: the widened /erase/<id> is said in the plan', (disabled.plan?.warnings ?? []).some((w) => w.includes('"/erase/*"')), (disabled.plan?.warnings ?? []).join(' | ')));

    const limited = await runStep(limitRateStep, { limit: '20', window: '60', reason: 'seed 000: 20 per minute during the incident' }, ports(), ctx());
    out.push(checkEqual('limit-rate applied', limited.result?.status, 'ok'));
    out.push(checkEqual('WAF: rate rule reads back 20 per 60 s', [(await wafRate()).Limit, (await wafRate()).EvaluationWindowSec], [20, 60]));
    out.push(checkEqual('Cloudflare: rate rule reads back 20 per 60 s', [cfRate().ratelimit?.['requests_per_period'], cfRate().ratelimit?.['period']], [20, 60]));

    const health = await runStep(verifyHealthStep, {}, { health: ports().health }, ctx());
    out.push(checkEqual('verify-health: /status and the critical endpoints pass', health.result?.outcomes.map((o) => `${o.subject}:${o.status}`), ['status:applied', 'start_session:applied', 'tasks:applied', 'submit_result:applied']));

    // Recover: everything the incident disabled comes back, the rate goes back to exactly what it was.
    const enabled = await runStep(enableRoutesStep, { reason: 'token rotated, routes patched' }, ports(), ctx());
    out.push(checkEqual('enable-routes (by incident) applied', enabled.result?.status, 'ok'));
    out.push(checkEqual('WAF: the regex pattern set is empty again', await patterns(), []));
    out.push(checkEqual('Cloudflare: the kill-switch is back to the placeholder, disabled', [killSwitch().expression, killSwitch().enabled], [ROUTE_KILL_SWITCH_PLACEHOLDER, false]));

    const restored = await runStep(restoreRateStep, { reason: 'seed 000: restore 120 per minute' }, ports(), ctx());
    out.push(checkEqual('restore-rate applied', restored.result?.status, 'ok'));
    out.push(checkEqual('WAF: rate rule reads back exactly as before', await wafRate(), wafBefore));
    const { version: _v1, last_updated: _l1, ...cfNow } = cfRate();
    const { version: _v2, last_updated: _l2, ...cfWas } = cfBefore;
    out.push(checkEqual('Cloudflare: rate rule reads back exactly as before', cfNow, cfWas));
    out.push(checkEqual('Cloudflare: no request the real API would refuse', cf.violations, []));
    waf.destroy();
    await new Promise((r) => app.close(r));
    return out;
  },
};
