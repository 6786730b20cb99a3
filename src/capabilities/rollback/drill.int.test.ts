import { describe, expect, it } from 'vitest';
import { startArgoCdEmulator } from '../../drill/emulators/argocd/server.js';
import { startCloudflareEmulator } from '../../drill/emulators/cloudflare/server.js';
import { startGitHubEmulator } from '../../drill/emulators/github/server.js';
import { startMoto } from '../../drill/emulators/moto.js';
import { runDrill } from '../../drill/runner.js';
import { freezeScenario } from '../freeze/drill.js';
import { rollbackScenario } from './drill.js';

describe('rollback and freeze drill scenarios', () => {
  it('pass every expectation on all four providers, and the drill audit chain verifies', async () => {
    const report = await runDrill([rollbackScenario, freezeScenario], {
      starters: { aws: () => startMoto(), github: () => startGitHubEmulator(), cloudflare: () => startCloudflareEmulator(), argocd: () => startArgoCdEmulator() },
      print: () => {},
    });
    const failed = [...report.scenarios.flatMap((s) => s.expectations), ...report.contract].filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios.map((s) => s.expectations.length)).toEqual([13, 10]);
    expect(report.audit.ok).toBe(true);
    expect(report.ok).toBe(true);
  }, 120_000);
});
