import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webhookPayload } from '../../drill/emulators/github/events.js';
import { commentAs, issueOpsState } from '../../drill/emulators/github/issueops-state.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { githubClient } from '../../runtime/github-client.js';

/**
 * `firebreak issueops plan` as issueops.yml runs it: a separate node process whose only view of the
 * comment is the event file the runner writes (GITHUB_EVENT_PATH), read by @actions/github's
 * context; the lane goes to GITHUB_OUTPUT for the apply jobs' `if:`.
 */
const BIN = fileURLToPath(new URL('../../../bin/firebreak.js', import.meta.url));

let gh: GitHubEmulator;
let dir: string;
beforeEach(async () => {
  gh = await startGitHubEmulator();
  dir = await mkdtemp(join(tmpdir(), 'firebreak-issueops-cli-'));
  await writeFile(join(dir, 'firebreak.yml'), 'version: 1\n');
  issueOpsState(gh.state).collaborators.set('ic-alice', 'write');
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
});

async function plan(body: string): Promise<{ code: number; output: string; commentId: number; issue: number }> {
  const octokit = githubClient(gh.env());
  const created = await octokit.rest.issues.create({ owner: gh.owner, repo: gh.repo, title: '[INC-2026-12-02-cli] test incident', labels: ['incident'] });
  const c = commentAs(gh.state, created.data.number, 'ic-alice', body);
  const user = { login: 'ic-alice', id: 77, type: 'User' };
  const event = webhookPayload('issue_comment$created', {
    action: 'created',
    issue: { number: created.data.number, title: created.data.title, state: 'open', locked: false, assignee: null, labels: [{ id: 1, name: 'incident', color: 'ededed', default: false }], user },
    comment: { id: c.id, body, user },
    sender: user,
  });
  const eventFile = join(dir, 'event.json');
  const outputFile = join(dir, 'output.txt');
  await writeFile(eventFile, JSON.stringify(event));
  await writeFile(outputFile, '');
  const code = await new Promise<number>((resolve) => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, FIREBREAK_DEV: '1', ...gh.env(), GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: eventFile, GITHUB_OUTPUT: outputFile };
    execFile(process.execPath, [BIN, 'issueops', 'plan'], { cwd: dir, env }, (error) => resolve(error ? Number((error as { code?: number }).code ?? 1) : 0));
  });
  return { code, output: await readFile(outputFile, 'utf8'), commentId: c.id, issue: created.data.number };
}

describe('firebreak issueops plan (a separate process reading the event file)', () => {
  it('answers a bookkeeping command with the incident lane and a production one with the protected lane; shell syntax stays text', async () => {
    const ack = await plan('/firebreak ack');
    expect(ack.code).toBe(0);
    expect(ack.output).toBe('lane=incident\nenvironment=\n');
    expect(issueOpsState(gh.state).reactions.get(ack.commentId)!.map((r) => r.content)).toEqual(['eyes']);

    const marker = join(dir, 'pwned');
    const block = await plan(`/firebreak block-ips 203.0.113.7 --reason "$(touch ${marker})" --ttl 4h`);
    expect(block.code).toBe(0);
    expect(block.output).toBe('lane=production\nenvironment=production\n');
    const replies = [...gh.state.comments.values()].filter((c) => c.issueNumber === block.issue && c.user === gh.state.actor).map((c) => c.body);
    expect(replies).toEqual([expect.stringMatching(/^⏳ .*the dry run of block-ips waits for a reviewer of the protected environment \*\*production\*\*/)]);
    expect(existsSync(marker)).toBe(false);
  }, 120_000);

  it('the apply environment is one of issueops.environments, named by --environment or the first; anything else is refused and no apply job runs', async () => {
    await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nissueops:\n  environments: [prod-eu, prod-us]\n');
    expect((await plan('/firebreak block-ips 203.0.113.7 --reason r --ttl 4h')).output).toBe('lane=production\nenvironment=prod-eu\n');
    const us = await plan('/firebreak block-ips 203.0.113.7 --reason r --ttl 4h --environment prod-us --apply');
    expect(us.output).toBe('lane=production\nenvironment=prod-us\n');
    expect([...gh.state.comments.values()].filter((c) => c.issueNumber === us.issue && c.user === gh.state.actor).map((c) => c.body)).toEqual([expect.stringMatching(/the \*\*apply\*\* of block-ips waits for a reviewer of the protected environment \*\*prod-us\*\*/)]);
    for (const hostile of ['production', "'x' }}${{ secrets.TOKEN", 'prod-eu lane=incident', 'firebreak-incident']) {
      const refused = await plan(`/firebreak block-ips 203.0.113.7 --reason r --environment "${hostile}"`);
      expect(refused.output, hostile).toBe('lane=\nenvironment=\n');
      const reply = [...gh.state.comments.values()].filter((c) => c.issueNumber === refused.issue && c.user === gh.state.actor).at(-1)!.body;
      expect(reply, hostile).toMatch(/^❌ [\s\S]*ISSUEOPS_ENVIRONMENT: --environment .* is not a protected environment for comments; use one of prod-eu, prod-us/);
    }
    // Bookkeeping never takes an environment: it runs in the incident environment.
    expect((await plan('/firebreak ack --environment prod-eu')).output).toBe('lane=\nenvironment=\n');
  }, 120_000);
});
