import { appendFile, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startCloudflareEmulator, type CloudflareEmulator } from './emulators/cloudflare/server.js';
import { startGitHubEmulator, type GitHubEmulator } from './emulators/github/server.js';
import { drillMain } from './main.js';
import { runDrill, type EmulatorStarters } from './runner.js';
import { check, type DrillScenario } from './scenario.js';
import { auditScenario } from './scenarios/audit.js';
import { SCENARIOS } from './scenarios/index.js';

/** Real in-process emulators, remembered so the test can prove they were stopped. */
function trackedStarters(): { starters: EmulatorStarters; started: Array<GitHubEmulator | CloudflareEmulator> } {
  const started: Array<GitHubEmulator | CloudflareEmulator> = [];
  return {
    started,
    starters: {
      github: async () => {
        const e = await startGitHubEmulator();
        started.push(e);
        return e;
      },
      cloudflare: async () => {
        const e = await startCloudflareEmulator();
        started.push(e);
        return e;
      },
    },
  };
}

async function isListening(baseUrl: string): Promise<boolean> {
  return fetch(baseUrl, { signal: AbortSignal.timeout(2000) }).then(
    () => true,
    () => false,
  );
}

const passing: DrillScenario = {
  name: 'passing',
  description: 'reads the github emulator through its env',
  needs: ['github'],
  async run(env) {
    return [check('GITHUB_API_URL points at the emulator', env.env.GITHUB_API_URL === env.github?.baseUrl), check('work dir exists', existsSync(env.workDir))];
  },
};
const failing: DrillScenario = {
  name: 'failing',
  description: 'one expectation fails',
  needs: ['cloudflare'],
  async run(env) {
    return [check('cloudflare is up', Boolean(env.cloudflare)), check('this one fails', false, 'seen: nothing')];
  },
};
const throwing: DrillScenario = {
  name: 'throwing',
  description: 'throws in setup',
  needs: [],
  async setup() {
    throw new Error('setup blew up');
  },
  async run() {
    return [check('never reached', true)];
  },
};

describe('runDrill', () => {
  it('runs every scenario in order, reports each expectation, and stops the emulators', async () => {
    const { starters, started } = trackedStarters();
    const lines: string[] = [];
    const report = await runDrill([passing, throwing, failing, auditScenario], { starters, print: (l) => lines.push(l) });
    expect(report.ok).toBe(false);
    expect(report.scenarios.map((s) => [s.name, s.ok])).toEqual([
      ['passing', true],
      ['throwing', false],
      ['failing', false],
      ['audit', true],
    ]);
    expect(report.scenarios[1]!.expectations[0]).toMatchObject({ ok: false, detail: expect.stringContaining('setup blew up') });
    expect(report.failed).toBe(2);
    expect(report.contract.every((c) => c.ok)).toBe(true);
    expect(report.audit.ok).toBe(true);
    expect(lines).toContain('  ✗ this one fails — seen: nothing');
    expect(started).toHaveLength(2);
    for (const e of started) expect(await isListening(e.baseUrl)).toBe(false);
  });

  it('stops emulators already started when a later one fails to start', async () => {
    const { starters, started } = trackedStarters();
    starters.cloudflare = async () => {
      throw new Error('port in use');
    };
    await expect(runDrill([passing, failing], { starters })).rejects.toThrow('port in use');
    expect(started).toHaveLength(1);
    expect(await isListening(started[0]!.baseUrl)).toBe(false);
  });

  it("fails when the drill's own audit chain was tampered with", async () => {
    const tamper: DrillScenario = {
      name: 'tamper',
      description: 'appends a forged line to the drill audit file',
      needs: [],
      async run(env) {
        const last = (await readFile(env.auditFile, 'utf8')).trim().split('\n').pop()!;
        await appendFile(env.auditFile, `${last.replace('"seq":', '"seq":9')}\n`);
        return [check('forged', true)];
      },
    };
    const report = await runDrill([auditScenario, tamper], { starters: {} });
    expect(report.ok).toBe(false);
    expect(report.audit).toMatchObject({ ok: false, detail: expect.stringMatching(/^line 9: /) });
  });

  it('fails when a scenario makes a call outside the GitHub API description', async () => {
    const offspec: DrillScenario = {
      name: 'offspec',
      description: 'calls an endpoint GitHub does not have',
      needs: ['github'],
      async run(env) {
        await fetch(`${env.github!.baseUrl}/repos/${env.github!.owner}/${env.github!.repo}/no-such-thing`, { headers: { authorization: `token ${env.github!.token}` } });
        return [check('called', true)];
      },
    };
    const { starters } = trackedStarters();
    const report = await runDrill([offspec, auditScenario], { starters });
    expect(report.contract).toEqual([expect.objectContaining({ ok: false })]);
    expect(report.ok).toBe(false);
  });
});

describe('drillMain', () => {
  it('exits 1 when an expectation fails and 0 when all hold', async () => {
    const { starters } = trackedStarters();
    const out: string[] = [];
    expect(await drillMain([], starters, (l) => out.push(l), [passing, failing, auditScenario])).toBe(1);
    expect(out.join('\n')).toMatch(/FAIL: 1 of \d+ expectation\(s\) failed/);
    expect(await drillMain(['passing', 'audit'], starters, () => {}, [passing, failing, auditScenario])).toBe(0);
  });

  it('--report writes the full report as JSON', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'fb-drill-report-'));
    try {
      const file = join(dir, 'report.json');
      expect(await drillMain(['--report', file, 'audit'], {}, () => {}, [auditScenario])).toBe(0);
      const report = JSON.parse(await readFile(file, 'utf8')) as { ok: boolean; scenarios: Array<{ name: string }>; audit: { ok: boolean } };
      expect(report).toMatchObject({ ok: true, scenarios: [{ name: 'audit' }], audit: { ok: true } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses unknown scenario names and options', async () => {
    const out: string[] = [];
    expect(await drillMain(['nope'], {}, (l) => out.push(l))).toBe(1);
    expect(out.join('\n')).toContain('unknown scenario(s): nope');
    expect(await drillMain(['--frobnicate'], {}, () => {})).toBe(2);
  });

  it('registers the audit scenario first and names every scenario uniquely', () => {
    expect(SCENARIOS[0]!.name).toBe('audit');
    expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
    for (const s of SCENARIOS) expect(s.description.length).toBeGreaterThan(0);
  });
});
