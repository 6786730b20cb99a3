import { describe, expect, it } from 'vitest';
import { startGitHubEmulator } from '../../drill/emulators/github/server.js';
import { startMoto } from '../../drill/emulators/moto.js';
import { runDrill } from '../../drill/runner.js';
import { revokeAccessScenario } from './drill.js';

describe('revoke-access drill scenario', () => {
  it('passes every expectation against moto and the GitHub emulator, and the drill audit chain verifies', async () => {
    const report = await runDrill([revokeAccessScenario], { starters: { aws: () => startMoto(), github: () => startGitHubEmulator() } });
    const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios[0]!.expectations.length).toBeGreaterThanOrEqual(16);
    expect(report.audit.ok).toBe(true);
    expect(report.ok).toBe(true);
  });
});
