import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { FirebreakError, GuardError, PartialFailureError } from '../../core/errors.js';
import type { WafIpSetRef, WafIpSets } from '../../core/ports/waf.js';
import { manualClock, memoryLogger, realSleep } from '../../core/runtime.js';
import { makeContext, runStep, type GuardOverride } from '../../core/step.js';
import { awsJsonError, wafLockConflict } from '../../drill/emulators/faults.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../../drill/fixtures/ip-block-kit.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { buildIpBlockPorts } from '../../runtime/ip-block-ports.js';
import { blockIpsStep } from '../block-ips/step.js';
import type { IpBlockPorts } from './ip-block-targets.js';
import { sweepExpiredStep } from '../sweep-expired/step.js';
import { unblockIpsStep } from '../unblock-ips/step.js';

const instant = async () => {};
const CONFIG = `version: 1
protected_ranges:
  - cidr: 192.0.2.0/24
    label: office egress
  - 2001:db8:ffff::/48
`;

let emu: IpBlockEmulators;
let audit: MemoryAuditSink;
let clock: ReturnType<typeof manualClock>;

function config(extra = '') {
  return parseConfig(CONFIG + extra);
}

function ports(opts: { sleep?: typeof instant; extra?: string; timeoutMs?: number } = {}): IpBlockPorts {
  const cfg = config(opts.extra ?? '');
  return buildIpBlockPorts(emu.env, cfg, {
    sleep: opts.sleep ?? instant,
    timeoutMs: opts.timeoutMs ?? 2_000,
    random: () => 0.5,
    cloudflare: { callAttempts: 4, retryBaseMs: 10, pollBaseMs: 5 },
  });
}

function ctx(overrides: GuardOverride[] = [], dryRun = false) {
  return makeContext({ audit, clock, sleep: instant, logger: memoryLogger(), dryRun, incidentId: 'INC-7', actor: 'responder', overrides });
}

const waf = () => new WAFV2Client({ region: emu.moto.region, endpoint: emu.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
function refFromArn(arn: string): { Name: string; Id: string; Scope: 'REGIONAL' } {
  const parts = arn.split('/');
  return { Name: parts[2]!, Id: parts[3]!, Scope: 'REGIONAL' };
}
async function wafAddresses(version: 4 | 6): Promise<string[]> {
  const arn = emu.kit.env[version === 4 ? 'FIREBREAK_WAF_IPSET_V4_ARN' : 'FIREBREAK_WAF_IPSET_V6_ARN']!;
  const out = await waf().send(new GetIPSetCommand(refFromArn(arn)));
  return [...(out.IPSet?.Addresses ?? [])].sort();
}
function cfItems(): string[] {
  emu.cf.state.settle();
  return emu.cf.state
    .listItems(emu.kit.listId)
    .map((i) => i.ip)
    .sort();
}
const writes = () => [
  ...emu.moto.requests.filter((r) => r.target?.endsWith('UpdateIPSet') || (r.method === 'PUT' && !r.target)),
  ...emu.cf.requests.filter((r) => r.method === 'POST' || r.method === 'DELETE' || r.method === 'PUT'),
];

beforeAll(async () => {
  emu = await startIpBlockEmulators();
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});
beforeEach(async () => {
  await emu.reprovision();
  audit = new MemoryAuditSink();
  clock = manualClock('2026-11-23T10:00:00Z');
});

describe('block-ips against moto and the Cloudflare emulator', () => {
  it('blocks an IPv4+IPv6 mix on both providers: de-duplicated, aggregated, IPv6 widened for Cloudflare, expiry in the ledger', async () => {
    const raw = { addresses: '203.0.113.0/25, 203.0.113.128/25 203.0.113.5\n2001:db8:1::7 ::ffff:198.51.100.9 198.51.100.9', reason: 'credential stuffing', ttl: '2h' };
    const run = await runStep(blockIpsStep, raw, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await wafAddresses(4)).toEqual(['198.51.100.9/32', '203.0.113.0/24']);
    expect(await wafAddresses(6)).toEqual(['2001:db8:1::7/128']);
    expect(cfItems()).toEqual(['198.51.100.9', '2001:db8:1::/64', '203.0.113.0/24']);
    expect(run.plan?.warnings.join('\n')).toMatch(/2001:db8:1::7\/128 widened to 2001:db8:1::\/64/);
    const item = emu.cf.state.listItems(emu.kit.listId).find((i) => i.ip === '198.51.100.9');
    expect(item?.comment).toBe('fb inc=INC-7;exp=2026-11-23T12:00:00.000Z;reason=credential stuffing');
    const records = await ports().ledger!.list();
    expect(records).toHaveLength(1);
    expect(records[0]!.expiresAt).toBe('2026-11-23T12:00:00.000Z');
    expect(records[0]!.entries).toContainEqual({ target: 'cloudflare:list', subject: '2001:db8:1::/64' });
    expect(audit.entries).toHaveLength(1);

    // Re-run: every entry already present; nothing but a fresh expiry record is written.
    emu.moto.requests.length = 0;
    emu.cf.requests.length = 0;
    const again = await runStep(blockIpsStep, raw, ports(), ctx());
    expect(again.plan?.changes.map((c) => c.target)).toEqual(['ledger']);
    expect(again.result?.outcomes.filter((o) => o.status === 'already')).toHaveLength(6);
    expect(emu.moto.requests.filter((r) => r.target?.endsWith('UpdateIPSet'))).toHaveLength(0);
    expect(emu.cf.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('costs a constant number of requests: 2 per IP set, 1 bulk request and its polls, 1 ledger write', async () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${1 + (i % 2) * 2}`).join(',');
    const run = await runStep(blockIpsStep, { addresses, reason: 'botnet', ttl: '1h' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(emu.moto.requests.filter((r) => r.target?.endsWith('GetIPSet'))).toHaveLength(1);
    expect(emu.moto.requests.filter((r) => r.target?.endsWith('UpdateIPSet'))).toHaveLength(1);
    expect(emu.moto.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(emu.cf.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(await wafAddresses(4)).toHaveLength(1000);
    expect(cfItems()).toHaveLength(1000);
  });

  it('writes to CLOUDFRONT-scope sets from config next to the kit REGIONAL ones', async () => {
    await emu.reprovision({ cloudfront: true });
    const extra = `blocking:\n  waf:\n    ip_sets:\n${emu.kit.extraSets.map((s) => `      - { scope: ${s.scope}, ip_version: ${s.ip_version}, name: ${s.name}, id: ${s.id} }`).join('\n')}\n`;
    const run = await runStep(blockIpsStep, { addresses: '198.51.100.10 2001:db8:2::/48', reason: 'scanner', target: 'waf' }, ports({ extra }), ctx());
    expect(new Set(run.result?.outcomes.map((o) => o.target))).toEqual(new Set(['waf:REGIONAL:IPV4', 'waf:REGIONAL:IPV6', 'waf:CLOUDFRONT:IPV4', 'waf:CLOUDFRONT:IPV6', 'ledger']));
    const cf4 = emu.kit.extraSets.find((s) => s.ip_version === 'IPV4')!;
    const out = await waf().send(new GetIPSetCommand({ Name: cf4.name, Id: cf4.id, Scope: 'CLOUDFRONT' }));
    expect(out.IPSet?.Addresses).toEqual(['198.51.100.10/32']);
    expect(cfItems()).toEqual([]);
  });

  describe('every guard refusal changes nothing', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a protected range', { addresses: '198.51.100.1, 192.0.2.128/25' }, 'PROTECTED_RANGE'],
      ['a protected IPv6 range reached by the /64 widening', { addresses: '2001:db8:ffff::1' }, 'PROTECTED_RANGE'],
      ['0.0.0.0/0', { addresses: '0.0.0.0/0' }, 'ALL_ADDRESSES'],
      ['::/0', { addresses: '::/0' }, 'ALL_ADDRESSES'],
      ['a prefix broader than /16', { addresses: '10.0.0.0/12' }, 'BREADTH_EXCEEDED'],
      ['a Cloudflare limit even with the breadth override', { addresses: '10.0.0.0/7', override: true }, 'PROVIDER_LIMIT'],
      ['entries that merge into 0.0.0.0/0', { addresses: '0.0.0.0/1 128.0.0.0/1', override: true }, 'ALL_ADDRESSES'],
      ['a malformed incident id (not "required")', { addresses: '203.0.113.9', incident: 'INC/7' }, 'INCIDENT_ID_INVALID'],
      ['an IPv4-compatible ::a.b.c.d', { addresses: '::203.0.113.9' }, 'ADDRESS_INVALID'],
    ];
    for (const [name, raw, code] of cases) {
      it(`refuses ${name}`, async () => {
        const overrides = raw.override ? [{ guard: 'BREADTH_EXCEEDED', reason: 'whole botnet range' }] : [];
        const err = await runStep(blockIpsStep, { reason: 'test', ...raw }, ports(), ctx(overrides)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(FirebreakError);
        expect((err as GuardError).code).toBe(code);
        expect(writes()).toEqual([]);
        expect(await wafAddresses(4)).toEqual([]);
        expect(cfItems()).toEqual([]);
        expect(audit.entries).toHaveLength(1);
        expect(audit.entries[0]!.record.status).toBe('refused');
      });
    }

    it('refuses 256 /16s that merge into a /8 before any provider call, saying so', async () => {
      const addresses = Array.from({ length: 256 }, (_, i) => `11.${i}.0.0/16`).join('\n');
      emu.moto.requests.length = 0;
      emu.cf.requests.length = 0;
      const err = await runStep(blockIpsStep, { addresses, reason: 'botnet' }, ports(), ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GuardError);
      expect((err as GuardError).code).toBe('BREADTH_EXCEEDED');
      expect((err as GuardError).message).toContain('these 256 entries (11.0.0.0/16, 11.1.0.0/16, 11.2.0.0/16, …) merge into 11.0.0.0/8 (on waf:REGIONAL:IPV4, cloudflare:list)');
      // Not one request, reads included, and not one entry anywhere.
      expect(emu.moto.requests).toEqual([]);
      expect(emu.cf.requests).toEqual([]);
      expect(await wafAddresses(4)).toEqual([]);
      expect(cfItems()).toEqual([]);
      expect(await ports().ledger!.list()).toEqual([]);
      expect(audit.entries.map((e) => e.record.status)).toEqual(['refused']);
    });

    it('refuses tens of thousands of /16s that merge into 0.0.0.0/1, even with the breadth override', async () => {
      const addresses = Array.from({ length: 32_768 }, (_, i) => `${i >> 8}.${i & 255}.0.0/16`).join(',');
      emu.moto.requests.length = 0;
      emu.cf.requests.length = 0;
      const err = await runStep(blockIpsStep, { addresses, reason: 'everything', target: 'waf' }, ports(), ctx([{ guard: 'BREADTH_EXCEEDED', reason: 'really' }])).catch((e: unknown) => e);
      expect((err as GuardError).code).toBe('ADDRESS_SPACE_EXCEEDED');
      expect((err as GuardError).message).toMatch(/2,147,483,648 IPv4 addresses \(50% of the IPv4 space/);
      expect(emu.moto.requests).toEqual([]);
      expect(emu.cf.requests).toEqual([]);
      expect(await wafAddresses(4)).toEqual([]);
    });

    it('refuses separate /16s that add up to more than the allowed share, and takes an audited override', async () => {
      const addresses = Array.from({ length: 100 }, (_, i) => `20.${i * 2}.0.0/16`).join(' ');
      emu.moto.requests.length = 0;
      emu.cf.requests.length = 0;
      const err = await runStep(blockIpsStep, { addresses, reason: 'hoster', target: 'waf' }, ports(), ctx()).catch((e: unknown) => e);
      expect((err as GuardError).code).toBe('ADDRESS_SPACE_EXCEEDED');
      expect(emu.moto.requests).toEqual([]);
      const run = await runStep(blockIpsStep, { addresses, reason: 'hoster', target: 'waf' }, ports(), ctx([{ guard: 'ADDRESS_SPACE_EXCEEDED', reason: 'whole hoster, approved by IC' }]));
      expect(run.result?.status).toBe('ok');
      expect(audit.entries.at(-1)!.record.override).toEqual({ guard: 'ADDRESS_SPACE_EXCEEDED', reason: 'whole hoster, approved by IC' });
      expect(await wafAddresses(4)).toHaveLength(100);
      // A stricter share in config refuses a smaller run.
      await emu.reprovision();
      const strict = await runStep(blockIpsStep, { addresses: '20.0.0.0/16', reason: 'x-test', target: 'waf' }, ports({ extra: 'blocking:\n  max_share_percent:\n    ipv4: 0.001\n' }), ctx()).catch((e: unknown) => e);
      expect((strict as GuardError).code).toBe('ADDRESS_SPACE_EXCEEDED');
    });

    it('needs every tripped guard overridden, and notes each override', async () => {
      const addresses = ['10.0.0.0/12', ...Array.from({ length: 100 }, (_, i) => `20.${i * 2}.0.0/16`)].join(' ');
      const breadthOnly = await runStep(blockIpsStep, { addresses, reason: 'x-test', target: 'waf' }, ports(), ctx([{ guard: 'BREADTH_EXCEEDED', reason: 'hoster' }])).catch((e: unknown) => e);
      expect((breadthOnly as GuardError).code).toBe('ADDRESS_SPACE_EXCEEDED');
      const shareOnly = await runStep(blockIpsStep, { addresses, reason: 'x-test', target: 'waf' }, ports(), ctx([{ guard: 'ADDRESS_SPACE_EXCEEDED', reason: 'hoster' }])).catch((e: unknown) => e);
      expect((shareOnly as GuardError).code).toBe('BREADTH_EXCEEDED');
      expect(writes()).toEqual([]);
      const both = [
        { guard: 'BREADTH_EXCEEDED', reason: 'hoster /12, approved by IC' },
        { guard: 'ADDRESS_SPACE_EXCEEDED', reason: 'hoster ranges, approved by IC' },
      ];
      const run = await runStep(blockIpsStep, { addresses, reason: 'x-test', target: 'waf' }, ports(), ctx(both));
      expect(run.result?.status).toBe('ok');
      expect(run.plan?.warnings).toEqual(expect.arrayContaining(['Guard BREADTH_EXCEEDED overridden by responder: hoster /12, approved by IC', 'Guard ADDRESS_SPACE_EXCEEDED overridden by responder: hoster ranges, approved by IC']));
      expect(await wafAddresses(4)).toHaveLength(101);
    });

    it('records the normalised addresses in readable form', async () => {
      await runStep(blockIpsStep, { addresses: '198.51.100.0/26 198.51.100.64/26 2001:db8:7::1', reason: 'readable', target: 'waf' }, ports(), ctx());
      const input = audit.entries[0]!.record.input as { addresses: { entries: string[]; aggregated: string[] } };
      expect(input.addresses.entries).toEqual(['198.51.100.0/26', '198.51.100.64/26', '2001:db8:7::1/128']);
      expect(input.addresses.aggregated).toEqual(['198.51.100.0/25', '2001:db8:7::1/128']);
      expect(JSON.stringify(audit.entries[0]!.record)).not.toMatch(/"base"|"family"/);
    });

    it('refuses to pass the WAF set limit with the numbers', async () => {
      const arn = emu.kit.env.FIREBREAK_WAF_IPSET_V4_ARN!;
      const got = await waf().send(new GetIPSetCommand(refFromArn(arn)));
      const filler = Array.from({ length: 9_999 }, (_, i) => `172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`);
      await waf().send(new UpdateIPSetCommand({ ...refFromArn(arn), Addresses: filler, LockToken: got.LockToken! }));
      const err = await runStep(blockIpsStep, { addresses: '203.0.113.1 203.0.113.3', reason: 'x-test', target: 'waf' }, ports(), ctx()).catch((e: unknown) => e);
      expect((err as GuardError).code).toBe('PROVIDER_LIMIT');
      expect((err as GuardError).message).toMatch(/holds 9999 entries, adding 2 would make 10001, over its limit of 10000/);
      expect(writes()).toEqual([]);
    });

    it('accepts a broad prefix with an override and audits the reason', async () => {
      const run = await runStep(blockIpsStep, { addresses: '10.0.0.0/12', reason: 'abusive hoster' }, ports(), ctx([{ guard: 'BREADTH_EXCEEDED', reason: 'entire hoster range, approved by IC' }]));
      expect(run.result?.status).toBe('ok');
      expect(audit.entries[0]!.record.override).toEqual({ guard: 'BREADTH_EXCEEDED', reason: 'entire hoster range, approved by IC' });
      expect(await wafAddresses(4)).toEqual(['10.0.0.0/12']);
    });

    it('dry-run (the default) plans and writes nothing', async () => {
      const run = await runStep(blockIpsStep, { addresses: '203.0.113.9', reason: 'test' }, ports(), ctx([], true));
      expect(run.plan?.changes.map((c) => `${c.target} ${c.action} ${c.subject}`)).toContain('cloudflare:list add 203.0.113.9/32');
      expect(writes()).toEqual([]);
    });
  });

  it('resolves a stale lock token: another writer’s entries and ours both survive', async () => {
    const base = ports();
    const arn = emu.kit.env.FIREBREAK_WAF_IPSET_V4_ARN!;
    // Another writer updates the set between our plan (read) and our apply (write).
    const racing: WafIpSets = {
      read: (ref) => base.waf!.client.read(ref),
      edit: async (ref: WafIpSetRef, edit) => {
        const cur = await waf().send(new GetIPSetCommand(refFromArn(arn)));
        await waf().send(new UpdateIPSetCommand({ ...refFromArn(arn), Addresses: [...(cur.IPSet?.Addresses ?? []), '100.64.0.1/32'], LockToken: cur.LockToken! }));
        const result = await base.waf!.client.edit(ref, edit);
        expect(result.rounds).toBe(2);
        return result;
      },
    };
    const run = await runStep(blockIpsStep, { addresses: '203.0.113.50', reason: 'race', target: 'waf' }, { ...base, waf: { ...base.waf!, client: racing } }, ctx());
    expect(run.result?.status).toBe('ok');
    expect(await wafAddresses(4)).toEqual(['100.64.0.1/32', '203.0.113.50/32']);
    expect(emu.moto.requests.filter((r) => r.target?.endsWith('UpdateIPSet')).map((r) => r.status)).toEqual([400, 200]);
  });

  it('gives up on a lock that never settles with a precise, retryable report; nothing lost', async () => {
    emu.moto.faults.add(wafLockConflict(Infinity));
    const err = await runStep(blockIpsStep, { addresses: '203.0.113.60', reason: 'lock storm' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const outcomes = ((err as PartialFailureError).result as { outcomes: Array<{ target: string; status: string; reason?: string; retryable?: boolean }> }).outcomes;
    expect(outcomes.find((o) => o.target === 'waf:REGIONAL:IPV4')).toMatchObject({ status: 'failed', retryable: true });
    expect(outcomes.find((o) => o.target === 'waf:REGIONAL:IPV4')?.reason).toMatch(/kept changing under us for 12 read-merge-write rounds/);
    expect(outcomes.find((o) => o.target === 'cloudflare:list')).toMatchObject({ status: 'applied' });
    emu.moto.faults.clear();
    const again = await runStep(blockIpsStep, { addresses: '203.0.113.60', reason: 'lock storm' }, ports(), ctx());
    expect(again.result?.status).toBe('ok');
    expect(await wafAddresses(4)).toEqual(['203.0.113.60/32']);
  });

  it('20 concurrent runs with distinct addresses leave all 20 on both providers', async () => {
    const many = buildIpBlockPorts(emu.env, config(), {
      sleep: realSleep,
      timeoutMs: 5_000,
      wafLockRounds: 40,
      cloudflare: { callAttempts: 60, retryBaseMs: 20, retryMaxMs: 300, pollBaseMs: 20 },
    });
    const addrs = Array.from({ length: 20 }, (_, i) => `198.51.100.${i * 2 + 1}`);
    const runs = await Promise.all(addrs.map((a) => runStep(blockIpsStep, { addresses: a, reason: 'swarm', ttl: '1h' }, many, ctx())));
    expect(runs.every((r) => r.result?.status === 'ok')).toBe(true);
    expect(await wafAddresses(4)).toEqual(addrs.map((a) => `${a}/32`).sort());
    expect(cfItems()).toEqual([...addrs].sort());
    expect(emu.moto.requests.some((r) => r.target?.endsWith('UpdateIPSet') && r.status === 400)).toBe(true);
    expect(emu.cf.requests.some((r) => r.method === 'POST' && r.status === 429)).toBe(true);
  });

  describe('injected faults end in a precise report and a converging re-run', () => {
    const persistent = [
      { name: 'WAF GetIPSet 503', side: 'aws', rule: { target: 'GetIPSet', times: Infinity, ...awsJsonError('WAFInternalErrorException', 'internal', 503) } },
      { name: 'WAF UpdateIPSet 429', side: 'aws', rule: { target: 'UpdateIPSet', times: Infinity, ...awsJsonError('ThrottlingException', 'slow down', 429) } },
      { name: 'WAF UpdateIPSet timeout', side: 'aws', rule: { target: 'UpdateIPSet', times: Infinity, timeout: true } },
      { name: 'Cloudflare bulk POST 503', side: 'cf', rule: { method: 'POST', times: Infinity, status: 503, body: { success: false, errors: [{ code: 10000, message: 'unavailable' }], messages: [], result: null } } },
      { name: 'Cloudflare bulk POST 429', side: 'cf', rule: { method: 'POST', times: Infinity, status: 429, body: { success: false, errors: [{ code: 971, message: 'rate limited' }], messages: [], result: null } } },
      { name: 'Cloudflare poll timeout', side: 'cf', rule: { method: 'GET', path: /bulk_operations/, times: Infinity, timeout: true } },
      { name: 'Cloudflare list GET 500', side: 'cf', rule: { method: 'GET', path: /items$/, times: Infinity, status: 500, body: { success: false, errors: [{ code: 10000, message: 'boom' }], messages: [], result: null } } },
      { name: 'ledger PutObject 503', side: 'aws', rule: { method: 'PUT', times: Infinity, status: 503, body: '<Error><Code>ServiceUnavailable</Code></Error>', headers: { 'content-type': 'application/xml' } } },
    ] as const;

    // A read failing in plan: nothing was written anywhere. A write failing in apply: a precise partial report.
    const failsInPlan = (name: string) => /GetIPSet|list GET/.test(name);
    async function convergesAfter(raw: Record<string, unknown>) {
      expect(audit.entries.at(-1)!.record.status).not.toBe('applied');
      emu.moto.faults.clear();
      emu.cf.faults.clear();
      emu.cf.state.settle();
      const again = await runStep(blockIpsStep, raw, ports(), ctx());
      expect(again.result?.status).toBe('ok');
      expect(await wafAddresses(4)).toEqual(['203.0.113.77/32']);
      expect(await wafAddresses(6)).toEqual(['2001:db8:5::/48']);
      expect(cfItems()).toEqual(['2001:db8:5::/48', '203.0.113.77']);
    }
    const raw = { addresses: '203.0.113.77, 2001:db8:5::/48', reason: 'fault drill', ttl: '1h' };

    for (const f of persistent.filter((p) => failsInPlan(p.name))) {
      it(`${f.name}: refused in plan with nothing written, then converges`, async () => {
        (f.side === 'aws' ? emu.moto.faults : emu.cf.faults).add({ ...f.rule } as never);
        const err = await runStep(blockIpsStep, raw, ports(), ctx()).catch((e: unknown) => e);
        expect(err).toMatchObject({ exit: 'provider', retryable: true });
        expect(writes()).toEqual([]);
        await convergesAfter(raw);
      });
    }

    for (const f of persistent.filter((p) => !failsInPlan(p.name))) {
      it(`${f.name}: fails precisely, then converges`, async () => {
        (f.side === 'aws' ? emu.moto.faults : emu.cf.faults).add({ ...f.rule } as never);
        const err = await runStep(blockIpsStep, raw, ports(), ctx()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PartialFailureError);
        const result = (err as PartialFailureError).result as { outcomes: Array<{ target: string; status: string; reason?: string }> };
        const failed = result.outcomes.filter((o) => o.status === 'failed');
        const applied = result.outcomes.filter((o) => o.status === 'applied');
        expect(failed.length).toBeGreaterThan(0);
        expect(applied.length).toBeGreaterThan(0);
        for (const o of failed) expect(o.reason).toMatch(/attempts|timeout|Timeout|503|429/);
        expect((err as Error).message).toMatch(/failed on/i);
        await convergesAfter(raw);
      });
    }

    it('transient 429/5xx/timeouts are retried and the run succeeds', async () => {
      emu.moto.faults.add({ target: 'UpdateIPSet', times: 1, ...awsJsonError('ThrottlingException', 'slow down', 429) });
      emu.moto.faults.add({ target: 'GetIPSet', times: 1, timeout: true });
      emu.cf.faults.add({ method: 'POST', times: 1, status: 502, body: { success: false, errors: [{ code: 10000, message: 'bad gateway' }], messages: [], result: null } });
      emu.cf.faults.add({ method: 'GET', path: /bulk_operations/, times: 1, timeout: true });
      const run = await runStep(blockIpsStep, { addresses: '203.0.113.200', reason: 'transient' }, ports(), ctx());
      expect(run.result?.status).toBe('ok');
      expect(emu.moto.faults.pending()).toEqual([]);
      expect(emu.cf.faults.pending()).toEqual([]);
      expect(await wafAddresses(4)).toEqual(['203.0.113.200/32']);
      expect(cfItems()).toEqual(['203.0.113.200']);
    });
  });
});

describe('unblock-ips and sweep-expired', () => {
  it('unblock removes exactly what it is given and leaves the rest', async () => {
    await runStep(blockIpsStep, { addresses: '203.0.113.0/24 198.51.100.7 2001:db8:9::1', reason: 'incident' }, ports(), ctx());
    const run = await runStep(unblockIpsStep, { addresses: '198.51.100.7 203.0.113.5 2001:db8:9::1', reason: 'false positive' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await wafAddresses(4)).toEqual(['203.0.113.0/24']);
    expect(await wafAddresses(6)).toEqual([]);
    expect(cfItems()).toEqual(['203.0.113.0/24']);
    expect(run.plan?.unchanged).toContainEqual({ target: 'waf:REGIONAL:IPV4', subject: '203.0.113.5/32', reason: 'not present' });
    const again = await runStep(unblockIpsStep, { addresses: '198.51.100.7', reason: 'again' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
  });

  it('sweep removes expired blocks, keeps re-blocked ones, and closes the records', async () => {
    await runStep(blockIpsStep, { addresses: '203.0.113.1 203.0.113.3', reason: 'first', ttl: '1h' }, ports(), ctx());
    clock.advance(30 * 60_000);
    await runStep(blockIpsStep, { addresses: '203.0.113.3', reason: 'extended', ttl: '2h' }, ports(), ctx());
    clock.advance(45 * 60_000);
    const sweep = await runStep(sweepExpiredStep, {}, ports(), ctx());
    expect(sweep.result?.status).toBe('ok');
    expect(await wafAddresses(4)).toEqual(['203.0.113.3/32']);
    expect(cfItems()).toEqual(['203.0.113.3']);
    expect(await ports().ledger!.list()).toHaveLength(1);
    clock.advance(3 * 3_600_000);
    // A sweep of the WAF only removes the WAF entry and keeps the record open for the Cloudflare one.
    const wafOnly = await runStep(sweepExpiredStep, { target: 'waf' }, ports(), ctx());
    expect(wafOnly.plan?.unchanged.map((u) => u.reason)).toContain('kept open: names a target this run does not sweep');
    expect(await wafAddresses(4)).toEqual([]);
    expect(cfItems()).toEqual(['203.0.113.3']);
    await runStep(sweepExpiredStep, {}, ports(), ctx());
    expect(await wafAddresses(4)).toEqual([]);
    expect(cfItems()).toEqual([]);
    expect(await ports().ledger!.list()).toHaveLength(0);
    const idle = await runStep(sweepExpiredStep, {}, ports(), ctx());
    expect(idle.result?.status).toBe('noop');
  });

  it('sweep reports each record close on its own: a tombstone that fails leaves exactly that record open', async () => {
    await runStep(blockIpsStep, { addresses: '203.0.113.31', reason: 'first', ttl: '1h', target: 'waf' }, ports(), ctx());
    await runStep(blockIpsStep, { addresses: '203.0.113.32', reason: 'second', ttl: '1h', target: 'waf' }, ports(), ctx());
    const second = (await ports().ledger!.list()).find((r) => r.reason === 'second')!;
    clock.advance(2 * 3_600_000);
    emu.moto.faults.add({ method: 'PUT', path: new RegExp(`swept/${second.id}$`), times: Infinity, status: 503, body: '<Error><Code>ServiceUnavailable</Code></Error>', headers: { 'content-type': 'application/xml' } });
    const err = await runStep(sweepExpiredStep, { target: 'waf' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const closes = ((err as PartialFailureError).result as { outcomes: Array<{ action: string; subject: string; status: string }> }).outcomes.filter((o) => o.action === 'close');
    expect(closes.find((o) => o.subject === second.id)?.status).toBe('failed');
    expect(closes.filter((o) => o.status === 'applied')).toHaveLength(1);
    expect((await ports().ledger!.list()).map((r) => r.reason)).toEqual(['second']);
    emu.moto.faults.clear();
    await runStep(sweepExpiredStep, { target: 'waf' }, ports(), ctx());
    expect(await ports().ledger!.list()).toEqual([]);
  });

  it('sweep keeps a record open when its own removals failed, closes the others, and a re-run converges', async () => {
    await runStep(blockIpsStep, { addresses: '203.0.113.21', reason: 'waf only', ttl: '1h', target: 'waf' }, ports(), ctx());
    await runStep(blockIpsStep, { addresses: '203.0.113.22', reason: 'both', ttl: '1h' }, ports(), ctx());
    expect((await ports().ledger!.list()).map((r) => r.reason).sort()).toEqual(['both', 'waf only']);
    clock.advance(2 * 3_600_000);
    emu.cf.faults.add({ method: 'POST', times: Infinity, status: 503, body: { success: false, errors: [{ code: 10000, message: 'unavailable' }], messages: [], result: null } });
    emu.cf.faults.add({ method: 'DELETE', times: Infinity, status: 503, body: { success: false, errors: [{ code: 10000, message: 'unavailable' }], messages: [], result: null } });
    const err = await runStep(sweepExpiredStep, {}, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const outcomes = ((err as PartialFailureError).result as { outcomes: Array<{ target: string; action: string; subject: string; status: string }> }).outcomes;
    // Only the record whose Cloudflare removal failed is still in the ledger.
    const left = await ports().ledger!.list();
    expect(left.map((r) => r.reason)).toEqual(['both']);
    const open = left[0]!;
    expect(outcomes.find((o) => o.action === 'close' && o.subject === open.id)).toMatchObject({ status: 'skipped' });
    expect(outcomes.filter((o) => o.action === 'close' && o.status === 'applied')).toHaveLength(1);
    expect(await wafAddresses(4)).toEqual([]);
    expect(cfItems()).toEqual(['203.0.113.22']);
    emu.cf.faults.clear();
    const again = await runStep(sweepExpiredStep, {}, ports(), ctx());
    expect(again.result?.status).toBe('ok');
    expect(cfItems()).toEqual([]);
    expect(await ports().ledger!.list()).toEqual([]);
  });
});
