import { describe, expect, it } from 'vitest';
import { startMoto } from '../../drill/emulators/moto.js';
import { runDrill } from '../../drill/runner.js';
import { evidenceScenario } from './drill.js';

describe('evidence drill scenario', () => {
  it('passes every expectation against moto, and the drill audit chain verifies', async () => {
    const report = await runDrill([evidenceScenario], { starters: { aws: () => startMoto() } });
    const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios[0]!.expectations.length).toBeGreaterThanOrEqual(20);
    expect(report.audit.ok).toBe(true);
    expect(report.ok).toBe(true);
  });
});
