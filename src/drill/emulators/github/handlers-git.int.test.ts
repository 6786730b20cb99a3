import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { githubClient } from '../../../runtime/github-client.js';
import { startGitHubEmulator, type GitHubEmulator } from './server.js';

let gh: GitHubEmulator;
beforeAll(async () => {
  gh = await startGitHubEmulator();
});
beforeEach(() => gh.reset());
afterAll(async () => {
  await gh?.stop();
});

const status = (p: Promise<unknown>) => p.then(() => 0, (e: { status?: number }) => e.status ?? -1);

describe('GitHub emulator: git commits and ref updates', () => {
  it('reads a commit with its tree, writes one with that tree on top of another, and fast-forwards a branch', async () => {
    const octokit = githubClient(gh.env());
    const where = { owner: gh.owner, repo: gh.repo };
    const head = gh.state.refs.get('refs/heads/main')!;
    const { data: c } = await octokit.rest.git.getCommit({ ...where, commit_sha: head });
    expect(c).toMatchObject({ sha: head, message: 'Initial commit', parents: [] });
    const { data: made } = await octokit.rest.git.createCommit({ ...where, message: 'same tree', tree: c.tree.sha, parents: [head] });
    expect(made.tree.sha).toBe(c.tree.sha);
    expect(made.parents.map((p) => p.sha)).toEqual([head]);
    await octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: made.sha });
    expect(gh.state.refs.get('refs/heads/main')).toBe(made.sha);
    gh.assertNoViolations();
  });

  it('refuses an unknown tree or parent, a non-fast-forward without force, and a protected branch', async () => {
    const octokit = githubClient(gh.env());
    const where = { owner: gh.owner, repo: gh.repo };
    const head = gh.state.refs.get('refs/heads/main')!;
    const tree = (await octokit.rest.git.getCommit({ ...where, commit_sha: head })).data.tree.sha;
    expect(await status(octokit.rest.git.createCommit({ ...where, message: 'x', tree: 'f'.repeat(40), parents: [head] }))).toBe(422);
    expect(await status(octokit.rest.git.createCommit({ ...where, message: 'x', tree, parents: ['e'.repeat(40)] }))).toBe(422);
    const orphan = (await octokit.rest.git.createCommit({ ...where, message: 'orphan', tree, parents: [] })).data.sha;
    expect(await status(octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: orphan }))).toBe(422);
    expect(gh.state.refs.get('refs/heads/main')).toBe(head);
    await octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: orphan, force: true });
    expect(gh.state.refs.get('refs/heads/main')).toBe(orphan);
    gh.state.protectedBranches.add('main');
    const next = (await octokit.rest.git.createCommit({ ...where, message: 'next', tree, parents: [orphan] })).data.sha;
    expect(await status(octokit.rest.git.updateRef({ ...where, ref: 'heads/main', sha: next }))).toBe(422);
    expect(gh.state.refs.get('refs/heads/main')).toBe(orphan);
    expect(await status(octokit.rest.git.getCommit({ ...where, commit_sha: 'd'.repeat(40) }))).toBe(404);
    gh.assertNoViolations();
  });
});
