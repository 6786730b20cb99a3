import { stringify } from 'yaml';
import { parseConfig } from '../../core/config/parse.js';
import { renderFleetSummary, targetsToRetry } from '../../core/fleet/run-ledger.js';
import { fleetTargets, selectTargets, type FleetTarget } from '../../core/fleet/targets.js';
import { blockIpsFleet } from '../../fleet/block-ips.js';
import { runFleet, type FleetRunOptions } from '../../fleet/run.js';
import { startFleetKit, type FleetKit } from '../fixtures/fleet-kit.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../scenario.js';

/**
 * The fleet drill (docs/operators/fleet.md): one address blocked across three AWS accounts × two
 * regions (the drill's moto; accounts reached by AssumeRole) and two Cloudflare accounts' zones (one
 * emulator each), with one plan and one summary; one Cloudflare account refuses writes, and a re-run
 * from the run ledger acts on that target only.
 */
let kit: FleetKit | undefined;
const ADDRESS = '203.0.113.99';

export const fleetScenario: DrillScenario = {
  name: 'fleet',
  description: 'block-ips across 3 AWS accounts × 2 regions and 2 Cloudflare accounts: one plan, one failure, a re-run fixes only it',
  needs: ['aws'],

  async setup(env) {
    kit = await startFleetKit({ moto: env.aws!, accounts: 3, regions: ['eu-west-1', 'us-east-1'], cloudflareAccounts: 2, tags: () => ['prod'] });
  },

  async run(env) {
    const k = kit!;
    try {
      const out: Expectation[] = [];
      const config = parseConfig(stringify({ version: 1, fleet: { targets: k.targets, sets: { prod: ['tag:prod'] }, concurrency: 4 } }));
      const targets = selectTargets('prod', fleetTargets(config.fleet.targets), config.fleet.sets);
      const options = (ts: FleetTarget[], dryRun: boolean, runId: string): FleetRunOptions => {
        const ctx = env.context();
        return {
          capability: blockIpsFleet as never, targets: ts, selection: 'prod', dryRun, runId, config,
          raw: { addresses: ADDRESS, reason: 'fleet drill', ttl: '1h', incident: 'DRILL-17' },
          env: { ...env.env, ...k.env }, envFor: k.envFor, audit: env.audit, auditChain: env.auditFile,
          clock: env.clock, sleep: env.sleep, logger: env.log, actor: ctx.actor, incidentId: 'DRILL-17', runUrl: null, timeoutMs: 5_000,
        };
      };
      out.push(checkEqual('the prod set is 3 accounts × 2 regions and 2 Cloudflare accounts', targets.length, 8));
      const plan = await runFleet(options(targets, true, 'drill-plan'));
      out.push(checkEqual('one plan: every target planned', plan.ledger.outcomes.map((o) => o.status), Array(8).fill('planned')));
      out.push(check('one plan summary', renderFleetSummary(plan.ledger, 'block-ips plan').includes('planned (8 target(s))')));

      const broken = k.cloudflare[1]!;
      broken.faults.add({ method: 'POST', path: /\/items$/, times: Infinity, status: 403, body: { success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [], result: null } });
      const applied = await runFleet(options(targets, false, 'drill-apply'));
      const failedIds = applied.ledger.outcomes.filter((o) => o.status !== 'applied').map((o) => o.target);
      out.push(checkEqual('exactly the broken Cloudflare account failed', failedIds, [`cloudflare/${broken.accountId}`]));
      const summary = renderFleetSummary(applied.ledger, 'block-ips');
      out.push(check('one summary names the failed target and why', summary.includes(`Not applied: cloudflare/${broken.accountId}.`) && /Authentication error|403/.test(summary), summary));
      let everywhere = true;
      for (const t of k.targets) if (t.provider === 'aws') everywhere &&= (await k.wafAddresses(t.account, t.region)).includes(`${ADDRESS}/32`);
      out.push(check('every account/region WAF set holds the address', everywhere));

      broken.faults.clear();
      const retry = targetsToRetry(applied.ledger);
      const awsBefore = k.moto.requests.length;
      const again = await runFleet(options(targets.filter((t) => retry.includes(t.id)), false, 'drill-retry'));
      out.push(checkEqual('the re-run acts on the failed target only', again.ledger.outcomes.map((o) => [o.target, o.status]), [[`cloudflare/${broken.accountId}`, 'applied']]));
      out.push(checkEqual('the re-run made no AWS call', k.moto.requests.length - awsBefore, 0));
      const list = k.targets.find((t) => t.provider === 'cloudflare' && t.account === broken.accountId) as { list_id: string };
      out.push(checkEqual('the fixed account\'s list holds the address', broken.state.listItems(list.list_id).map((i) => i.ip), [ADDRESS]));
      return out;
    } finally {
      await k.stop();
    }
  },
};
