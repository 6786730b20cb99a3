import { describe, expect, it } from 'vitest';
import { startCloudflareEmulator } from '../../drill/emulators/cloudflare/server.js';
import { startMoto } from '../../drill/emulators/moto.js';
import { runDrill } from '../../drill/runner.js';
import { routesAndRateScenario } from './drill.js';

describe('routes-and-rate drill scenario', () => {
  it("disables seed 000's routes, tightens the rate, verifies health, restores both exactly; the audit chain verifies", async () => {
    const report = await runDrill([routesAndRateScenario], { starters: { aws: () => startMoto(), cloudflare: () => startCloudflareEmulator() } });
    const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios[0]!.expectations.length).toBeGreaterThanOrEqual(15);
    expect(report.audit.ok).toBe(true);
    expect(report.ok).toBe(true);
  });
});
