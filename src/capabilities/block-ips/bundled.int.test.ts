import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../core/audit.js';
import { EXIT_CODES } from '../../core/errors.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../../drill/fixtures/ip-block-kit.js';
import { runBundledAction } from '../../../test/helpers/run-action.js';

/**
 * The committed bundles `dist/{block,unblock}-ips.js` (action.yml `runs.main`), run as the runner runs them
 * (node, INPUT_* variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files) against moto and the
 * Cloudflare emulator, with the kit variables passed the way the workflow does: FIREBREAK_VARS.
 */
let emu: IpBlockEmulators;

beforeAll(async () => {
  emu = await startIpBlockEmulators();
}, 60_000);
afterAll(async () => {
  await emu?.stop();
});
beforeEach(async () => {
  await emu.reprovision();
});

function env(): Record<string, string> {
  const kit: Record<string, string> = {};
  for (const name of Object.values(KIT_VARIABLES)) if (emu.env[name]) kit[name] = emu.env[name]!;
  const rest = Object.fromEntries(Object.entries(emu.env).filter(([k]) => !(k in kit)));
  return { ...rest, FIREBREAK_VARS: JSON.stringify(kit), GITHUB_ACTOR: 'octo-responder', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '77' };
}

async function wafV4(): Promise<string[]> {
  const [, , name, id] = emu.kit.env[KIT_VARIABLES.wafIpSetV4Arn]!.split('/');
  const client = new WAFV2Client({ region: emu.moto.region, endpoint: emu.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const out = await client.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
  client.destroy();
  return [...(out.IPSet?.Addresses ?? [])].sort();
}

describe('bundled block-ips / unblock-ips actions', () => {
  it('dry-runs by default, applies with apply: true, unblocks, and chains the audit records', async () => {
    const inputs = { addresses: '203.0.113.10, 2001:db8:7::1', reason: 'credential stuffing', ttl: '4h', 'incident-id': 'INC-42' };
    const dry = await runBundledAction({ slug: 'block-ips', inputs, env: env() });
    expect(dry.exitCode).toBe(0);
    expect(dry.outputs.status).toBe('planned');
    expect(await wafV4()).toEqual([]);

    const applied = await runBundledAction({ slug: 'block-ips', inputs: { ...inputs, apply: 'true' }, env: env(), workspace: dry.workspace });
    expect(applied.stderr).not.toMatch(/TypeError|ReferenceError/);
    expect(applied.exitCode).toBe(0);
    expect(applied.outputs.status).toBe('applied');
    expect(applied.summary).toContain('| waf:REGIONAL:IPV4 | add | `203.0.113.10/32` |');
    expect(applied.summary).toMatch(/widened to 2001:db8:7::\/64/);
    expect(await wafV4()).toEqual(['203.0.113.10/32']);
    expect(emu.cf.state.listItems(emu.kit.listId).map((i) => i.ip).sort()).toEqual(['2001:db8:7::/64', '203.0.113.10']);

    const un = await runBundledAction({ slug: 'unblock-ips', inputs: { addresses: '203.0.113.10', reason: 'false positive', apply: 'true' }, env: env(), workspace: dry.workspace });
    expect(un.exitCode).toBe(0);
    expect(await wafV4()).toEqual([]);
    const chain = await readFile(join(dry.workspace, '.firebreak', 'audit.jsonl'), 'utf8');
    expect(verifyChain(chain.trim().split('\n')).ok).toBe(true);
    expect(chain.trim().split('\n')).toHaveLength(3);
  });

  it('fails with the guard exit code and changes nothing for a protected or /0 range', async () => {
    const run = await runBundledAction({ slug: 'block-ips', inputs: { addresses: '0.0.0.0/0', reason: 'oops', apply: 'true', 'incident-id': 'INC-42' }, env: env() });
    expect(run.exitCode).toBe(EXIT_CODES.guard);
    expect(run.outputs.status).toBe('refused');
    expect(run.stdout + run.stderr).toMatch(/ALL_ADDRESSES/);
    expect(await wafV4()).toEqual([]);
  });
});
