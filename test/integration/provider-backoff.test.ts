import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RetryLaterError } from '../../src/core/errors.js';
import { manualClock } from '../../src/core/runtime.js';
import { startCloudflareEmulator, type CloudflareEmulator } from '../../src/drill/emulators/cloudflare/server.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../src/drill/emulators/github/server.js';
import { CloudflareAccountIpList } from '../../src/providers/cloudflare/ip-list.js';
import { GitHubIncidentLedger } from '../../src/providers/github/incident-ledger.js';
import { githubClient } from '../../src/runtime/github-client.js';
import { cloudflareClient } from '../../src/runtime/cloudflare-client.js';

/**
 * Providers' own back-off signals, through the real SDKs against the emulators' fault injection.
 * Waits are observed through the injected sleep (which moves a manual clock): no real time passes.
 */

function recordingSleep(clock: ReturnType<typeof manualClock>) {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => { waits.push(ms); await clock.sleep(ms); } };
}

describe('Cloudflare 429 with Retry-After', () => {
  let cf: CloudflareEmulator;
  let listId: string;
  beforeAll(async () => {
    cf = await startCloudflareEmulator();
  });
  afterAll(async () => {
    await cf?.stop();
  });
  beforeEach(async () => {
    cf.reset();
    const client = cloudflareClient(cf.env());
    listId = (await client.rules.lists.create({ account_id: cf.accountId, name: 'firebreak_blocked', kind: 'ip' })).id;
  });
  const itemsPath = () => `/client/v4/accounts/${cf.accountId}/rules/lists/${listId}/items`;
  const list = (clock: ReturnType<typeof manualClock>, sleep: (ms: number) => Promise<void>, retryBudgetMs?: number) =>
    new CloudflareAccountIpList({ client: cloudflareClient(cf.env()), accountId: cf.accountId, listId, sleep, clock, random: () => 0, ...(retryBudgetMs === undefined ? {} : { retryBudgetMs }) });
  const rateLimited = (retryAfter: string) => ({ method: 'GET', path: itemsPath(), status: 429, headers: { 'retry-after': retryAfter }, body: { success: false, errors: [{ code: 10000, message: 'Rate limited. Please wait and try again later.' }], messages: [], result: null } });

  it('waits the seconds Cloudflare asks for, then succeeds', async () => {
    const clock = manualClock('2026-12-02T10:00:00Z');
    const { waits, sleep } = recordingSleep(clock);
    cf.faults.add(rateLimited('17'));
    expect(await list(clock, sleep).items()).toEqual([]);
    expect(cf.faults.pending()).toEqual([]);
    expect(waits).toEqual([17_000]);
  });

  it('reads an HTTP-date Retry-After against the injected clock', async () => {
    const clock = manualClock('2026-12-02T10:00:00Z');
    const { waits, sleep } = recordingSleep(clock);
    cf.faults.add(rateLimited('Wed, 02 Dec 2026 10:00:45 GMT'));
    await list(clock, sleep).items();
    expect(waits).toEqual([45_000]);
  });

  it('a wait beyond the budget fails fast with RETRY_LATER saying when, and asks no more', async () => {
    const clock = manualClock('2026-12-02T10:00:00Z');
    const { waits, sleep } = recordingSleep(clock);
    cf.faults.add(rateLimited('3600'));
    const before = cf.requests.length;
    const err = await list(clock, sleep, 60_000).items().then(() => expect.unreachable(), (e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect(err).toMatchObject({ code: 'RETRY_LATER', provider: 'cloudflare', retryAt: '2026-12-02T11:00:00.000Z', status: 429 });
    expect(waits).toEqual([]);
    expect(cf.requests.length - before).toBe(1);
  });
});

describe('GitHub rate limits (primary and secondary)', () => {
  let gh: GitHubEmulator;
  let issue: number;
  const clock = manualClock('2026-12-02T10:00:00Z');
  beforeAll(async () => {
    gh = await startGitHubEmulator({ now: () => clock.now() });
  });
  afterAll(async () => {
    await gh?.stop();
  });
  beforeEach(async () => {
    gh.faults.clear();
    clock.set('2026-12-02T10:00:00Z');
    issue = (await githubClient(gh.env()).rest.issues.create({ owner: gh.owner, repo: gh.repo, title: '[INC-2026-12-02-x] x', labels: ['incident'] })).data.number;
  });
  const ledger = (sleep: (ms: number) => Promise<void>, retryBudgetMs?: number) =>
    new GitHubIncidentLedger(githubClient(gh.env()), { owner: gh.owner, repo: gh.repo, sleep, clock, ...(retryBudgetMs === undefined ? {} : { retryBudgetMs }) });
  const commentsPath = () => `/repos/${gh.owner}/${gh.repo}/issues/${issue}/comments`;

  it('a secondary limit (403 + retry-after) is retried after the seconds given', async () => {
    const { waits, sleep } = recordingSleep(clock);
    gh.faults.add({ method: 'POST', path: commentsPath(), status: 403, headers: { 'retry-after': '30' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } });
    expect(await ledger(sleep).postKeyed(issue, 'k1', 'hello')).toBe('created');
    expect(gh.faults.pending()).toEqual([]);
    expect(waits).toEqual([30_000]);
  });

  it('a primary limit (x-ratelimit-remaining 0) waits until x-ratelimit-reset', async () => {
    const { waits, sleep } = recordingSleep(clock);
    const reset = String(Date.parse('2026-12-02T10:02:00Z') / 1000);
    gh.faults.add({ method: 'GET', path: commentsPath(), status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded' } });
    expect(await ledger(sleep).postKeyed(issue, 'k2', 'hello')).toBe('created');
    expect(waits).toEqual([120_000]);
  });

  it('a 403 that is not a rate limit is not retried', async () => {
    const { waits, sleep } = recordingSleep(clock);
    gh.faults.add({ method: 'POST', path: commentsPath(), status: 403, body: { message: 'Resource not accessible by integration' } });
    await expect(ledger(sleep).postKeyed(issue, 'k3', 'hello')).rejects.toMatchObject({ code: 'PROVIDER_ERROR', status: 403, retryable: false });
    expect(waits).toEqual([]);
  });

  it('a reset beyond the budget fails fast with RETRY_LATER and the reset time', async () => {
    const { waits, sleep } = recordingSleep(clock);
    const reset = String(Date.parse('2026-12-02T11:00:00Z') / 1000);
    gh.faults.add({ method: 'POST', path: commentsPath(), status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded' } });
    await expect(ledger(sleep, 300_000).postKeyed(issue, 'k4', 'hello')).rejects.toMatchObject({ code: 'RETRY_LATER', provider: 'github', retryAt: '2026-12-02T11:00:00.000Z' });
    expect(waits).toEqual([]);
  });
});
