import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../core/audit.js';
import { manualClock } from '../../core/runtime.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { GitHubIncidentLedger } from '../../providers/github/incident-ledger.js';
import { githubClient } from '../../runtime/github-client.js';
import { memoryIo } from '../io.js';
import { main } from '../main.js';

// Each test: its own emulator and its own clock, injected into the CLI (no wall-clock time, no order).
let gh: GitHubEmulator;
let clock: ReturnType<typeof manualClock>;
beforeEach(async () => {
  clock = manualClock('2026-11-22T09:00:00Z');
  gh = await startGitHubEmulator({ now: () => clock.now() });
});
afterEach(async () => {
  gh?.assertNoViolations();
  await gh?.stop();
});

function cliIo(dir: string) {
  return Object.assign(memoryIo({ ...gh.env(), USER: 'cli-user' }, dir), { clock, sleep: clock.sleep });
}

describe('incident CLI commands against the GitHub emulator', () => {
  it('declare --apply, then post-update and tick: file chain and issue chain both hold the records', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-incident-cli-'));
    await writeFile(join(dir, 'facts.yml'), 'data_categories: [phi]\naffected_by_state: { CA: 501 }\n');
    await writeFile(join(dir, 'firebreak.yml'), 'version: 1\nincident:\n  roster: { incident_commander: [cli-ic] }\n');
    const io = cliIo(dir);
    expect(await main(['declare', '--title', 'CLI leak', '--severity', 'SEV2', '--facts', 'facts.yml', '--config', 'firebreak.yml', '--apply', '--json'], io)).toBe(0);
    const out = JSON.parse(io.out.join('')) as { status: string; plan: { meta: { incident: { id: string } } } };
    expect(out.status).toBe('applied');
    const id = out.plan.meta.incident.id;
    expect(id).toBe('INC-2026-11-22-cli-leak');
    const ledger = new GitHubIncidentLedger(githubClient(gh.env()), { owner: gh.owner, repo: gh.repo, sleep: async () => {} });
    const issue = (await ledger.findIncident(id))!;
    expect(issue.labels).toContain('severity:SEV2');

    const io2 = cliIo(dir);
    expect(await main(['update', '--incident', id, '--text', 'investigating', '--config', 'firebreak.yml', '--apply'], io2)).toBe(0);
    clock.advance(5 * 60_000); // 09:05: nothing is due yet
    const io3 = cliIo(dir);
    expect(await main(['tick', '--config', 'firebreak.yml', '--apply', '--json'], io3)).toBe(0);
    expect(JSON.parse(io3.out.join(''))).toEqual([{ id, posted: 0, skipped: true }]);
    const io4 = cliIo(dir);
    expect(await main(['close', '--incident', id, '--config', 'firebreak.yml', '--apply'], io4)).toBe(3);
    expect(io4.err.join('\n')).toMatch(/CLOSE_GATE[\s\S]*OBLIGATIONS|cannot close/);

    const lines = (await readFile(join(dir, '.firebreak', 'audit.jsonl'), 'utf8')).trim().split('\n');
    expect(verifyChain(lines).ok).toBe(true);
    expect(lines).toHaveLength(3);
    expect((await ledger.readRecords(issue.number)).map((r) => `${r.step}:${r.status}:${r.actor}`)).toEqual(['declare:applied:cli-user', 'post-update:applied:cli-user', 'close-incident:refused:cli-user']);
  });
});
