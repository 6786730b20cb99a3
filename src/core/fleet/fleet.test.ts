import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse.js';
import { InputError } from '../errors.js';
import { manualClock } from '../runtime.js';
import { mapBounded } from './bounded.js';
import { targetsToRetry, withRetry, type FleetLedger } from './run-ledger.js';
import { fleetTargets, selectTargets } from './targets.js';
import { KeyedTokenBucket } from './token-bucket.js';

const ARN = (acct: string, region: string) => `arn:aws:wafv2:${region}:${acct}:regional/ipset/fb-block-ipv4/0f0e0d0c-0000-4000-8000-000000000001`;
const CONFIG = `version: 1
fleet:
  sets:
    prod: [tag:prod]
    edge: [provider:cloudflare, id:aws/111111111111/eu-west-1]
  targets:
    - { provider: aws, account: '111111111111', region: eu-west-1, role_arn: 'arn:aws:iam::111111111111:role/firebreak-fleet-member', waf: { ipv4_arn: '${ARN('111111111111', 'eu-west-1')}' }, tags: [prod, pci] }
    - { provider: aws, account: '222222222222', region: us-east-1, role_arn: 'arn:aws:iam::222222222222:role/firebreak-fleet-member', tags: [prod] }
    - { provider: aws, account: '333333333333', region: us-east-1, role_arn: 'arn:aws:iam::333333333333:role/firebreak-fleet-member', tags: [staging] }
    - { provider: cloudflare, account: '${'a'.repeat(32)}', list_id: '${'b'.repeat(32)}', zones: [shop.example.com], tags: [prod] }
`;

describe('fleet targets', () => {
  const config = parseConfig(CONFIG);
  const all = fleetTargets(config.fleet.targets);

  it('selects by set, tag, id and provider; the union in id order', () => {
    expect(selectTargets('prod', all, config.fleet.sets).map((t) => t.id)).toEqual(['aws/111111111111/eu-west-1', 'aws/222222222222/us-east-1', `cloudflare/${'a'.repeat(32)}`]);
    expect(selectTargets('tag:pci', all, config.fleet.sets).map((t) => t.id)).toEqual(['aws/111111111111/eu-west-1']);
    expect(selectTargets('edge,tag:staging', all, config.fleet.sets).map((t) => t.id)).toEqual(['aws/111111111111/eu-west-1', 'aws/333333333333/us-east-1', `cloudflare/${'a'.repeat(32)}`]);
  });

  it.each([
    ['', 'TARGETS_EMPTY'],
    ['production', 'TARGETS_UNKNOWN'],
    ['tag:nope', 'TARGETS_NONE_MATCH'],
    ['prod,id:aws/999999999999/eu-west-1', 'TARGETS_NONE_MATCH'],
  ])('refuses %j with %s, never an empty or partial fleet', (text, code) => {
    try {
      selectTargets(text, all, config.fleet.sets);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe(code);
    }
  });

  it('refuses a set selector in config that is not tag:/id:/provider:', () => {
    expect(() => parseConfig('version: 1\nfleet:\n  sets:\n    prod: [prod-eu]\n')).toThrow(/selector/);
  });

  it('refuses one target declared twice with different settings', () => {
    const t = config.fleet.targets[0]!;
    expect(() => fleetTargets([t, { ...t, role_arn: 'arn:aws:iam::111111111111:role/other' } as typeof t])).toThrow(/declared twice/);
    expect(fleetTargets([t, { ...t, tags: ['extra'] }])[0]!.tags).toEqual(['extra', 'pci', 'prod']);
  });
});

describe('limit keys', () => {
  it('is the account and region, and us-east-1 for every CLOUDFRONT-scoped target of an account', () => {
    const role = 'arn:aws:iam::111111111111:role/firebreak-fleet-member';
    const ts = fleetTargets([
      { provider: 'aws', account: '111111111111', region: 'eu-west-1', role_arn: role, tags: [] },
      { provider: 'aws', account: '111111111111', region: 'eu-central-1', role_arn: role, waf: { scope: 'CLOUDFRONT' }, tags: [] },
      { provider: 'aws', account: '111111111111', region: 'ap-south-1', role_arn: role, waf: { scope: 'CLOUDFRONT' }, tags: [] },
    ]);
    expect(ts.map((t) => [t.id, t.limitKey])).toEqual([
      ['aws/111111111111/ap-south-1', 'aws/111111111111/us-east-1'],
      ['aws/111111111111/eu-central-1', 'aws/111111111111/us-east-1'],
      ['aws/111111111111/eu-west-1', 'aws/111111111111/eu-west-1'],
    ]);
  });
});

describe('KeyedTokenBucket', () => {
  it('spaces writes on one account/region one second apart, and never delays another key', async () => {
    const clock = manualClock('2026-12-02T00:00:00Z');
    const waits: number[] = [];
    const bucket = new KeyedTokenBucket({ ratePerSecond: 1, burst: 1, clock, sleep: async (ms) => void waits.push(ms) });
    const same = await Promise.all([bucket.take('aws/1/eu-west-1'), bucket.take('aws/1/eu-west-1'), bucket.take('aws/1/eu-west-1')]);
    expect(same).toEqual([0, 1000, 2000]);
    expect(await bucket.take('aws/1/us-east-1')).toBe(0);
    expect(await bucket.take('aws/2/eu-west-1')).toBe(0);
    clock.advance(5000);
    expect(await bucket.take('aws/1/eu-west-1')).toBe(0);
    expect(waits).toEqual([1000, 2000]);
  });
});

describe('mapBounded', () => {
  it('never runs more than the limit at once, keeps order, and reports a rejection without stopping the rest', async () => {
    let inFlight = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    const run = mapBounded(Array.from({ length: 10 }, (_, i) => i), 3, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise<void>((r) => gates.push(r));
      inFlight--;
      if (i === 4) throw new Error('target 4 failed');
      return i * 2;
    });
    while (gates.length || inFlight) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    const out = await run;
    expect(peak).toBe(3);
    expect(out.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 2, 4, 6, 'target 4 failed', 10, 12, 14, 16, 18]);
  });
});

describe('targetsToRetry', () => {
  it('is every planned target not applied or already in place, including ones that never reported', () => {
    const ledger: FleetLedger = {
      v: 1, capability: 'block-ips', runId: '1', selection: 'prod', planned: ['a', 'b', 'c', 'd', 'e'],
      outcomes: [
        { target: 'a', status: 'applied', changes: 1, applied: 1, failed: 0 },
        { target: 'b', status: 'noop', changes: 0, applied: 0, failed: 0 },
        { target: 'c', status: 'failed', changes: 1, applied: 0, failed: 1, reason: 'x' },
        { target: 'd', status: 'refused', changes: 0, applied: 0, failed: 0 },
      ],
    };
    expect(targetsToRetry(ledger)).toEqual(['c', 'd', 'e']);
  });
});

describe('withRetry', () => {
  const base: FleetLedger = {
    v: 1, capability: 'block-ips', runId: '1', selection: 'prod', planned: ['a', 'b', 'c'],
    outcomes: [
      { target: 'a', status: 'applied', changes: 1, applied: 1, failed: 0 },
      { target: 'b', status: 'failed', changes: 1, applied: 0, failed: 1, reason: 'x' },
    ],
  };
  it('puts each re-run outcome in place of the earlier one; what was not re-run stands (c is still missing)', () => {
    const merged = withRetry(base, { ...base, runId: '2', planned: ['b'], outcomes: [{ target: 'b', status: 'applied', changes: 1, applied: 1, failed: 0 }] });
    expect(merged.outcomes.map((o) => [o.target, o.status])).toEqual([['a', 'applied'], ['b', 'applied'], ['c', 'missing']]);
    expect(targetsToRetry(merged)).toEqual(['c']);
    expect(merged.runId).toBe('1+2');
  });
  it('refuses a re-run of another capability or of targets the run never planned', () => {
    expect(() => withRetry(base, { ...base, capability: 'rotate-secret', outcomes: [] })).toThrow(/re-run is rotate-secret/);
    expect(() => withRetry(base, { ...base, outcomes: [{ target: 'z', status: 'applied', changes: 1, applied: 1, failed: 0 }] })).toThrow(/did not plan: z/);
  });
});
