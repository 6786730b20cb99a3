import { githubClient } from '../../runtime/github-client.js';
import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { incidentIssue, keyedComments, recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';

/**
 * close-incident. prepare: the fix pull request the runbook names (`fix-pr: "#4711"`) exists and is
 * merged, as the team's own deploy would have left it: a branch with a change, a pull request, a
 * merge; the written number is aliased to the one the emulator gave. verify: the issue is closed,
 * labelled status:closed, with the closing comment; a refusal the runbook expects left it open.
 */
/** The fix pull requests this fixture made, per drill, by the number the emulator gave (`#5`). */
const made = new WeakMap<RunbookWorld, Set<string>>();

export const closeIncidentFixture: RunbookFixture = {
  async prepare(world, input) {
    const written = input['fix-pr'] ?? input.fix_pr;
    if (typeof written !== 'string' || written.trim() === '') return;
    // A second close (after one the gate refused) arrives with the number already rewritten to ours.
    if (made.get(world)?.has(written)) return;
    await world.once(`github:fix-pr:${written}`, async () => {
      const gh = await world.github();
      const octokit = githubClient(gh.env());
      const { owner, repo } = gh;
      const branch = `fix/drill-${written.replace(/[^0-9A-Za-z]/g, '')}`;
      const { data: main } = await octokit.rest.git.getRef({ owner, repo, ref: 'heads/main' });
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: main.object.sha });
      await octokit.rest.repos.createOrUpdateFileContents({ owner, repo, branch, path: 'FIX.md', message: 'fix: close the incident vector', content: Buffer.from('The durable fix.\n').toString('base64') });
      const { data: pr } = await octokit.rest.pulls.create({ owner, repo, title: 'Fix: close the incident vector', head: branch, base: 'main' });
      gh.state.mergePull(pr.number);
      if (!made.has(world)) made.set(world, new Set());
      made.get(world)!.add(`#${pr.number}`);
      world.alias(written, `#${pr.number}`);
    });
  },
  async verify(world, outcome) {
    const out: Expectation[] = [];
    const issue = await incidentIssue(world);
    const closing = outcome.code === undefined;
    const state = issue?.state ?? 'missing';
    out.push(check(closing ? 'the incident issue is closed' : `the refused close (${outcome.code}) left the incident issue open`, closing ? state === 'closed' : state === 'open', `issue is ${state}`));
    const closedLabel = issue?.labels.includes('status:closed') ?? false;
    out.push(check(closing ? 'the issue is labelled status:closed' : 'the issue is not labelled status:closed', closedLabel === closing, issue?.labels.join(', ') ?? 'no issue'));
    const comments = await keyedComments(world, `close:${world.incidentId ?? ''}`);
    out.push(check(closing ? 'the closing comment is on the issue once' : 'no closing comment was posted', comments.length === (closing ? 1 : 0), `${comments.length} closing comment(s)`));
    out.push(await recordedOnIssue(world, 'close-incident', outcome.status));
    return out;
  },
};
