import { stringify } from 'yaml';
import { parseConfig } from '../src/core/config/parse.js';
import type { FirebreakConfig } from '../src/core/config/schema.js';
import { fleetTargets, type FleetTarget } from '../src/core/fleet/targets.js';
import { memoryLogger, realSleep, systemClock } from '../src/core/runtime.js';
import { startFleetKit, type FleetKit } from '../src/drill/fixtures/fleet-kit.js';
import { blockIpsFleet } from '../src/fleet/block-ips.js';
import { runFleet } from '../src/fleet/run.js';
import { MemoryAuditSink } from '../src/providers/local/file-audit-sink.js';
import type { Benchmark } from './bench.js';

/**
 * One block fanned out across 200 simulated targets: 180 AWS account/regions (36 moto accounts × 5
 * regions, reached by AssumeRole) and 20 Cloudflare accounts (one emulator each), with 100 ms
 * injected per provider call by the fault proxies. Baseline in the same run: the same fleet runner
 * on one target (the slower of one AWS and one Cloudflare target).
 *
 *   fleet.wall_ratio_vs_single      wall(200 targets) / wall(1 target)          goal ≤ 5
 *   fleet.requests_per_target       provider requests / targets                 goal: ≤ the single run's
 *
 * Context: `fleet.wall_ms_no_latency` runs the same fleet without injected latency. On a small,
 * shared machine the emulators (in this process and moto) make the run CPU-bound; the wall time the
 * latency adds over that floor, per single-target wall, is `fleet.latency_added_ratio_vs_single`.
 */
const ACCOUNTS = 36;
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-2'];
const CF_ACCOUNTS = 20;
const CONCURRENCY = Number(process.env.FLEET_BENCH_CONCURRENCY ?? 64);
const LATENCY_MS = 100;
const RUNS = 3;
/** moto processes the 36 accounts are spread over (real accounts are separate endpoints; one moto is one Python interpreter). */
const MOTO_SHARDS = Number(process.env.FLEET_BENCH_MOTO_SHARDS ?? 1);

function requests(kit: FleetKit): { aws: number; cf: number } {
  return { aws: kit.motos.reduce((n, m) => n + m.requests.length, 0), cf: kit.cloudflare.reduce((n, c) => n + c.requests.length, 0) };
}

function clearCounts(kit: FleetKit): void {
  for (const m of kit.motos) m.requests.length = 0;
  for (const c of kit.cloudflare) c.requests.length = 0;
}

async function blockOn(kit: FleetKit, config: FirebreakConfig, targets: FleetTarget[], address: string): Promise<{ ms: number; aws: number; cf: number }> {
  clearCounts(kit);
  const started = performance.now();
  const run = await runFleet({
    capability: blockIpsFleet as never,
    targets,
    selection: 'bench',
    raw: { addresses: address, reason: 'benchmark', ttl: '1h', incident: 'BENCH-1' },
    dryRun: false,
    env: kit.env,
    envFor: kit.envFor,
    config,
    audit: new MemoryAuditSink(),
    auditChain: 'memory',
    clock: systemClock,
    sleep: realSleep,
    logger: memoryLogger(),
    actor: 'bench',
    incidentId: 'BENCH-1',
    runUrl: null,
    runId: `bench-${address}`,
    concurrency: CONCURRENCY,
    timeoutMs: 60_000,
  });
  const ms = performance.now() - started;
  const bad = run.ledger.outcomes.filter((o) => o.status !== 'applied');
  if (bad.length) throw new Error(`fleet bench: ${bad.length} target(s) not applied, e.g. ${bad[0]!.target}: ${bad[0]!.reason}`);
  return { ms, ...requests(kit) };
}

const bench: Benchmark = {
  name: 'fleet',
  description: 'block-ips on 200 targets (180 moto account/regions, 20 Cloudflare accounts), 100 ms per provider call, vs one target.',
  goals: [
    { metric: 'fleet.wall_ratio_vs_single', op: '<=', value: 5 },
    { metric: 'fleet.requests_per_target_vs_single', op: '<=', value: 1 },
  ],
  async run() {
    const kit = await startFleetKit({ accounts: ACCOUNTS, regions: REGIONS, cloudflareAccounts: CF_ACCOUNTS, motoShards: MOTO_SHARDS, cloudflare: { bulk: { pollsToComplete: 2, completeAfterMs: Infinity } } });
    try {
      const config = parseConfig(stringify({ version: 1, fleet: { targets: kit.targets, concurrency: CONCURRENCY } }));
      const all = fleetTargets(config.fleet.targets);
      for (const m of kit.motos) m.faults.latencyMs = LATENCY_MS;
      for (const c of kit.cloudflare) c.faults.latencyMs = LATENCY_MS;
      const aws = all.find((t) => t.provider === 'aws')!;
      const cf = all.find((t) => t.provider === 'cloudflare')!;
      // Warm-up (module loading, first sockets), then the baseline and the fleet on fresh addresses.
      await blockOn(kit, config, [aws], '198.51.100.1');
      // Three runs each on fresh addresses; the headline uses the fastest (as bench/block-ips does):
      // scheduler noise on a shared machine only ever adds time.
      const fastest = async (ts: FleetTarget[], base: number) => {
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await blockOn(kit, config, ts, `198.51.${base}.${i + 1}`));
        return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
      };
      const singleAws = await fastest([aws], 101);
      const singleCf = await fastest([cf], 102);
      const fleet = await fastest(all, 103);
      // Context, not the goal: the same fleet with no injected latency is the CPU floor of this
      // machine (runner, SDKs, and the emulators and fault proxies, which share it).
      for (const m of kit.motos) m.faults.latencyMs = 0;
      for (const c of kit.cloudflare) c.faults.latencyMs = 0;
      const floor = await fastest(all, 104);
      const singleMs = Math.max(singleAws.ms, singleCf.ms);
      const awsTargets = all.filter((t) => t.provider === 'aws').length;
      const cfTargets = all.length - awsTargets;
      const perTargetSingle = (awsTargets * singleAws.aws + cfTargets * singleCf.cf) / all.length;
      const perTargetFleet = (fleet.aws + fleet.cf) / all.length;
      return {
        'fleet.targets': all.length,
        'fleet.concurrency': CONCURRENCY,
        'fleet.moto_processes': MOTO_SHARDS,
        'fleet.single_aws_ms': Math.round(singleAws.ms),
        'fleet.single_cloudflare_ms': Math.round(singleCf.ms),
        'fleet.wall_ms': Math.round(fleet.ms),
        'fleet.wall_ratio_vs_single': fleet.ms / singleMs,
        'fleet.wall_ms_no_latency': Math.round(floor.ms),
        'fleet.latency_added_ratio_vs_single': (fleet.ms - floor.ms) / singleMs,
        'fleet.requests_per_target': perTargetFleet,
        'fleet.requests_per_target_single': perTargetSingle,
        'fleet.requests_per_target_vs_single': perTargetFleet / perTargetSingle,
        'fleet.requests_aws_single': singleAws.aws,
        'fleet.requests_cloudflare_single': singleCf.cf,
        'fleet.requests_aws_per_target': fleet.aws / awsTargets,
        'fleet.requests_cloudflare_per_target': fleet.cf / cfTargets,
      };
    } finally {
      await kit.stop();
    }
  },
};

export default bench;
