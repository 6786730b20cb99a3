import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { githubClient } from '../../../runtime/github-client.js';
import { EmulatorDriftError, startGitHubEmulator, type GitHubEmulator } from './server.js';
import { sealForPublicKey } from './state.js';

const WORKFLOWS = [
  { path: '.github/workflows/block-ips.yml', name: 'Block IPs' },
  { path: '.github/workflows/deploy.yml', name: 'Deploy' },
];

describe('GitHub emulator through @octokit/rest', () => {
  let gh: GitHubEmulator;
  let octokit: Octokit;
  let owner: string;
  let repo: string;

  beforeAll(async () => {
    gh = await startGitHubEmulator({ workflows: WORKFLOWS, environments: ['production'] });
    octokit = githubClient(gh.env(), { timeoutMs: 2000 });
    ({ owner, repo } = gh);
  });
  afterAll(async () => {
    await gh?.stop();
  });
  beforeEach(() => {
    gh.reset();
  });
  afterEach(() => {
    gh.assertNoViolations();
  });

  it('serves the repository', async () => {
    const { data } = await octokit.rest.repos.get({ owner, repo });
    expect(data.full_name).toBe(`${owner}/${repo}`);
    expect(data.default_branch).toBe('main');
  });

  it('round-trips issues: create, get, update state, labels and body, filter by label and state', async () => {
    const { data: created } = await octokit.rest.issues.create({ owner, repo, title: 'INC-1 credential stuffing', body: 'start', labels: ['incident', 'sev:1'] });
    expect(created.number).toBe(1);
    expect(created.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['incident', 'sev:1']);
    await octokit.rest.issues.create({ owner, repo, title: 'unrelated', labels: ['bug'] });

    const { data: updated } = await octokit.rest.issues.update({ owner, repo, issue_number: 1, body: 'contained', labels: ['incident', 'sev:2'] });
    expect(updated.body).toBe('contained');
    expect(gh.state.issues.get(1)?.labels).toEqual(['incident', 'sev:2']);

    const open = await octokit.rest.issues.listForRepo({ owner, repo, labels: 'incident' });
    expect(open.data.map((i) => i.number)).toEqual([1]);

    await octokit.rest.issues.update({ owner, repo, issue_number: 1, state: 'closed', state_reason: 'completed' });
    expect((await octokit.rest.issues.listForRepo({ owner, repo, labels: 'incident' })).data).toEqual([]);
    const closed = await octokit.rest.issues.listForRepo({ owner, repo, labels: 'incident', state: 'closed' });
    expect(closed.data[0]).toMatchObject({ number: 1, state: 'closed', state_reason: 'completed' });
    expect(closed.data[0]?.closed_at).toBeTruthy();
    const got = await octokit.rest.issues.get({ owner, repo, issue_number: 1 });
    expect(got.data.state).toBe('closed');
    await expect(octokit.rest.issues.get({ owner, repo, issue_number: 99 })).rejects.toMatchObject({ status: 404 });
  });

  it('pages issue lists and comments with Link headers that octokit.paginate follows', async () => {
    for (let n = 0; n < 7; n++) await octokit.rest.issues.create({ owner, repo, title: `i${n}`, labels: ['incident'] });
    const first = await octokit.rest.issues.listForRepo({ owner, repo, labels: 'incident', per_page: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('rel="last"');
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: 'incident', per_page: 3 });
    expect(all.map((i) => i.number)).toEqual([7, 6, 5, 4, 3, 2, 1]);

    for (let n = 0; n < 5; n++) await octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: `c${n}` });
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: 1, per_page: 2 });
    expect(comments.map((c) => c.body)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    const page3 = await octokit.rest.issues.listComments({ owner, repo, issue_number: 1, per_page: 2, page: 3 });
    expect(page3.data.map((c) => c.body)).toEqual(['c4']);
    expect(page3.headers.link).toContain('rel="prev"');
    expect(page3.headers.link).not.toContain('rel="next"');
  });

  it('updates and reads a single comment', async () => {
    await octokit.rest.issues.create({ owner, repo, title: 'INC-2' });
    const { data: c } = await octokit.rest.issues.createComment({ owner, repo, issue_number: 1, body: '<!-- firebreak:audit -->\nv1' });
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: c.id, body: 'v2' });
    expect((await octokit.rest.issues.getComment({ owner, repo, comment_id: c.id })).data.body).toBe('v2');
    expect((await octokit.rest.issues.get({ owner, repo, issue_number: 1 })).data.comments).toBe(1);
  });

  it('manages labels: create, list, add, remove, set; duplicates and missing labels are refused', async () => {
    await octokit.rest.issues.createLabel({ owner, repo, name: 'sev:1', color: 'b60205', description: 'Critical' });
    await expect(octokit.rest.issues.createLabel({ owner, repo, name: 'SEV:1', color: 'b60205' })).rejects.toMatchObject({ status: 422 });
    await octokit.rest.issues.create({ owner, repo, title: 'INC-3' });
    const added = await octokit.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['sev:1', 'status:open'] });
    expect(added.data.map((l) => l.name)).toEqual(['sev:1', 'status:open']);
    // Applying a label that does not exist creates it, as GitHub does.
    expect((await octokit.rest.issues.listLabelsForRepo({ owner, repo })).data.map((l) => l.name)).toEqual(['sev:1', 'status:open']);
    const removed = await octokit.rest.issues.removeLabel({ owner, repo, issue_number: 1, name: 'status:open' });
    expect(removed.data.map((l) => l.name)).toEqual(['sev:1']);
    await expect(octokit.rest.issues.removeLabel({ owner, repo, issue_number: 1, name: 'status:open' })).rejects.toMatchObject({ status: 404 });
    const set = await octokit.rest.issues.setLabels({ owner, repo, issue_number: 1, labels: ['status:closed'] });
    expect(set.data.map((l) => l.name)).toEqual(['status:closed']);
    expect(gh.state.issues.get(1)?.labels).toEqual(['status:closed']);
  });

  it('creates a branch, a file on it, and a pull request that tests can merge', async () => {
    const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    await octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/postmortem/inc-1', sha: main.object.sha });
    await expect(octokit.rest.git.createRef({ owner, repo, ref: 'refs/heads/postmortem/inc-1', sha: main.object.sha })).rejects.toMatchObject({ status: 422 });
    const content = Buffer.from('# INC-1 postmortem\n').toString('base64');
    const put = await octokit.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: 'docs/postmortems/inc-1.md',
      message: 'postmortem: INC-1',
      content,
      branch: 'postmortem/inc-1',
    });
    expect(put.status).toBe(201);
    // Updating needs the current blob sha; a stale one conflicts.
    await expect(
      octokit.rest.repos.createOrUpdateFileContents({ owner, repo, path: 'docs/postmortems/inc-1.md', message: 'x', content, branch: 'postmortem/inc-1', sha: 'f'.repeat(40) }),
    ).rejects.toMatchObject({ status: 409 });
    const file = await octokit.rest.repos.getContent({ owner, repo, path: 'docs/postmortems/inc-1.md', ref: 'postmortem/inc-1' });
    expect(Array.isArray(file.data)).toBe(false);
    if (Array.isArray(file.data) || file.data.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(file.data.content, 'base64').toString()).toBe('# INC-1 postmortem\n');
    await expect(octokit.rest.repos.getContent({ owner, repo, path: 'docs/postmortems/inc-1.md' })).rejects.toMatchObject({ status: 404 });
    const dir = await octokit.rest.repos.getContent({ owner, repo, path: 'docs', ref: 'postmortem/inc-1' });
    expect(Array.isArray(dir.data) ? dir.data.map((e) => [e.type, e.path]) : dir.data).toEqual([['dir', 'docs/postmortems']]);

    const { data: pr } = await octokit.rest.pulls.create({ owner, repo, title: 'Postmortem INC-1', head: 'postmortem/inc-1', base: 'main' });
    expect(pr).toMatchObject({ state: 'open', merged: false });
    await expect(octokit.rest.pulls.create({ owner, repo, title: 'again', head: 'postmortem/inc-1', base: 'main' })).rejects.toMatchObject({ status: 422 });
    expect((await octokit.rest.pulls.list({ owner, repo, head: `${owner}:postmortem/inc-1` })).data.map((p) => p.number)).toEqual([pr.number]);

    gh.state.mergePull(pr.number);
    const merged = await octokit.rest.pulls.get({ owner, repo, pull_number: pr.number });
    expect(merged.data).toMatchObject({ state: 'closed', merged: true });
    expect((await octokit.rest.pulls.list({ owner, repo, state: 'closed' })).data[0]?.merged_at).toBeTruthy();
    expect(gh.state.file('main', 'docs/postmortems/inc-1.md')).toBe('# INC-1 postmortem\n');
  });

  it('seals repository secrets with the repo public key; the emulator decrypts them', async () => {
    const { data: key } = await octokit.rest.actions.getRepoPublicKey({ owner, repo });
    const encrypted_value = await sealForPublicKey(key.key, 's3cr3t-value');
    const first = await octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'DB_PASSWORD', encrypted_value, key_id: key.key_id });
    expect(first.status).toBe(201);
    const again = await octokit.rest.actions.createOrUpdateRepoSecret({
      owner,
      repo,
      secret_name: 'DB_PASSWORD',
      encrypted_value: await sealForPublicKey(key.key, 'rotated'),
      key_id: key.key_id,
    });
    expect(again.status).toBe(204);
    expect(gh.state.secretValue('DB_PASSWORD')).toBe('rotated');
    const got = await octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: 'DB_PASSWORD' });
    expect(got.data).not.toHaveProperty('value');
    expect(JSON.stringify(got.data)).not.toContain('rotated');
    expect((await octokit.rest.actions.listRepoSecrets({ owner, repo })).data.secrets.map((s) => s.name)).toEqual(['DB_PASSWORD']);
    await octokit.rest.actions.deleteRepoSecret({ owner, repo, secret_name: 'DB_PASSWORD' });
    await expect(octokit.rest.actions.getRepoSecret({ owner, repo, secret_name: 'DB_PASSWORD' })).rejects.toMatchObject({ status: 404 });
  });

  it('refuses secrets sealed for another key, a wrong key_id, bad names, and GITHUB_ prefixes; nothing is stored', async () => {
    const { data: key } = await octokit.rest.actions.getRepoPublicKey({ owner, repo });
    const { data: envKey } = await octokit.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: 'production' });
    const sealedForEnv = await sealForPublicKey(envKey.key, 'x');
    const sealed = await sealForPublicKey(key.key, 'x');
    await expect(octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'A', encrypted_value: sealedForEnv, key_id: key.key_id })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'A', encrypted_value: sealed, key_id: '1' })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'BAD-NAME', encrypted_value: sealed, key_id: key.key_id })).rejects.toMatchObject({ status: 422 });
    await expect(octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'GITHUB_X', encrypted_value: sealed, key_id: key.key_id })).rejects.toMatchObject({ status: 422 });
    const big = await sealForPublicKey(key.key, 'x'.repeat(48 * 1024 + 1));
    await expect(octokit.rest.actions.createOrUpdateRepoSecret({ owner, repo, secret_name: 'BIG', encrypted_value: big, key_id: key.key_id })).rejects.toMatchObject({ status: 422 });
    expect(gh.state.repoSecrets.size).toBe(0);
  });

  it('seals environment secrets with the environment key and manages environments', async () => {
    await octokit.rest.repos.createOrUpdateEnvironment({ owner, repo, environment_name: 'break-glass', wait_timer: 0, reviewers: [{ type: 'User', id: 42 }], prevent_self_review: true });
    const env = await octokit.rest.repos.getEnvironment({ owner, repo, environment_name: 'break-glass' });
    expect(env.data.protection_rules?.map((r) => r.type)).toEqual(['required_reviewers']);
    const { data: key } = await octokit.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: 'break-glass' });
    const { data: repoKey } = await octokit.rest.actions.getRepoPublicKey({ owner, repo });
    expect(key.key).not.toBe(repoKey.key);
    await octokit.rest.actions.createOrUpdateEnvironmentSecret({
      owner,
      repo,
      environment_name: 'break-glass',
      secret_name: 'CF_TOKEN',
      encrypted_value: await sealForPublicKey(key.key, 'cf-123'),
      key_id: key.key_id,
    });
    expect(gh.state.secretValue('CF_TOKEN', 'break-glass')).toBe('cf-123');
    expect(gh.state.secretValue('CF_TOKEN')).toBeUndefined();
    await expect(octokit.rest.repos.getEnvironment({ owner, repo, environment_name: 'nope' })).rejects.toMatchObject({ status: 404 });
  });

  it('round-trips repository and environment variables', async () => {
    await octokit.rest.actions.createRepoVariable({ owner, repo, name: 'FIREBREAK_IP_SET_ID', value: 'abc' });
    await expect(octokit.rest.actions.createRepoVariable({ owner, repo, name: 'FIREBREAK_IP_SET_ID', value: 'dup' })).rejects.toMatchObject({ status: 409 });
    await octokit.rest.actions.updateRepoVariable({ owner, repo, name: 'FIREBREAK_IP_SET_ID', value: 'def' });
    expect((await octokit.rest.actions.getRepoVariable({ owner, repo, name: 'FIREBREAK_IP_SET_ID' })).data.value).toBe('def');
    expect((await octokit.rest.actions.listRepoVariables({ owner, repo })).data).toMatchObject({ total_count: 1 });
    await expect(octokit.rest.actions.updateRepoVariable({ owner, repo, name: 'MISSING', value: 'x' })).rejects.toMatchObject({ status: 404 });

    await octokit.rest.actions.createEnvironmentVariable({ owner, repo, environment_name: 'production', name: 'ZONE_ID', value: 'z1' });
    await octokit.rest.actions.updateEnvironmentVariable({ owner, repo, environment_name: 'production', name: 'ZONE_ID', value: 'z2' });
    expect((await octokit.rest.actions.getEnvironmentVariable({ owner, repo, environment_name: 'production', name: 'ZONE_ID' })).data.value).toBe('z2');
    const listed = await octokit.rest.actions.listEnvironmentVariables({ owner, repo, environment_name: 'production' });
    expect(listed.data.variables.map((v) => v.name)).toEqual(['ZONE_ID']);
    expect(gh.state.environments.get('production')?.variables.get('ZONE_ID')?.value).toBe('z2');
  });

  it('lists, disables, enables and dispatches workflows', async () => {
    const { data } = await octokit.rest.actions.listRepoWorkflows({ owner, repo });
    expect(data.workflows.map((w) => w.path)).toEqual(WORKFLOWS.map((w) => w.path));
    const deploy = data.workflows[1]!;
    await octokit.rest.actions.disableWorkflow({ owner, repo, workflow_id: deploy.id });
    expect(gh.state.workflows.get(deploy.id)?.state).toBe('disabled_manually');
    await expect(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'deploy.yml', ref: 'main' })).rejects.toMatchObject({ status: 422 });
    await octokit.rest.actions.enableWorkflow({ owner, repo, workflow_id: 'deploy.yml' });
    await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'block-ips.yml', ref: 'main', inputs: { addresses: '203.0.113.7' } });
    expect(gh.state.dispatches).toMatchObject([{ workflowId: data.workflows[0]!.id, ref: 'main', inputs: { addresses: '203.0.113.7' } }]);
    await expect(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'block-ips.yml', ref: 'nope' })).rejects.toMatchObject({ status: 422 });
    const withRun = await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: deploy.id, ref: 'main', return_run_details: true });
    expect(withRun.status).toBe(200);
    expect(gh.state.dispatches.at(-1)).toMatchObject({ workflowId: deploy.id, runId: (withRun.data as { workflow_run_id: number }).workflow_run_id });
    await expect(octokit.rest.actions.disableWorkflow({ owner, repo, workflow_id: 'missing.yml' })).rejects.toMatchObject({ status: 404 });
  });

  it('records deployments and their statuses', async () => {
    const { data: d1 } = await octokit.rest.repos.createDeployment({ owner, repo, ref: 'main', environment: 'production', auto_merge: false, required_contexts: [] });
    if (!('id' in d1)) throw new Error('expected a deployment');
    await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: d1.id, state: 'success' });
    const { data: d2 } = await octokit.rest.repos.createDeployment({ owner, repo, ref: 'main', environment: 'production', task: 'rollback', required_contexts: [] });
    if (!('id' in d2)) throw new Error('expected a deployment');
    await octokit.rest.repos.createDeploymentStatus({ owner, repo, deployment_id: d2.id, state: 'success', description: 'rolled back' });
    const listed = await octokit.rest.repos.listDeployments({ owner, repo, environment: 'production' });
    expect(listed.data.map((d) => d.id)).toEqual([d2.id, d1.id]);
    const rollbacks = await octokit.rest.repos.listDeployments({ owner, repo, task: 'rollback' });
    expect(rollbacks.data.map((d) => d.id)).toEqual([d2.id]);
    const statuses = await octokit.rest.repos.listDeploymentStatuses({ owner, repo, deployment_id: d1.id });
    expect(statuses.data.map((s) => s.state)).toEqual(['inactive', 'success']);
    await expect(octokit.rest.repos.createDeployment({ owner, repo, ref: 'no-such-branch' })).rejects.toMatchObject({ status: 422 });
  });
});

describe('GitHub emulator spec enforcement, auth and faults', () => {
  let gh: GitHubEmulator;
  let octokit: Octokit;

  beforeAll(async () => {
    gh = await startGitHubEmulator();
    // Long enough that a slow loopback answer on a loaded 2-core box is never mistaken for a hang.
    octokit = githubClient(gh.env(), { timeoutMs: 2_000 });
  });
  afterAll(async () => {
    await gh?.stop();
  });
  beforeEach(() => {
    gh.reset();
  });

  it('rejects a secret PUT without encrypted_value with 422 and records the violation', async () => {
    const { data: key } = await octokit.rest.actions.getRepoPublicKey({ owner: gh.owner, repo: gh.repo });
    // A plain string route: octokit's types would (rightly) refuse the missing field at compile time.
    const route: string = 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}';
    const call = octokit.request(route, { owner: gh.owner, repo: gh.repo, secret_name: 'X', key_id: key.key_id });
    await expect(call).rejects.toMatchObject({ status: 422 });
    const violations = gh.takeViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ kind: 'request', operationId: 'actions/create-or-update-repo-secret', status: 422 });
    expect(violations[0]?.errors.join()).toContain('encrypted_value');
    expect(gh.state.repoSecrets.size).toBe(0);
  });

  it('rejects bad query parameters against the spec', async () => {
    const route: string = 'GET /repos/{owner}/{repo}/issues';
    await expect(octokit.request(route, { owner: gh.owner, repo: gh.repo, state: 'bogus' })).rejects.toMatchObject({ status: 422 });
    expect(gh.takeViolations()[0]?.errors.join()).toContain('state');
  });

  it('rejects an endpoint outside the spec subset with 404 and records it', async () => {
    const call = octokit.request('GET /repos/{owner}/{repo}/branches', { owner: gh.owner, repo: gh.repo });
    await expect(call).rejects.toMatchObject({ status: 404, message: expect.stringContaining('emulator: no such endpoint in the spec subset') });
    expect(gh.takeViolations()).toMatchObject([{ kind: 'unknown-endpoint', method: 'GET', path: `/repos/${gh.owner}/${gh.repo}/branches` }]);
    expect(() => gh.assertNoViolations()).not.toThrow();
  });

  it('assertNoViolations throws while violations are pending', async () => {
    await expect(octokit.request('DELETE /repos/{owner}/{repo}', { owner: gh.owner, repo: gh.repo })).rejects.toMatchObject({ status: 404 });
    expect(() => gh.assertNoViolations()).toThrow(/unknown-endpoint/);
    gh.takeViolations();
  });

  it('requires the emulator token', async () => {
    const wrong = githubClient({ ...gh.env(), FIREBREAK_GITHUB_TOKEN: 'nope' });
    await expect(wrong.rest.repos.get({ owner: gh.owner, repo: gh.repo })).rejects.toMatchObject({ status: 401 });
    const anonymous = new Octokit({ baseUrl: gh.baseUrl });
    await expect(anonymous.rest.repos.get({ owner: gh.owner, repo: gh.repo })).rejects.toMatchObject({ status: 401 });
    gh.assertNoViolations();
  });

  it('answers 404 for another repository', async () => {
    await expect(octokit.rest.repos.get({ owner: 'someone', repo: 'else' })).rejects.toMatchObject({ status: 404 });
    gh.assertNoViolations();
  });

  it('delivers injected 429, 5xx and timeouts to octokit, then recovers', async () => {
    const issues = /\/issues$/;
    gh.faults.add({ method: 'POST', path: issues, status: 429, headers: { 'retry-after': '1', 'x-ratelimit-remaining': '0' }, body: { message: 'API rate limit exceeded' } });
    gh.faults.add({ method: 'POST', path: issues, status: 502, body: { message: 'Server Error' } });
    gh.faults.add({ method: 'POST', path: issues, timeout: true });
    const create = () => octokit.rest.issues.create({ owner: gh.owner, repo: gh.repo, title: 'INC' });
    await expect(create()).rejects.toMatchObject({ status: 429 });
    await expect(create()).rejects.toMatchObject({ status: 502 });
    await expect(create()).rejects.toThrow();
    expect(gh.faults.pending()).toEqual([]);
    expect(gh.state.issues.size).toBe(0);
    await expect(create()).resolves.toMatchObject({ status: 201 });
    expect(gh.requests.filter((r) => r.faulted).map((r) => r.status)).toEqual([429, 502, expect.any(Number)]);
    expect(gh.requests.at(-1)).toMatchObject({ operationId: 'issues/create', status: 201, faulted: false });
    gh.assertNoViolations();
  });
});

describe('GitHub emulator drift detection', () => {
  it('answers 500 when its own response breaks the spec, and stop() rejects', async () => {
    const gh = await startGitHubEmulator();
    const octokit = githubClient(gh.env());
    await octokit.rest.issues.create({ owner: gh.owner, repo: gh.repo, title: 'INC' });
    // Corrupt the model the way a buggy handler would: `title` must be a string in the spec.
    const issue = gh.state.issues.get(1);
    if (!issue) throw new Error('issue missing');
    (issue as { title: unknown }).title = 42;
    await expect(octokit.rest.issues.get({ owner: gh.owner, repo: gh.repo, issue_number: 1 })).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining('breaks the spec'),
    });
    expect(gh.violations).toMatchObject([{ kind: 'response', operationId: 'issues/get', status: 200 }]);
    await expect(gh.stop()).rejects.toBeInstanceOf(EmulatorDriftError);
  });
});
