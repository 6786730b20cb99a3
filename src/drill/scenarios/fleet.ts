import { stringify } from 'yaml';
import type { AuditSink, SealedEntry } from '../../core/audit.js';
import { parseConfig } from '../../core/config/parse.js';
import { renderFleetSummary, targetsToRetry, withRetry } from '../../core/fleet/run-ledger.js';
import { fleetTargets, selectTargets, type FleetTarget } from '../../core/fleet/targets.js';
import { blockIpsFleet } from '../../fleet/block-ips.js';
import { runFleet, type FleetRunOptions } from '../../fleet/run.js';
import { startFleetKit, type FleetKit } from '../fixtures/fleet-kit.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../scenario.js';

/**
 * The fleet drill (docs/operators/fleet.md): one address blocked across three AWS accounts × two
 * regions (the drill's moto; accounts reached by AssumeRole) and two Cloudflare accounts' zones (one
 * emulator each, each account's zone enforcing its list), with one plan and one summary; one
 * Cloudflare account refuses writes, and a re-run from the run ledger acts on that target only, after
 * which the one summary of the fleet says every target is applied and both zones block the address.
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
      // The drill's chain, and what this scenario sealed in it (to follow the parent's references).
      const sealed: SealedEntry[] = [];
      const audit: AuditSink = {
        async append(record) {
          const entry = await env.audit.append(record);
          sealed.push(entry);
          return entry;
        },
      };
      const config = parseConfig(stringify({ version: 1, fleet: { targets: k.targets, sets: { prod: ['tag:prod'] }, concurrency: 4 } }));
      const targets = selectTargets('prod', fleetTargets(config.fleet.targets), config.fleet.sets);
      const options = (ts: FleetTarget[], dryRun: boolean, runId: string): FleetRunOptions => {
        const ctx = env.context();
        return {
          capability: blockIpsFleet as never, targets: ts, selection: 'prod', dryRun, runId, config,
          raw: { addresses: ADDRESS, reason: 'fleet drill', ttl: '1h', incident: 'DRILL-17' },
          env: { ...env.env, ...k.env }, envFor: k.envFor, audit, auditChain: env.auditFile,
          clock: env.clock, sleep: env.sleep, logger: env.log, actor: ctx.actor, incidentId: 'DRILL-17', runUrl: null, timeoutMs: 5_000,
        };
      };
      out.push(checkEqual('the prod set is 3 accounts × 2 regions and 2 Cloudflare accounts', targets.length, 8));
      const zones = k.targets.flatMap((t) => (t.provider === 'cloudflare' ? t.zones : []));
      out.push(checkEqual('two Cloudflare zones, one per account', zones.length, 2));
      const parents = () => sealed.filter((e) => e.record.step === 'fleet:block-ips');
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
      out.push(checkEqual('the healthy zone blocks the address, the broken account\'s zone does not yet', zones.map((z) => k.zoneBlocks(z, ADDRESS)), zones.map((z) => z !== broken.zoneId)));
      const parent = parents().at(-1);
      const refs = ((parent?.record.result as { targets?: Array<{ target: string; audit?: { hash: string } }> } | undefined)?.targets ?? []);
      const hashes = new Set(sealed.map((e) => e.hash));
      out.push(check('one parent audit record references each of the 8 targets\' own records by hash', parent?.record.status === 'partial' && refs.length === 8 && refs.every((r) => r.audit !== undefined && hashes.has(r.audit.hash))));

      broken.faults.clear();
      const retry = targetsToRetry(applied.ledger);
      const awsBefore = k.moto.requests.length;
      const healthy = k.cloudflare[0]!;
      const healthyBefore = healthy.requests.length;
      const again = await runFleet(options(targets.filter((t) => retry.includes(t.id)), false, 'drill-retry'));
      out.push(checkEqual('the re-run acts on the failed target only', again.ledger.outcomes.map((o) => [o.target, o.status]), [[`cloudflare/${broken.accountId}`, 'applied']]));
      out.push(checkEqual('the re-run made no call to any other target (AWS, the healthy Cloudflare account)', [k.moto.requests.length - awsBefore, healthy.requests.length - healthyBefore], [0, 0]));
      const fleet = withRetry(applied.ledger, again.ledger);
      const final = renderFleetSummary(fleet, 'block-ips');
      out.push(check('one summary of the fleet after the re-run: all 8 applied, nothing left to retry', final.startsWith('## block-ips: ok (8 target(s))') && targetsToRetry(fleet).length === 0, final));
      out.push(checkEqual('both zones block the address', zones.map((z) => k.zoneBlocks(z, ADDRESS)), [true, true]));
      const list = k.targets.find((t) => t.provider === 'cloudflare' && t.account === broken.accountId) as { list_id: string };
      out.push(checkEqual('the fixed account\'s list holds the address', broken.state.listItems(list.list_id).map((i) => i.ip), [ADDRESS]));
      return out;
    } finally {
      await k.stop();
    }
  },
};
