import { describe, expect, it } from 'vitest';
import { startMoto } from '../../drill/emulators/moto.js';
import { runDrill } from '../../drill/runner.js';
import { restartServiceScenario } from '../restart-service/drill.js';
import { runCommandScenario } from '../run-command/drill.js';
import { isolateScenario } from './drill.js';

describe('isolate, restart-service and run-command drill scenarios', () => {
  it('pass every expectation against one moto, and the drill audit chain verifies', async () => {
    const report = await runDrill([isolateScenario, restartServiceScenario, runCommandScenario], { starters: { aws: () => startMoto() } });
    const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios.map((s) => s.expectations.length)).toEqual([13, 3, 3]);
    expect(report.audit.ok).toBe(true);
    expect(report.ok).toBe(true);
  }, 120_000);
});
