import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { githubClient } from '../../../runtime/github-client.js';
import { scanningState, seedCodeScanningAlert, seedSecretScanningAlert } from './handlers-scanning.js';
import { startGitHubEmulator, type GitHubEmulator } from './server.js';

/**
 * The emulator's scanning alert lists through @octokit/rest, every response checked against the
 * OpenAPI subset (including the dismissed, fixed and resolved shapes the poller never asks for).
 */
let gh: GitHubEmulator;
beforeEach(async () => {
  gh = await startGitHubEmulator();
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
});

describe('GitHub emulator: scanning alerts', () => {
  it('lists code-scanning alerts in every state, filters by state, sorts and pages like GitHub', async () => {
    const rule = { id: 'js/xss', description: 'Cross-site scripting', security_severity_level: 'high' as const };
    for (const state of ['open', 'dismissed', 'fixed', 'open'] as const) seedCodeScanningAlert(gh.state, { rule, state });
    const octokit = githubClient(gh.env());
    const all = await octokit.rest.codeScanning.listAlertsForRepo({ owner: gh.owner, repo: gh.repo });
    expect(all.data.map((a) => [a.number, a.state])).toEqual([[4, 'open'], [3, 'fixed'], [2, 'dismissed'], [1, 'open']]);
    expect(all.data.find((a) => a.state === 'dismissed')).toMatchObject({ dismissed_reason: 'false positive', dismissed_by: { login: 'security-lead' } });
    const open = await octokit.rest.codeScanning.listAlertsForRepo({ owner: gh.owner, repo: gh.repo, state: 'open', sort: 'number', direction: 'asc' });
    expect(open.data.map((a) => a.number)).toEqual([1, 4]);
    const paged = await octokit.paginate(octokit.rest.codeScanning.listAlertsForRepo, { owner: gh.owner, repo: gh.repo, per_page: 1 });
    expect(paged.map((a) => a.number)).toEqual([4, 3, 2, 1]);
  });

  it('answers the secret value unless hide_secret=true (and always, when told to play a server that ignores it)', async () => {
    seedSecretScanningAlert(gh.state, { secretType: 'npm_access_token', secret: 'npm_exampleexampleexampleexample0001' });
    seedSecretScanningAlert(gh.state, { secretType: 'npm_access_token', secret: 'npm_exampleexampleexampleexample0002', state: 'resolved', resolution: 'revoked' });
    const octokit = githubClient(gh.env());
    const plain = await octokit.rest.secretScanning.listAlertsForRepo({ owner: gh.owner, repo: gh.repo });
    expect(plain.data.map((a) => [a.number, a.state, a.secret])).toEqual([[2, 'resolved', 'npm_exampleexampleexampleexample0002'], [1, 'open', 'npm_exampleexampleexampleexample0001']]);
    const hidden = await octokit.rest.secretScanning.listAlertsForRepo({ owner: gh.owner, repo: gh.repo, state: 'open', hide_secret: true });
    expect(hidden.data).toHaveLength(1);
    expect(hidden.data[0]).not.toHaveProperty('secret');
    scanningState(gh.state).ignoreHideSecret = true;
    const ignored = await octokit.rest.secretScanning.listAlertsForRepo({ owner: gh.owner, repo: gh.repo, state: 'open', hide_secret: true });
    expect(ignored.data[0]!.secret).toBe('npm_exampleexampleexampleexample0001');
  });

  it('refuses a state outside the spec (422), like any request that breaks it', async () => {
    const octokit = githubClient(gh.env());
    await expect(octokit.request('GET /repos/{owner}/{repo}/code-scanning/alerts', { owner: gh.owner, repo: gh.repo, state: 'closed' as never })).rejects.toMatchObject({ status: 422 });
    expect(gh.takeViolations().map((v) => v.kind)).toEqual(['request']);
  });
});
