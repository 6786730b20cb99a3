import type { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../core/audit.js';
import { manualClock } from '../../core/runtime.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { githubClient } from '../../runtime/github-client.js';
import { GitHubIncidentLedger } from './incident-ledger.js';

/**
 * The issue's audit chain under concurrent writers. No timing: a barrier holds every writer's
 * first comment post until all of them have read the same head, so each run is a real collision.
 */

let gh: GitHubEmulator;
let octokit: Octokit;
let issue: number;
const noSleep = async () => {};

beforeEach(async () => {
  const clock = manualClock('2026-11-22T09:00:00Z');
  gh = await startGitHubEmulator({ now: () => clock.now() });
  octokit = githubClient(gh.env());
  issue = (await octokit.rest.issues.create({ owner: gh.owner, repo: gh.repo, title: '[INC-2026-11-22-race] race', labels: ['incident'] })).data.number;
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.stop();
});

const record = (actor: string): AuditRecord => ({
  v: 1, time: '2026-11-22T09:00:00.000Z', incidentId: 'INC-2026-11-22-race', actor, runUrl: null, step: 'post-update', status: 'applied', dryRun: false, input: { text: actor }, plan: null, result: null, error: null,
});

/** A ledger whose first audit-comment post waits at `barrier` (the other writers' posts go on). */
function heldLedger(barrier: { arrive: () => Promise<void> }): GitHubIncidentLedger {
  const client = githubClient(gh.env());
  let held = false;
  client.hook.before('request', async (options) => {
    if (!held && options.method === 'POST' && String(options.url).endsWith('/issues/{issue_number}/comments') && String(options.body ?? '').includes('firebreak:audit')) {
      held = true;
      await barrier.arrive();
    }
  });
  return new GitHubIncidentLedger(client, { owner: gh.owner, repo: gh.repo, sleep: noSleep });
}

function barrierOf(n: number): { arrive: () => Promise<void> } {
  let waiting = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return {
    arrive: () => {
      waiting++;
      if (waiting === n) release();
      return all;
    },
  };
}

async function auditComments(): Promise<Array<{ id: number; body: string }>> {
  const list = await octokit.paginate(octokit.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: issue, per_page: 100 });
  return list.map((c) => ({ id: c.id, body: c.body ?? '' })).filter((c) => c.body.includes('firebreak:audit'));
}

describe('concurrent audit appends on the incident issue', () => {
  it('five writers that read the same head all land: every record is in the chain, once, seq 1..5', async () => {
    const barrier = barrierOf(5);
    const writers = ['a', 'b', 'c', 'd', 'e'];
    const entries = await Promise.all(writers.map((w) => heldLedger(barrier).appendRecord(issue, record(w))));
    expect(entries.map((e) => e.seq).sort()).toEqual([1, 2, 3, 4, 5]);
    const reader = new GitHubIncidentLedger(octokit, { owner: gh.owner, repo: gh.repo, sleep: noSleep });
    const read = await reader.readEntries(issue);
    expect(read.forks).toEqual([]);
    expect(read.entries.map((e) => e.record.actor).sort()).toEqual(writers);
    expect((await reader.readRecords(issue)).map((r) => r.actor).sort()).toEqual(writers);
    // Four lost the first round: their first comments are stubs now, not live claims.
    expect(await auditComments()).toHaveLength(5);
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: gh.owner, repo: gh.repo, issue_number: issue, per_page: 100 });
    expect(all.filter((c) => (c.body ?? '').startsWith('<!-- firebreak:superseded -->')).length).toBeGreaterThanOrEqual(4);
  });

  it('a fork left by a writer that stopped before standing down is reported, not silently resolved', async () => {
    const ledger = new GitHubIncidentLedger(octokit, { owner: gh.owner, repo: gh.repo, sleep: noSleep });
    await ledger.appendRecord(issue, record('first'));
    const second = await ledger.appendRecord(issue, record('second'));
    // The lost writer: the same seq as `second`, its own record, never superseded.
    const [, kept] = await auditComments();
    const rivalBody = kept!.body.replace('"actor":"second"', '"actor":"lost"');
    const rival = await octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: issue, body: rivalBody });
    const read = await ledger.readEntries(issue);
    expect(read.forks).toEqual([{ seq: second.seq, kept: kept!.id, others: [rival.data.id] }]);
    await expect(ledger.readRecords(issue)).rejects.toMatchObject({
      code: 'AUDIT_FORK',
      message: expect.stringContaining(`record 2: comment ${kept!.id} is chained, comment(s) ${rival.data.id} claim the same seq`),
    });
  });

  it('a retried post that landed twice is stood down by its own writer, not chained twice', async () => {
    const client = githubClient(gh.env());
    let copied = false;
    // The first attempt's post was applied but its answer was lost; the retry posts the same body again.
    client.hook.before('request', async (options) => {
      const text = String(options.body ?? '');
      if (!copied && options.method === 'POST' && text.includes('firebreak:audit')) {
        copied = true;
        await octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: issue, body: text });
      }
    });
    const ledger = new GitHubIncidentLedger(client, { owner: gh.owner, repo: gh.repo, sleep: noSleep });
    await ledger.appendRecord(issue, record('once'));
    expect(copied).toBe(true);
    expect((await ledger.readEntries(issue)).forks).toEqual([]);
    expect((await ledger.readRecords(issue)).map((r) => r.actor)).toEqual(['once']);
    expect(await auditComments()).toHaveLength(1);
  });
});
