import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../core/errors.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { githubClient } from '../../runtime/github-client.js';
import { runBundledAction } from '../../../test/helpers/run-action.js';

/**
 * The bundled incident-tick action reads its trigger as the runner hands it over (GitHub Docs
 * "Variables": GITHUB_EVENT_NAME and GITHUB_EVENT_PATH, the event payload file), through
 * @actions/github's context: a repository_dispatch `firebreak-tick` from the kit's scheduler records
 * its scheduled time and lateness; one without a scheduled time is refused before anything is read.
 */
let gh: GitHubEmulator;
beforeAll(async () => {
  gh = await startGitHubEmulator();
});
afterAll(async () => {
  gh?.assertNoViolations();
  await gh?.stop();
});

async function eventFile(payload: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'fb-event-')), 'event.json');
  await writeFile(file, JSON.stringify(payload));
  return file;
}

describe('bundled incident-tick reads the triggering event', () => {
  it('repository_dispatch firebreak-tick: source, scheduled time and lateness in the record and the summary', async () => {
    const env = { ...gh.env(), GITHUB_ACTOR: 'github-actions', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '7' };
    const declared = await runBundledAction({ slug: 'declare', inputs: { title: 'Bundled tick', slug: 'bundled-tick', severity: 'SEV2', apply: 'true' }, env });
    expect(declared.exitCode).toBe(0);
    const list = await githubClient(gh.env()).rest.issues.listForRepo({ owner: gh.owner, repo: gh.repo, labels: 'incident' });
    const id = /^\[(INC-[^\]]+)\]/.exec(list.data[0]!.title)![1]!;

    // Ninety seconds before now: the action runs on the wall clock, so lateness is at least 90 s.
    const scheduled = new Date(Math.floor((Date.now() - 90_000) / 1000) * 1000).toISOString();
    const path = await eventFile({ action: 'firebreak-tick', client_payload: { scheduled_time: scheduled, source: 'eventbridge-scheduler' } });
    const tick = await runBundledAction({ slug: 'incident-tick', inputs: { 'incident-id': id, apply: 'true' }, env: { ...env, GITHUB_EVENT_NAME: 'repository_dispatch', GITHUB_EVENT_PATH: path }, workspace: declared.workspace });
    expect(tick.stderr).not.toMatch(/TypeError|ReferenceError/);
    expect(tick.exitCode).toBe(0);
    const lines = (await readFile(join(declared.workspace, '.firebreak', 'audit.jsonl'), 'utf8')).trim().split('\n');
    const record = JSON.parse(lines.at(-1)!).record as { step: string; input: unknown; plan: { meta: { tick: { source: string; scheduledAt: string; lateSeconds: number } } } };
    expect(record.step).toBe('incident-tick');
    expect(record.input).toEqual({ trigger: { source: 'repository_dispatch', scheduledTime: scheduled } });
    expect(record.plan.meta.tick).toMatchObject({ source: 'repository_dispatch', scheduledAt: scheduled });
    expect(record.plan.meta.tick.lateSeconds).toBeGreaterThanOrEqual(90);
    expect(tick.summary).toContain(`repository_dispatch tick for ${scheduled} ran at`);

    const bad = await runBundledAction({ slug: 'incident-tick', inputs: { 'incident-id': id, apply: 'true' }, env: { ...env, GITHUB_EVENT_NAME: 'repository_dispatch', GITHUB_EVENT_PATH: await eventFile({ action: 'firebreak-tick', client_payload: {} }) }, workspace: declared.workspace });
    expect(bad.exitCode).toBe(EXIT_CODES.input);
    expect(bad.stdout + bad.stderr).toMatch(/TICK_SCHEDULED_TIME_MISSING/);
  });
});
