import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/server.js';
import { startIpBlockEmulators, type IpBlockEmulators } from '../fixtures/ip-block-kit.js';
import { drillRunbook } from './run.js';

// A "staging target" stood up from the emulators, as real providers would be: the drill gets only
// an environment and a firebreak.yml, never a handle on the emulators, and must leave it as it found it.
let gh: GitHubEmulator;
let ip: IpBlockEmulators;
beforeAll(async () => {
  gh = await startGitHubEmulator();
  ip = await startIpBlockEmulators();
});
afterAll(async () => {
  await gh?.stop();
  await ip?.stop();
});

const PLAN = [
  '  - { step: declare, with: { title: "Staging drill", severity: SEV2, category: security } }',
  '  - { step: block-ips, with: { addresses: "203.0.113.77", reason: "drill", ttl: 1h, target: waf } }',
  '  - { step: post-update, with: { audience: internal, kind: update, status: mitigating, text: "blocked" } }',
].join('\n');

async function setup(target: string, plan = PLAN): Promise<{ dir: string; file: string; env: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'fb-target-'));
  await writeFile(
    join(dir, 'firebreak.yml'),
    `version: 1\nincident:\n  severity: { scheme: SEV0-3 }\n  roster: { incident_commander: [ic] }\n  routes: { security: [{ notify: incident_commander }] }\ndrill:\n  targets:\n${target}\n`,
  );
  const file = join(dir, 'r.md');
  await writeFile(file, `---\ntitle: Staging\nowner: sec\nlast_reviewed: 2026-12-01\nsteps: [declare]\ndrill:\n${plan}\n---\n# S\n`);
  return { dir, file, env: { ...gh.env(), ...ip.env, USER: 'ci' } };
}

async function wafAddresses(): Promise<string[]> {
  const waf = new WAFV2Client({ region: ip.moto.region, endpoint: ip.moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const arn = ip.kit.env.FIREBREAK_WAF_IPSET_V4_ARN!;
  const [name, id] = arn.split('/').slice(-2);
  const set = await waf.send(new GetIPSetCommand({ Name: name!, Id: id!, Scope: 'REGIONAL' }));
  waf.destroy();
  return set.IPSet?.Addresses ?? [];
}

describe('firebreak drill --runbook --target (a real staging target)', () => {
  it('runs the plan on the target, then reverts every change and closes its incident', async () => {
    const { dir, file, env } = await setup('    staging: { staging: true, require_env: [FIREBREAK_GITHUB_TOKEN] }');
    const report = await drillRunbook({ file, target: 'staging', env, cwd: dir });
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['declare:applied', 'block-ips:applied', 'post-update:applied']);
    expect(report.steps[1]!.reverted).toMatchObject({ step: 'unblock-ips', status: 'applied' });
    expect(report.ok, JSON.stringify(report.contract)).toBe(true);
    expect(await wafAddresses()).toEqual([]);
    const issues = [...gh.state.issues.values()].filter((i) => i.title.includes('Staging drill'));
    expect(issues.map((i) => i.state)).toEqual(['closed']);
  });

  it.each([
    ['not marked staging', '    prod: { staging: false }', 'prod', 'DRILL_TARGET_NOT_STAGING'],
    ['unknown', '    staging: { staging: true }', 'stagin', 'DRILL_TARGET_UNKNOWN'],
    ['without its credentials', '    staging: { staging: true, require_env: [STAGING_AWS_ROLE] }', 'staging', 'DRILL_TARGET_CREDENTIALS'],
  ])('refuses a target %s, before anything runs', async (_why, target, name, code) => {
    const { dir, file, env } = await setup(target);
    const before = gh.state.issues.size;
    await expect(drillRunbook({ file, target: name, env, cwd: dir })).rejects.toMatchObject({ code });
    expect(gh.state.issues.size).toBe(before);
  });

  it('refuses a plan with a step it cannot revert, unless the target allows it by name', async () => {
    const plan = `${PLAN}\n  - { step: restart-service, with: { target: "aws:ecs-service:prod/api" } }`;
    const refused = await setup('    staging: { staging: true }', plan);
    await expect(drillRunbook({ file: refused.file, target: 'staging', env: refused.env, cwd: refused.dir })).rejects.toMatchObject({ code: 'DRILL_TARGET_IRREVERSIBLE', message: expect.stringContaining('restart-service') });
    const allowed = await setup('    staging: { staging: true, allow_irreversible: [restart-service] }', plan);
    const report = await drillRunbook({ file: allowed.file, target: 'staging', env: allowed.env, cwd: allowed.dir });
    // No ECS service exists on this target: the step fails, the drill says so, and still reverts the block.
    expect(report.ok).toBe(false);
    expect(report.steps[1]!.reverted?.status).toBe('applied');
    expect(await wafAddresses()).toEqual([]);
    expect(await readFile(join(allowed.dir, 'r.md'), 'utf8')).not.toContain('last_tested');
  });
});
