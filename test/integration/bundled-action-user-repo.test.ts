import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/core/audit.js';
import { EXIT_CODES } from '../../src/core/errors.js';
import { KIT_VARIABLES } from '../../src/core/names.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../../src/drill/fixtures/ip-block-kit.js';
import { REPO_ROOT, runBundledAction } from '../helpers/run-action.js';

/**
 * A user's repository consuming `uses: acme/firebreak/actions/block-ips@<sha>`: the runner downloads
 * firebreak to `_actions/acme/firebreak/<sha>/` and runs `node` on action.yml's `runs.main` from
 * there, with the user's checkout as GITHUB_WORKSPACE. Here that download holds ONLY the committed
 * dist/ and the action.yml (no node_modules, no sources, no package.json), and the user's
 * directory holds nothing but their firebreak.yml: the bundle must carry everything it runs.
 */
const SHA = 'a'.repeat(40);
let tmp: string;
let checkout: string;
let emu: IpBlockEmulators;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'firebreak-user-repo-'));
  checkout = join(tmp, 'runner', '_actions', 'acme', 'firebreak', SHA);
  await mkdir(join(checkout, 'actions', 'block-ips'), { recursive: true });
  await cp(join(REPO_ROOT, 'dist'), join(checkout, 'dist'), { recursive: true });
  await cp(join(REPO_ROOT, 'actions', 'block-ips', 'action.yml'), join(checkout, 'actions', 'block-ips', 'action.yml'));
  emu = await startIpBlockEmulators();
}, 60_000);

afterAll(async () => {
  await emu?.stop();
  await rm(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  await emu.reprovision();
});

async function userRepo(name: string): Promise<string> {
  const dir = join(tmp, 'work', name);
  await mkdir(dir, { recursive: true });
  // The user's own guard: their office range must never be blocked.
  await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nprotected_ranges:\n  - cidr: 198.51.100.0/24\n    label: acme office\n');
  return dir;
}

function env(workspace: string): Record<string, string> {
  const kit: Record<string, string> = {};
  for (const name of Object.values(KIT_VARIABLES)) if (emu.env[name]) kit[name] = emu.env[name]!;
  const rest = Object.fromEntries(Object.entries(emu.env).filter(([k]) => !(k in kit)));
  return { ...rest, FIREBREAK_VARS: JSON.stringify(kit), GITHUB_WORKSPACE: workspace, GITHUB_ACTOR: 'octo-user', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '9' };
}

async function wafV4(): Promise<string[]> {
  const [, , name, id] = emu.kit.env[KIT_VARIABLES.wafIpSetV4Arn]!.split('/');
  const client = new WAFV2Client({ region: emu.moto.region, endpoint: emu.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const out = await client.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
  client.destroy();
  return [...(out.IPSet?.Addresses ?? [])].sort();
}

describe('a bundled action run from a user repository that holds only firebreak.yml', () => {
  it('has nothing to resolve packages from: no node_modules, no sources, no package.json above the download', async () => {
    expect((await readdir(checkout)).sort()).toEqual(['actions', 'dist']);
    for (let dir = checkout; dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dir, 'node_modules')), join(dir, 'node_modules')).toBe(false);
      if (dir !== checkout) expect(existsSync(join(dir, 'package.json')), join(dir, 'package.json')).toBe(false);
    }
  });

  it('plans a block against moto and the Cloudflare emulator, and applies it', async () => {
    const workspace = await userRepo('plan');
    expect(await readdir(workspace)).toEqual(['firebreak.yml']);
    const inputs = { addresses: '203.0.113.10', reason: 'credential stuffing', ttl: '4h', 'incident-id': 'INC-7' };
    const dry = await runBundledAction({ slug: 'block-ips', repoRoot: checkout, workspace, inputs, env: env(workspace) });
    expect(dry.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|Error:/);
    expect(dry.exitCode).toBe(0);
    expect(dry.outputs.status).toBe('planned');
    expect(dry.summary).toContain('| waf:REGIONAL:IPV4 | add | `203.0.113.10/32` |');
    expect(await wafV4()).toEqual([]);

    const applied = await runBundledAction({ slug: 'block-ips', repoRoot: checkout, workspace, inputs: { ...inputs, apply: 'true' }, env: env(workspace) });
    expect(applied.exitCode).toBe(0);
    expect(applied.outputs.status).toBe('applied');
    expect(await wafV4()).toEqual(['203.0.113.10/32']);
    expect(emu.cf.state.listItems(emu.kit.listId).map((i) => i.ip)).toEqual(['203.0.113.10']);
    // The audit chain lands in the user's workspace, not in the action's download.
    const chain = (await readFile(join(workspace, '.firebreak', 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(verifyChain(chain)).toMatchObject({ ok: true, records: 2 });
    expect(existsSync(join(checkout, '.firebreak'))).toBe(false);
  });

  it("honours the user's firebreak.yml: a protected range is refused and nothing changes", async () => {
    const workspace = await userRepo('guard');
    const run = await runBundledAction({
      slug: 'block-ips',
      repoRoot: checkout,
      workspace,
      inputs: { addresses: '198.51.100.7', reason: 'typo', apply: 'true', 'incident-id': 'INC-7' },
      env: env(workspace),
    });
    expect(run.exitCode).toBe(EXIT_CODES.guard);
    expect(run.outputs.status).toBe('refused');
    expect(run.summary).toContain('acme office');
    expect(await wafV4()).toEqual([]);
    expect(emu.cf.state.listItems(emu.kit.listId)).toEqual([]);
  });
});
