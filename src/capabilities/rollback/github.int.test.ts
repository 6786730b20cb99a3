import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError, PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { blobSha, type FileRecord } from '../../drill/emulators/github/state.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { githubClient } from '../../runtime/github-client.js';
import { buildRollbackPorts } from './build-ports.js';
import { TRAILER } from './github.js';
import { rollbackStep } from './step.js';

let gh: GitHubEmulator;
let audit: MemoryAuditSink;
const instant = async () => {};
const clock = manualClock('2026-12-02T03:00:00Z');

beforeAll(async () => {
  gh = await startGitHubEmulator({ environments: ['production'] });
});
afterAll(async () => {
  await gh?.stop();
});
beforeEach(() => {
  gh.reset();
  audit = new MemoryAuditSink();
});

const ports = () => buildRollbackPorts(gh.env(), { sleep: instant, clock });
const ctx = (over: Partial<Parameters<typeof makeContext>[0]> = {}) =>
  makeContext({ audit, clock, sleep: instant, logger: memoryLogger(), dryRun: false, incidentId: 'INC-13', actor: 'responder', runUrl: 'https://github.example/acme/shop/actions/runs/7', ...over });
const octokit = () => githubClient(gh.env());
const where = () => ({ owner: gh.owner, repo: gh.repo });

/** A commit on main with app.js holding `text`. */
function push(text: string): string {
  const head = gh.state.refs.get('refs/heads/main')!;
  const content = Buffer.from(text);
  const files = new Map<string, FileRecord>(gh.state.commits.get(head)!.files);
  files.set('app.js', { content, sha: blobSha(content) });
  const sha = gh.state.addCommit(`deploy ${text}`, [head], files);
  gh.state.refs.set('refs/heads/main', sha);
  return sha;
}

async function deploy(sha: string, state: 'success' | 'failure' = 'success'): Promise<number> {
  const { data } = await octokit().rest.repos.createDeployment({ ...where(), ref: sha, environment: 'production', auto_merge: false, required_contexts: [] });
  const id = (data as { id: number }).id;
  await octokit().rest.repos.createDeploymentStatus({ ...where(), deployment_id: id, state });
  return id;
}

/** good deployed, then bad deployed over it; main is at bad. */
async function badDeployOverGood() {
  const good = push('v1 good');
  await deploy(good);
  const bad = push('v2 bad');
  await deploy(bad);
  return { good, bad };
}

const treeOf = (sha: string) => gh.state.commits.get(sha)!.files.get('app.js')!.content.toString();
const writes = () => gh.requests.filter((r) => r.method !== 'GET');

describe('rollback on GitHub (emulator)', () => {
  it('deployment: deploys the last successful other commit; a re-run, even after the rollback deployed, plans nothing', async () => {
    const { good, bad } = await badDeployOverGood();
    const run = await runStep(rollbackStep, { target: 'github:environment:production' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const created = [...gh.state.deployments.values()].sort((a, b) => b.id - a.id)[0]!;
    expect(created).toMatchObject({ sha: good, environment: 'production' });
    expect(created.payload).toMatchObject({ firebreak: { from: bad, to: good } });

    // The deploy workflow reacts and reports success: the rollback is now the live deployment.
    await octokit().rest.repos.createDeploymentStatus({ ...where(), deployment_id: created.id, state: 'success' });
    gh.requests.length = 0;
    const again = await runStep(rollbackStep, { target: 'github:environment:production' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(again.plan?.unchanged[0]?.reason).toContain('already created by this run');
    expect(writes()).toEqual([]);
    gh.assertNoViolations();
  });

  it('a later, independent rollback never picks a commit an earlier rollback moved away from', async () => {
    const { good, bad } = await badDeployOverGood();
    await runStep(rollbackStep, { target: 'github:environment:production', rollbackId: 'first' }, ports(), ctx());
    const first = [...gh.state.deployments.values()].sort((a, b) => b.id - a.id)[0]!;
    await octokit().rest.repos.createDeploymentStatus({ ...where(), deployment_id: first.id, state: 'success' });
    const err = await runStep(rollbackStep, { target: 'github:environment:production', rollbackId: 'second' }, ports(), ctx()).catch((e: unknown) => e);
    // The only other successful commit is the bad one: refused, not deployed.
    expect((err as InputError).code).toBe('NO_PREVIOUS_VERSION');
    expect([...gh.state.deployments.values()].filter((d) => d.sha === bad)).toHaveLength(1);
    expect(good).not.toBe(bad);
  });

  it('refuses with no successful deployment, and with only one successful commit', async () => {
    const c1 = push('v1');
    await deploy(c1, 'failure');
    const none = await runStep(rollbackStep, { target: 'github:environment:production' }, ports(), ctx()).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(InputError);
    expect((none as InputError).code).toBe('NO_SUCCESSFUL_DEPLOYMENT');
    await deploy(c1);
    const only = await runStep(rollbackStep, { target: 'github:environment:production' }, ports(), ctx()).catch((e: unknown) => e);
    expect((only as InputError).code).toBe('NO_PREVIOUS_VERSION');
    expect(gh.state.deployments.size).toBe(2);
  });

  it('deployment of a given known-good SHA; an unknown SHA is refused', async () => {
    const { good } = await badDeployOverGood();
    const short = await runStep(rollbackStep, { target: 'github:environment:production', to: good.slice(0, 12) }, ports(), ctx()).catch((e: unknown) => e);
    expect((short as InputError).code).toBe('INPUT_INVALID');
    const unknown = await runStep(rollbackStep, { target: 'github:environment:production', to: 'deadbeef'.repeat(5) }, ports(), ctx()).catch((e: unknown) => e);
    expect((unknown as InputError).code).toBe('COMMIT_NOT_FOUND');
    const run = await runStep(rollbackStep, { target: 'github:environment:production', to: good }, ports(), ctx());
    expect(run.plan?.changes[0]?.detail).toMatchObject({ sha: good });
  });

  it('pull-request: one commit with the known-good tree on top of main, a branch and a PR; a re-run plans nothing', async () => {
    const { good, bad } = await badDeployOverGood();
    const run = await runStep(rollbackStep, { target: 'github:environment:production', method: 'pull-request' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const pr = [...gh.state.issues.values()].find((i) => i.pull)!;
    expect(pr.pull).toMatchObject({ base: 'main', baseSha: bad });
    const head = gh.state.commits.get(pr.pull!.headSha)!;
    expect(head.parents).toEqual([bad]);
    expect(treeOf(head.sha)).toBe('v1 good');
    expect(treeOf(good)).toBe('v1 good');
    expect(gh.state.refs.get('refs/heads/main')).toBe(bad);

    gh.requests.length = 0;
    const again = await runStep(rollbackStep, { target: 'github:environment:production', method: 'pull-request' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(writes()).toEqual([]);
    gh.assertNoViolations();
  });

  it('pull-request: the branch was created but opening the PR failed; the re-run opens it from that branch', async () => {
    await badDeployOverGood();
    gh.faults.add({ method: 'POST', path: '/repos/acme/shop/pulls', status: 502, body: { message: 'Server Error' } });
    const err = await runStep(rollbackStep, { target: 'github:environment:production', method: 'pull-request' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(((err as PartialFailureError).result as Result).outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['create-branch:applied', 'open-pull-request:failed']);
    const branches = [...gh.state.refs.keys()].filter((r) => r.startsWith('refs/heads/firebreak/rollback-'));
    expect(branches).toHaveLength(1);
    const commitsBefore = gh.state.commits.size;

    const rerun = await runStep(rollbackStep, { target: 'github:environment:production', method: 'pull-request' }, ports(), ctx());
    expect(rerun.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['open-pull-request:applied']);
    expect(gh.state.commits.size).toBe(commitsBefore);
    expect([...gh.state.issues.values()].filter((i) => i.pull)).toHaveLength(1);
    expect(gh.faults.pending()).toEqual([]);
  });

  it('push: moves the branch to the restoring commit; a protected branch is a clear failure and nothing moves', async () => {
    const { bad } = await badDeployOverGood();
    gh.state.protectedBranches.add('main');
    const err = await runStep(rollbackStep, { target: 'github:environment:production', method: 'push' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const reason = ((err as PartialFailureError).result as Result).outcomes[0]!.reason!;
    expect(reason).toContain('refused to move main (422)');
    expect(reason).toContain('Protected branch update failed');
    expect(reason).toContain('method pull-request');
    expect(gh.state.refs.get('refs/heads/main')).toBe(bad);

    gh.state.protectedBranches.clear();
    const run = await runStep(rollbackStep, { target: 'github:environment:production', method: 'push' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const head = gh.state.refs.get('refs/heads/main')!;
    expect(gh.state.commits.get(head)!.parents).toEqual([bad]);
    expect(gh.state.commits.get(head)!.message).toContain(`${TRAILER}: `);
    expect(treeOf(head)).toBe('v1 good');

    // Deployed and then someone pushes on top: the re-run still recognises its commit.
    await deploy(head);
    push('v3 hotfix');
    gh.requests.length = 0;
    const again = await runStep(rollbackStep, { target: 'github:environment:production', method: 'push' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(writes()).toEqual([]);
    gh.assertNoViolations();
  });

  it('a branch target needs `to`; a branch that already has the tree plans nothing', async () => {
    const { good } = await badDeployOverGood();
    const err = await runStep(rollbackStep, { target: 'github:branch:main', method: 'pull-request' }, ports(), ctx()).catch((e: unknown) => e);
    expect((err as InputError).code).toBe('INPUT_MISSING');
    const bad = await runStep(rollbackStep, { target: 'github:branch:main' }, ports(), ctx()).catch((e: unknown) => e);
    expect((bad as InputError).code).toBe('INPUT_CONFLICT');
    await runStep(rollbackStep, { target: 'github:branch:main', method: 'push', to: good, rollbackId: 'a' }, ports(), ctx());
    const again = await runStep(rollbackStep, { target: 'github:branch:main', method: 'push', to: good, rollbackId: 'b' }, ports(), ctx());
    expect(again.plan?.unchanged[0]?.reason).toContain('already has the tree');
  });
});
