import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { parseConfig } from '../../core/config/parse.js';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { runStep } from '../../core/step.js';
import { buildIpBlockPorts } from '../../runtime/ip-block-ports.js';
import { blockIpsStep } from '../../capabilities/block-ips/step.js';
import { sweepExpiredStep } from '../../capabilities/sweep-expired/step.js';
import { unblockIpsStep } from '../../capabilities/unblock-ips/step.js';
import type { CloudflareEmulator } from '../emulators/cloudflare/server.js';
import { provisionIpBlockKit, type IpBlockKit } from '../fixtures/ip-block-kit.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../scenario.js';

/**
 * The seed runbooks' "block the attacker" step, drilled: block an IPv4+IPv6 mix on WAFv2 and
 * Cloudflare, refuse a protected range and a set of /16s that merges into a /8, survive a Cloudflare outage mid-run (WAF applied, Cloudflare
 * failed, a re-run converges), unblock exactly one entry, and let the sweep expire the rest.
 */
let kit: IpBlockKit | undefined;

const CONFIG = parseConfig('version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: office egress (drill)\n');

export const blockIpsScenario: DrillScenario = {
  name: 'block-ips',
  description: 'block/unblock/sweep hostile addresses on WAFv2 (moto) and a Cloudflare list, with a provider outage mid-run',
  needs: ['aws', 'cloudflare'],

  async setup(env) {
    kit = await provisionIpBlockKit(env.aws!, env.cloudflare as unknown as CloudflareEmulator, { suffix: 'drill' });
  },

  async run(env) {
    const out: Expectation[] = [];
    const k = kit!;
    const runEnv = { ...env.env, ...k.env };
    const ports = () => buildIpBlockPorts(runEnv, CONFIG, { sleep: env.sleep, timeoutMs: 2_000, cloudflare: { callAttempts: 3, retryBaseMs: 10 } });
    const cf = env.cloudflare as unknown as CloudflareEmulator;
    const aws = env.aws!;
    const wafV4 = async () => {
      const [, , name, id] = k.env[KIT_VARIABLES.wafIpSetV4Arn]!.split('/');
      const client = new WAFV2Client({ region: aws.region, endpoint: aws.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
      const got = await client.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
      client.destroy();
      return [...(got.IPSet?.Addresses ?? [])].sort();
    };
    const cfItems = () => {
      cf.state.settle();
      return cf.state.listItems(k.listId).map((i) => i.ip).sort();
    };
    const raw = { addresses: '203.0.113.0/25 203.0.113.128/25 2001:db8:66::9', reason: 'drill: credential stuffing', ttl: '1h', incident: 'DRILL-1' };

    const first = await runStep(blockIpsStep, raw, ports(), env.context());
    out.push(checkEqual('block: result ok', first.result?.status, 'ok'));
    out.push(checkEqual('block: WAF IPv4 set holds the aggregated /24', await wafV4(), ['203.0.113.0/24']));
    out.push(checkEqual('block: Cloudflare holds the /24 and the widened /64', cfItems(), ['2001:db8:66::/64', '203.0.113.0/24']));

    const again = await runStep(blockIpsStep, raw, ports(), env.context());
    out.push(check('re-run: every entry already present', (again.result?.outcomes ?? []).filter((o) => o.status === 'already').length === 4, JSON.stringify(again.result)));

    const refused = await runStep(blockIpsStep, { ...raw, addresses: '192.0.2.7' }, ports(), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('protected range refused', refused instanceof FirebreakError ? refused.code : String(refused), 'PROTECTED_RANGE'));
    out.push(checkEqual('protected range: WAF unchanged', await wafV4(), ['203.0.113.0/24']));

    // Blast radius is judged after aggregation: 256 narrow /16s are one /8, refused before any write.
    const merged = await runStep(blockIpsStep, { ...raw, addresses: Array.from({ length: 256 }, (_, i) => `11.${i}.0.0/16`).join(' ') }, ports(), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('merged /8 refused', merged instanceof FirebreakError ? merged.code : String(merged), 'BREADTH_EXCEEDED'));
    out.push(check('merged /8: the refusal names the merge', merged instanceof FirebreakError && merged.message.includes('these 256 entries') && merged.message.includes('merge into 11.0.0.0/8'), String(merged)));
    out.push(checkEqual('merged /8: WAF unchanged', await wafV4(), ['203.0.113.0/24']));

    cf.faults.add({ method: 'POST', times: Infinity, status: 503, body: { success: false, errors: [{ code: 10000, message: 'drill outage' }], messages: [], result: null } });
    const outage = await runStep(blockIpsStep, { ...raw, addresses: '198.51.100.66' }, ports(), env.context()).catch((e: unknown) => e);
    cf.faults.clear();
    const outcomes = outage instanceof PartialFailureError ? (outage.result as { outcomes: Array<{ target: string; status: string }> }).outcomes : [];
    out.push(check('outage: run fails as partial', outage instanceof PartialFailureError, String(outage)));
    out.push(check('outage: report says WAF applied, Cloudflare failed', outcomes.some((o) => o.target === 'waf:REGIONAL:IPV4' && o.status === 'applied') && outcomes.some((o) => o.target === 'cloudflare:list' && o.status === 'failed'), JSON.stringify(outcomes)));
    const healed = await runStep(blockIpsStep, { ...raw, addresses: '198.51.100.66' }, ports(), env.context());
    out.push(checkEqual('outage: re-run converges', healed.result?.status, 'ok'));
    out.push(check('outage: Cloudflare now holds 198.51.100.66', cfItems().includes('198.51.100.66'), JSON.stringify(cfItems())));

    await runStep(unblockIpsStep, { addresses: '198.51.100.66', reason: 'drill: false positive' }, ports(), env.context());
    out.push(checkEqual('unblock: exactly that entry removed from WAF', await wafV4(), ['203.0.113.0/24']));

    const later = new Date(env.clock.now().getTime() + 2 * 3_600_000);
    await runStep(sweepExpiredStep, {}, ports(), env.context({ clock: { now: () => later } }));
    out.push(checkEqual('sweep: expired blocks gone from WAF', await wafV4(), []));
    out.push(checkEqual('sweep: expired blocks gone from Cloudflare', cfItems(), []));
    return out;
  },
};
