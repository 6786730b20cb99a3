import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
