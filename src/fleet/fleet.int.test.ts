import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/io.js';
import { main } from '../cli/main.js';
import { ENV } from '../runtime/env.js';
import type { FleetLedger } from '../core/fleet/run-ledger.js';
import { stringify } from 'yaml';
import { verifyChain } from '../core/audit.js';
import { parseConfig } from '../core/config/parse.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { renderFleetSummary, targetsToRetry } from '../core/fleet/run-ledger.js';
import { fleetTargets, selectTargets, type FleetTarget } from '../core/fleet/targets.js';
import { KIT_VARIABLES } from '../core/names.js';
import { memoryLogger, realSleep, systemClock } from '../core/runtime.js';
import { startFleetKit, type FleetKit } from '../drill/fixtures/fleet-kit.js';
import { MemoryAuditSink } from '../providers/local/file-audit-sink.js';
import { blockIpsFleet } from './block-ips.js';
import { runFleet, type FleetRunOptions } from './run.js';

/**
 * The fleet drill (issue 17): one address blocked across three AWS accounts × two regions (moto,
 * accounts kept apart by the credentials AssumeRole returns) and two Cloudflare accounts' zones
 * (one emulator each), with one plan and one summary; one target fails, and a re-run from the run
 * ledger acts on that target only.
 */
let kit: FleetKit;
let config: FirebreakConfig;
let all: FleetTarget[];

beforeAll(async () => {
  kit = await startFleetKit({
    accounts: 3,
    regions: ['eu-west-1', 'us-east-1'],
    cloudflareAccounts: 2,
    tags: (kind, i) => (kind === 'aws' && i === 0 ? ['prod', 'pci'] : ['prod']),
  });
  config = parseConfig(stringify({ version: 1, fleet: { targets: kit.targets, sets: { prod: ['tag:prod'] }, concurrency: 3 } }));
  all = fleetTargets(config.fleet.targets);
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});

function options(audit: MemoryAuditSink, targets: FleetTarget[], dryRun: boolean, runId: string): FleetRunOptions {
  return {
    capability: blockIpsFleet as never,
    targets,
    selection: 'prod',
    raw: { addresses: '203.0.113.77', reason: 'credential stuffing from one host', ttl: '4h', incident: 'INC-17' },
    dryRun,
    // The home kit's own set must never be used for a fleet target: a bogus one proves it is not.
    env: { ...kit.env, [KIT_VARIABLES.wafIpSetV4Id]: '00000000-0000-0000-0000-000000000000', [KIT_VARIABLES.wafIpSetV4Name]: 'home-kit-set' },
    envFor: kit.envFor,
    config,
    audit,
    auditChain: 'memory',
    clock: systemClock,
    sleep: realSleep,
    logger: memoryLogger(),
    actor: 'octo-responder',
    incidentId: 'INC-17',
    runUrl: null,
    runId,
  };
}

describe('fleet drill: block-ips on 3 accounts × 2 regions and 2 Cloudflare accounts', () => {
  it('plans once, applies with one failure reported by target, and a re-run fixes only that target', async () => {
    const targets = selectTargets('prod', all, config.fleet.sets);
    expect(targets.map((t) => t.id)).toHaveLength(8);
    expect(selectTargets('tag:pci', all, config.fleet.sets).map((t) => t.id)).toEqual(['aws/100000000000/eu-west-1', 'aws/100000000000/us-east-1']);
    const audit = new MemoryAuditSink();

    // One plan: every target read, nothing written.
    const plan = await runFleet(options(audit, targets, true, 'r1-plan'));
    expect(plan.ledger.outcomes.map((o) => o.status)).toEqual(Array(8).fill('planned'));
    expect(plan.ledger.outcomes.every((o) => o.changes === 1)).toBe(true);
    expect(await kit.wafAddresses('100000000000', 'eu-west-1')).toEqual([]);
    const planSummary = renderFleetSummary(plan.ledger, 'block-ips plan');
    expect(planSummary).toContain('## block-ips plan: planned (8 target(s))');

    // Apply with one Cloudflare account refusing writes.
    const broken = kit.cloudflare[1]!;
    broken.faults.add({ method: 'POST', path: /\/items$/, times: Infinity, status: 403, body: { success: false, errors: [{ code: 10000, message: 'Authentication error' }], messages: [], result: null } });
    const applied = await runFleet(options(audit, targets, false, 'r1'));
    const failed = applied.ledger.outcomes.filter((o) => o.status !== 'applied');
    expect(failed.map((o) => o.target)).toEqual([`cloudflare/${broken.accountId}`]);
    expect(failed[0]!.reason).toMatch(/Authentication error|403/);
    for (const a of ['100000000000', '100000001111', '100000002222']) {
      for (const r of ['eu-west-1', 'us-east-1']) expect(await kit.wafAddresses(a, r)).toEqual(['203.0.113.77/32']);
    }
    const listOf = (account: string) => (kit.targets.find((t) => t.provider === 'cloudflare' && t.account === account) as { list_id: string }).list_id;
    expect(kit.cloudflare[0]!.state.listItems(listOf(kit.cloudflare[0]!.accountId)).map((i) => i.ip)).toEqual(['203.0.113.77']);
    expect(broken.state.listItems(listOf(broken.accountId))).toEqual([]);
    const summary = renderFleetSummary(applied.ledger, 'block-ips');
    expect(summary).toContain('## block-ips: partial (8 target(s))');
    expect(summary).toContain(`Not applied: cloudflare/${broken.accountId}.`);
    // Failures first, with the reason.
    expect(summary.split('\n')[4]).toMatch(new RegExp(`^\\| cloudflare/${broken.accountId} \\| failed \\|`));

    // One parent record referencing each target's own record by hash.
    const parent = audit.entries.at(-1)!;
    expect(parent.record.step).toBe('fleet:block-ips');
    const refs = (parent.record.result as { targets: Array<{ target: string; audit?: { hash: string } }> }).targets;
    expect(refs).toHaveLength(8);
    const hashes = new Set(audit.entries.map((e) => e.hash));
    for (const r of refs) expect(hashes.has(r.audit!.hash), r.target).toBe(true);
    expect(verifyChain(audit.lines).ok).toBe(true);

    // Re-run: only the failed target, from the ledger; no other provider is called.
    broken.faults.clear();
    const retry = targetsToRetry(applied.ledger);
    expect(retry).toEqual([`cloudflare/${broken.accountId}`]);
    const awsBefore = kit.moto.requests.length;
    const cfBefore = kit.cloudflare[0]!.requests.length;
    const again = await runFleet(options(audit, all.filter((t) => retry.includes(t.id)), false, 'r1-retry'));
    expect(again.ledger.outcomes.map((o) => [o.target, o.status])).toEqual([[`cloudflare/${broken.accountId}`, 'applied']]);
    expect(kit.moto.requests.length).toBe(awsBefore);
    expect(kit.cloudflare[0]!.requests.length).toBe(cfBefore);
    expect(broken.state.listItems(listOf(broken.accountId)).map((i) => i.ip)).toEqual(['203.0.113.77']);
  }, 120_000);
});

describe('firebreak fleet run (break-glass without GitHub)', () => {
  it('reads the generated targets file, plans, applies with --apply, and a retry of a clean run acts on nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-cli-'));
    await writeFile(join(dir, 'fleet-targets.json'), JSON.stringify({ version: 1, source: 'drill', targets: kit.targets }));
    await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nfleet:\n  targets_file: fleet-targets.json\n  concurrency: 2\n  sets:\n    pci: [tag:pci]\n');
    const cf0 = kit.cloudflare[0]!;
    const env = { ...kit.env, [ENV.cloudflareBaseUrl]: cf0.baseUrl, USER: 'octo' };
    const args = ['fleet', 'run', 'block-ips', '--targets', `pci,id:cloudflare/${cf0.accountId}`, '--addresses', '192.0.2.44', '--reason', 'scanner', '--ttl', '1h', '--incident', 'INC-18', '--ledger-out', 'ledger.json'];
    const planIo = memoryIo(env, dir);
    expect(await main([...args, '--matrix-out', 'github-output', '--batch-size', '2', '--shards', '2'], planIo)).toBe(0);
    expect(planIo.out.join('\n')).toContain('## block-ips plan: planned (3 target(s))');
    // The plan job's outputs: two batches in shard 1, an empty shard 2 (its apply job is skipped).
    const outputs = Object.fromEntries((await readFile(join(dir, 'github-output'), 'utf8')).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(outputs['count-1']).toBe('2');
    expect(outputs['count-2']).toBe('0');
    const shard = JSON.parse(outputs['matrix-1']!) as { include: Array<{ batch: string; targets: string }> };
    expect(shard.include.map((b) => b.batch)).toEqual(['b001', 'b002']);
    expect(shard.include.flatMap((b) => b.targets.split(',')).sort()).toEqual(['aws/100000000000/eu-west-1', 'aws/100000000000/us-east-1', `cloudflare/${cf0.accountId}`]);
    expect(await kit.wafAddresses('100000000000', 'us-east-1')).not.toContain('192.0.2.44/32');

    const applyIo = memoryIo(env, dir);
    expect(await main([...args, '--apply'], applyIo)).toBe(0);
    expect(applyIo.out.join('\n')).toContain('## block-ips: ok (3 target(s))');
    expect(await kit.wafAddresses('100000000000', 'us-east-1')).toContain('192.0.2.44/32');
    expect(await kit.wafAddresses('100000001111', 'us-east-1')).not.toContain('192.0.2.44/32');
    const ledger = JSON.parse(await readFile(join(dir, 'ledger.json'), 'utf8')) as FleetLedger;
    expect(ledger.outcomes.map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    const chain = (await readFile(join(dir, '.firebreak', 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(verifyChain(chain).ok).toBe(true);
    // 3 planned + 1 parent, 3 applied + 1 parent.
    expect(chain).toHaveLength(8);

    const retryIo = memoryIo(env, dir);
    const before = kit.moto.requests.length;
    expect(await main([...args, '--apply', '--retry-failed', 'ledger.json'], retryIo)).toBe(0);
    expect(retryIo.out.join('\n')).toMatch(/nothing to retry/);
    expect(kit.moto.requests.length).toBe(before);
  }, 120_000);

  it('refuses an unknown set before any provider is called', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-cli-'));
    await writeFile(join(dir, 'firebreak.yml'), `version: 1\nfleet:\n  targets: ${JSON.stringify(kit.targets)}\n`);
    const io = memoryIo({ ...kit.env, USER: 'octo' }, dir);
    const before = kit.moto.requests.length;
    expect(await main(['fleet', 'run', 'block-ips', '--targets', 'production', '--addresses', '192.0.2.1', '--reason', 'x y z', '--apply'], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(/not a fleet set or selector/);
    expect(kit.moto.requests.length).toBe(before);
  });
});

describe('fleet run cost per target', () => {
  it('sends every AWS target through one connection pool: connections are bounded by the concurrency, not the number of targets', async () => {
    // A TCP relay in front of moto's endpoint counts the connections the run opens.
    const upstream = new URL(kit.env[ENV.awsEndpoint]!);
    let connections = 0;
    const relay = createServer((client) => {
      connections++;
      const up = connect(Number(upstream.port), upstream.hostname);
      client.pipe(up).pipe(client);
      client.on('error', () => up.destroy());
      up.on('error', () => client.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    try {
      const aws = all.filter((t) => t.provider === 'aws');
      expect(aws).toHaveLength(6);
      const o = options(new MemoryAuditSink(), aws, true, 'pool');
      o.env = { ...o.env, [ENV.awsEndpoint]: `http://127.0.0.1:${(relay.address() as AddressInfo).port}` };
      const before = kit.moto.requests.length;
      const run = await runFleet({ ...o, concurrency: 2 });
      expect(run.ledger.outcomes.map((x) => x.status)).toEqual(Array(6).fill('planned'));
      // 3 AssumeRole (one per account) + 6 GetIPSet, over at most 2 sockets (two targets at once).
      expect(kit.moto.requests.length - before).toBe(9);
      expect(connections).toBeGreaterThan(0);
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      relay.close();
    }
  }, 60_000);
});
