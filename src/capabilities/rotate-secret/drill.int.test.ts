import { describe, expect, it } from 'vitest';
import { startGitHubEmulator } from '../../drill/emulators/github/server.js';
import { startMoto } from '../../drill/emulators/moto.js';
import { runDrill } from '../../drill/runner.js';
import { rotateSecretScenario } from './drill.js';

describe('rotate-secret drill scenario', () => {
  it('passes every expectation against moto, and the drill audit chain verifies', async () => {
    const report = await runDrill([rotateSecretScenario], { starters: { aws: () => startMoto(), github: () => startGitHubEmulator() } });
    const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios[0]!.expectations.length).toBeGreaterThanOrEqual(30);
    expect(report.audit.ok).toBe(true);
    expect(report.ok).toBe(true);
  });
});
