import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { KIT_VARIABLES } from '../../src/core/names.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../src/drill/emulators/github/server.js';
import { startMoto, type MotoServer } from '../../src/drill/emulators/moto.js';
import { checkWorkflow } from '../../src/workflow-rules/rules.js';

/**
 * Issue 19: from an empty git repository, `firebreak init --yes` with flags gives a repository whose
 * workflows pass the workflow rules and whose `config check` and `doctor` are green against the
 * GitHub emulator and moto. A second run is a no-op; a new SHA is an upgrade shown as a diff.
 */
const SHA = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
let repo: string;
let gh: GitHubEmulator;
let moto: MotoServer;

const FLAGS = [
  '--firebreak-repository', 'acme/firebreak', '--firebreak-ref', SHA, '--firebreak-label', 'v0.1.0',
  '--repository', 'acme/shop', '--roster', 'incident_commander=alice,bob', '--roster', 'legal=dana',
  '--regime', 'gdpr,us-states', '--data-categories', 'personal,phi', '--protected-range', '198.51.100.0/24=vpn',
  '--office-egress', '203.0.113.8/29', '--timezone', 'Europe/Berlin', '--codeowner', '@acme/security', '--reviewer', 'alice',
];

async function cli(args: string[], env: Record<string, string> = {}, answer?: boolean) {
  const io = memoryIo(env, repo);
  if (answer !== undefined) io.confirm = async () => answer;
  const code = await main(args, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

beforeAll(async () => {
  gh = await startGitHubEmulator({ owner: 'acme', repo: 'shop' });
  moto = await startMoto();
});
afterAll(async () => {
  await gh?.stop();
  await moto?.stop();
});
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'firebreak-adopt-'));
  spawnSync('git', ['init', '-q', repo]);
  return () => rmSync(repo, { recursive: true, force: true });
});

describe('firebreak init', () => {
  it('writes config, pinned callers, tick, drill, CODEOWNERS, runbooks and the stack file; all pass the rules and config check', async () => {
    const r = await cli(['init', '--yes', ...FLAGS]);
    expect(r.code, r.err).toBe(0);
    const workflows = readdirSync(join(repo, '.github', 'workflows'));
    expect(workflows).toEqual(expect.arrayContaining(['block-ips.yml', 'declare.yml', 'incident-tick.yml', 'firebreak-drill.yml']));
    for (const f of workflows) expect(checkWorkflow(f, readFileSync(join(repo, '.github', 'workflows', f), 'utf8')), f).toEqual([]);
    const block = readFileSync(join(repo, '.github', 'workflows', 'block-ips.yml'), 'utf8');
    expect(block).toContain(`uses: acme/firebreak/.github/workflows/reusable-block-ips.yml@${SHA} # v0.1.0`);
    expect(block).toContain(`firebreak-ref: ${SHA}`);
    expect(readFileSync(join(repo, '.github', 'CODEOWNERS'), 'utf8')).toMatch(/^\/runbooks\/ @acme\/security$/m);
    expect(readdirSync(join(repo, 'runbooks')).length).toBeGreaterThan(0);
    expect(readFileSync(join(repo, 'Pulumi.prod.yaml'), 'utf8')).toContain(`reusableWorkflow: acme/firebreak/.github/workflows/reusable-*.yml@${SHA}`);
    const config = readFileSync(join(repo, 'firebreak.yml'), 'utf8');
    expect(config).toContain('203.0.113.8/29');
    expect((await cli(['config', 'check'])).code).toBe(0);
  });

  it('a second run is a no-op; a new SHA is an upgrade that shows its diff and keeps the team\'s firebreak.yml', async () => {
    expect((await cli(['init', '--yes', ...FLAGS])).code).toBe(0);
    writeFileSync(join(repo, 'firebreak.yml'), `${readFileSync(join(repo, 'firebreak.yml'), 'utf8')}# edited by the team\n`);
    const again = await cli(['init', '--yes', ...FLAGS]);
    expect(again.out).toContain('nothing to do');
    const upgrade = await cli(['init', ...FLAGS.map((f) => (f === SHA ? SHA2 : f))], {}, false);
    expect(upgrade.code).not.toBe(0);
    expect(upgrade.out).toMatch(new RegExp(`-.*reusable-block-ips.yml@${SHA}`));
    expect(upgrade.out).toMatch(new RegExp(`\\+.*reusable-block-ips.yml@${SHA2}`));
    expect(upgrade.out).not.toContain('update    firebreak.yml');
    expect(readFileSync(join(repo, '.github', 'workflows', 'block-ips.yml'), 'utf8')).toContain(SHA);
    expect(readFileSync(join(repo, 'firebreak.yml'), 'utf8')).toContain('# edited by the team');
  });

  it('never writes without a yes, and bad flags change nothing', async () => {
    const no = await cli(['init', ...FLAGS], {}, false);
    expect(no.err).toContain('nothing was written: not confirmed');
    expect(readdirSync(repo)).toEqual(['.git']);
    for (const bad of [
      ['--firebreak-ref', 'main'],
      ['--protected-range', '0.0.0.0/0'],
      ['--scheme', 'SEV9'],
      ['--regime', 'gpdr'],
      ['--capabilities', 'teleport'],
    ]) {
      const args = [...FLAGS];
      const i = args.indexOf(bad[0]!);
      if (i >= 0) args.splice(i, 2, ...bad);
      else args.push(...bad);
      const r = await cli(['init', '--yes', ...args]);
      expect(r.code, bad.join(' ')).not.toBe(0);
      expect(readdirSync(repo), bad.join(' ')).toEqual(['.git']);
    }
  });
});

/** IAM CreateRole through moto's query API (the project has no IAM SDK client as a dependency). */
async function createRole(name: string): Promise<string> {
  const body = new URLSearchParams({ Action: 'CreateRole', Version: '2010-05-08', RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
  const res = await fetch(moto.directEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
    body,
  });
  const text = await res.text();
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (!res.ok || !arn) throw new Error(`CreateRole failed: HTTP ${res.status} ${text.slice(0, 200)}`);
  return arn;
}

describe('firebreak doctor', () => {
  async function kit(opts: { reviewers: boolean; roleArn: string }) {
    const octokit = new Octokit({ baseUrl: gh.baseUrl, auth: gh.token });
    await octokit.rest.repos.createOrUpdateEnvironment({ owner: 'acme', repo: 'shop', environment_name: 'incident', ...(opts.reviewers ? { reviewers: [{ type: 'User', id: 1 }] } : {}) });
    await octokit.rest.repos.createOrUpdateEnvironment({ owner: 'acme', repo: 'shop', environment_name: 'firebreak-incident' });
    for (const env of ['incident', 'firebreak-incident']) {
      for (const name of Object.values(KIT_VARIABLES)) {
        const value = name === KIT_VARIABLES.responderRoleArn ? opts.roleArn : 'x';
        await octokit.rest.actions.createEnvironmentVariable({ owner: 'acme', repo: 'shop', environment_name: env, name, value }).catch(() => undefined);
      }
    }
  }

  it('is green on a freshly initialised repository with the kit in place (GitHub emulator, role assumed in moto)', async () => {
    await gh.reset?.();
    await kit({ reviewers: true, roleArn: await createRole(`responder-${Date.now()}`) });
    expect((await cli(['init', '--yes', ...FLAGS])).code).toBe(0);
    const r = await cli(['--json', 'doctor'], { ...gh.env(), ...moto.env() });
    const report = JSON.parse(r.out) as { ok: boolean; checks: Array<{ name: string; status: string; details: string[] }> };
    expect(report.checks.map((c) => `${c.name} ${c.status}`)).toEqual(['config ok', 'workflows ok', 'runbooks ok', 'github ok', 'aws-role ok']);
    expect(report.checks.find((c) => c.name === 'aws-role')!.details[0]).toContain('assumed-role');
    expect(r.code).toBe(0);
  });

  it('names what is missing: unpinned caller, no reviewers, no variables, no config', async () => {
    await gh.reset?.();
    await kit({ reviewers: false, roleArn: 'arn:aws:iam::123456789012:role/x' });
    expect((await cli(['init', '--yes', ...FLAGS])).code).toBe(0);
    const block = join(repo, '.github', 'workflows', 'block-ips.yml');
    writeFileSync(block, readFileSync(block, 'utf8').replace(`@${SHA} # v0.1.0`, '@main'));
    rmSync(join(repo, 'firebreak.yml'));
    const r = await cli(['--json', 'doctor'], gh.env());
    const report = (JSON.parse(r.out) as { ok: boolean; error: { code: string; details: { checks: Array<{ name: string; status: string; details: string[] }> } } }).error.details;
    const by = Object.fromEntries(report.checks.map((c) => [c.name, c]));
    expect(by.config!.status).toBe('fail');
    expect(by.workflows!.status).toBe('fail');
    expect(by.workflows!.details.join('\n')).toMatch(/block-ips\.yml/);
    expect(by.github!.status).toBe('fail');
    expect(by.github!.details.join('\n')).toContain('environment incident has no required reviewers');
    expect(by['aws-role']!.status).toBe('skip');
    expect(r.code).not.toBe(0);
  });
});
