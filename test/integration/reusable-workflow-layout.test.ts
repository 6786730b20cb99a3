import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { verifyChain } from '../../src/core/audit.js';
import { EXIT_CODES } from '../../src/core/errors.js';
import { KIT_VARIABLES } from '../../src/core/names.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../../src/drill/fixtures/ip-block-kit.js';
import { REPO_ROOT, runBundledAction } from '../helpers/run-action.js';

/**
 * What `.github/workflows/reusable-block-ips.yml` leaves on the runner when a user's repository
 * calls it: the user's checkout (nothing but their firebreak.yml) at the workspace root, firebreak
 * checked out into the folder the workflow names, and the action run from there with the inputs
 * the workflow passes. The layout is read from the generated workflow, so a change to one that the
 * other does not follow fails here. The audit chain must land in the user's workspace (the
 * artifact step uploads `.firebreak/` from there), and the user's firebreak.yml must be the one
 * read, not anything in firebreak's checkout.
 */
type Step = { uses?: string; with?: Record<string, string> };
const workflow = parse(await readFile(join(REPO_ROOT, '.github', 'workflows', 'reusable-block-ips.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
const steps = workflow.jobs['block-ips']!.steps;
const sourceCheckout = steps.find((s) => s.with?.repository === '${{ inputs.firebreak-repository }}')!;
const actionStep = steps.find((s) => s.uses?.endsWith('/actions/block-ips'))!;

let tmp: string;
let workspace: string;
let emu: IpBlockEmulators;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'firebreak-reusable-'));
  workspace = join(tmp, 'work', 'shop', 'shop');
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'firebreak.yml'), 'version: 1\nprotected_ranges:\n  - cidr: 198.51.100.0/24\n    label: acme office\n');
  // actions/checkout with `path:` puts firebreak's tree there: its package.json, the action, the committed dist/.
  const source = join(workspace, sourceCheckout.with!.path!);
  await mkdir(join(source, 'actions', 'block-ips'), { recursive: true });
  await cp(join(REPO_ROOT, 'dist'), join(source, 'dist'), { recursive: true });
  await cp(join(REPO_ROOT, 'package.json'), join(source, 'package.json'));
  await cp(join(REPO_ROOT, 'actions', 'block-ips', 'action.yml'), join(source, 'actions', 'block-ips', 'action.yml'));
  emu = await startIpBlockEmulators();
}, 60_000);

afterAll(async () => {
  await emu?.stop();
  await rm(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  await emu.reprovision();
  await rm(join(workspace, '.firebreak'), { recursive: true, force: true });
});

function env(): Record<string, string> {
  const kit: Record<string, string> = {};
  for (const name of Object.values(KIT_VARIABLES)) if (emu.env[name]) kit[name] = emu.env[name]!;
  const rest = Object.fromEntries(Object.entries(emu.env).filter(([k]) => !(k in kit)));
  return { ...rest, FIREBREAK_VARS: JSON.stringify(kit), GITHUB_WORKSPACE: workspace, GITHUB_ACTOR: 'octo-user', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '11' };
}

/** The inputs the workflow's action step passes, with the values a caller gave. */
function inputs(given: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, expr] of Object.entries(actionStep.with ?? {})) {
    const m = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expr);
    expect(m, `${name}: ${expr}`).not.toBeNull();
    if (m![1]! in given) out[name] = given[m![1]!]!;
  }
  return out;
}

async function wafV4(): Promise<string[]> {
  const [, , name, id] = emu.kit.env[KIT_VARIABLES.wafIpSetV4Arn]!.split('/');
  const client = new WAFV2Client({ region: emu.moto.region, endpoint: emu.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const out = await client.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
  client.destroy();
  return [...(out.IPSet?.Addresses ?? [])].sort();
}

describe('reusable-block-ips.yml: the action run from firebreak checked out inside the caller workspace', () => {
  it('the workflow runs the action from the folder it checks firebreak out into', () => {
    expect(actionStep.uses).toBe(`./${sourceCheckout.with!.path}/actions/block-ips`);
  });

  it('plans, then applies, with the audit chain in the caller workspace', async () => {
    const run = (apply: boolean) =>
      runBundledAction({
        slug: 'block-ips',
        repoRoot: join(workspace, sourceCheckout.with!.path!),
        workspace,
        inputs: inputs({ 'incident-id': 'INC-9', addresses: '203.0.113.20', reason: 'scanner', ttl: '4h', target: 'all', apply: String(apply), 'override-guard': '', 'override-reason': '' }),
        env: env(),
      });
    const dry = await run(false);
    expect(dry.stderr).not.toMatch(/Cannot find|ERR_MODULE_NOT_FOUND|Error:/);
    expect(dry.outputs.status).toBe('planned');
    expect(dry.exitCode).toBe(0);
    expect(await wafV4()).toEqual([]);

    const applied = await run(true);
    expect(applied.outputs.status).toBe('applied');
    expect(applied.exitCode).toBe(0);
    expect(await wafV4()).toEqual(['203.0.113.20/32']);
    expect(emu.cf.state.listItems(emu.kit.listId).map((i) => i.ip)).toEqual(['203.0.113.20']);
    const chain = (await readFile(join(workspace, '.firebreak', 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(verifyChain(chain)).toMatchObject({ ok: true, records: 2 });
    expect(existsSync(join(workspace, sourceCheckout.with!.path!, '.firebreak'))).toBe(false);
    expect((await readdir(workspace)).sort()).toEqual(['.firebreak', sourceCheckout.with!.path!, 'firebreak.yml', 'github_output', 'github_step_summary'].sort());
  });

  it("reads the caller's firebreak.yml: its protected range is refused and nothing changes", async () => {
    const run = await runBundledAction({
      slug: 'block-ips',
      repoRoot: join(workspace, sourceCheckout.with!.path!),
      workspace,
      inputs: inputs({ 'incident-id': 'INC-9', addresses: '198.51.100.9', reason: 'typo', apply: 'true' }),
      env: env(),
    });
    expect(run.outputs.status).toBe('refused');
    expect(run.summary).toContain('acme office');
    expect(run.exitCode).toBe(EXIT_CODES.guard);
    expect(await wafV4()).toEqual([]);
    expect(emu.cf.state.listItems(emu.kit.listId)).toEqual([]);
  });
});
