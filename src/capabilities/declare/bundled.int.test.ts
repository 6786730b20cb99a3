import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../core/errors.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { GitHubIncidentLedger } from '../../providers/github/incident-ledger.js';
import { githubClient } from '../../runtime/github-client.js';
import { runBundledAction } from '../../../test/helpers/run-action.js';

/**
 * The committed incident bundles run as the runner runs them (node, INPUT_*, GITHUB_OUTPUT) against
 * the GitHub emulator: the action shell's issue mirror puts each record on the incident issue, where
 * the next action derives the state from.
 */
let gh: GitHubEmulator;
let ledger: GitHubIncidentLedger;

beforeAll(async () => {
  gh = await startGitHubEmulator();
  ledger = new GitHubIncidentLedger(githubClient(gh.env()), { owner: gh.owner, repo: gh.repo, sleep: async () => {} });
});
afterAll(async () => {
  gh?.assertNoViolations();
  await gh?.stop();
});

const env = () => ({ ...gh.env(), GITHUB_ACTOR: 'octo-ic', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '99' });

describe('bundled incident actions', () => {
  it('declare → refused external update → update → quiet tick → close refused by the gate', async () => {
    const declared = await runBundledAction({ slug: 'declare', inputs: { title: 'Bundled token leak', slug: 'bundled', severity: 'SEV1', facts: 'data_categories: [personal]\neu_subjects: true\n', apply: 'true' }, env: env() });
    expect(declared.stderr).not.toMatch(/TypeError|ReferenceError/);
    expect(declared.exitCode).toBe(0);
    expect(declared.outputs.status).toBe('applied');
    const list = await githubClient(gh.env()).rest.issues.listForRepo({ owner: gh.owner, repo: gh.repo, labels: 'incident' });
    const id = /^\[(INC-[^\]]+)\]/.exec(list.data[0]!.title)![1]!;
    expect(id).toMatch(/^INC-\d{4}-\d{2}-\d{2}-bundled$/);
    const issue = (await ledger.findIncident(id))!;
    expect((await ledger.readRecords(issue.number)).map((r) => [r.step, r.status])).toEqual([['declare', 'applied']]);

    const leak = await runBundledAction({ slug: 'post-update', inputs: { 'incident-id': id, audience: 'external', text: 'db restarted on 10.0.0.5', apply: 'true' }, env: env(), workspace: declared.workspace });
    expect(leak.exitCode).toBe(EXIT_CODES.guard);
    expect(leak.outputs.status).toBe('refused');

    const ok = await runBundledAction({ slug: 'post-update', inputs: { 'incident-id': id, status: 'mitigating', text: 'token revoked', apply: 'true' }, env: env(), workspace: declared.workspace });
    expect(ok.exitCode).toBe(0);

    const tick = await runBundledAction({ slug: 'incident-tick', inputs: { 'incident-id': id, apply: 'true' }, env: env(), workspace: declared.workspace });
    expect(tick.exitCode).toBe(0);
    expect(tick.outputs.status).toBe('noop');

    const close = await runBundledAction({ slug: 'close-incident', inputs: { 'incident-id': id, apply: 'true' }, env: env(), workspace: declared.workspace });
    expect(close.exitCode).toBe(EXIT_CODES.guard);
    expect(close.stdout + close.stderr).toMatch(/CLOSE_GATE/);
    expect((await ledger.findIncident(id))!.state).toBe('open');
    // The quiet tick stayed in the chain file; the issue holds declare, the refusal, the update and the refused close.
    expect((await ledger.readRecords(issue.number)).map((r) => `${r.step}:${r.status}`)).toEqual(['declare:applied', 'post-update:refused', 'post-update:applied', 'close-incident:refused']);
  });
});
