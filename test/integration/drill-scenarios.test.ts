import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/runtime.js';
import { defaultStarters } from '../../src/drill/main.js';
import { runDrill } from '../../src/drill/runner.js';
import type { Expectation } from '../../src/drill/scenario.js';
import { SCENARIOS } from '../../src/drill/scenarios/index.js';

/**
 * The block-ips, incident and fleet drill scenarios inside `npm test`, the way `npm run drill` runs them
 * (runDrill with the same emulator starters), each on its own emulators with its own injected
 * clock and sleep, so neither depends on the other, on wall-clock time or on real waits.
 */

const failed = (list: readonly Expectation[]) => list.filter((e) => !e.ok).map((e) => `${e.name}${e.detail ? `: ${e.detail}` : ''}`);

describe.each(['block-ips', 'incident', 'fleet'])('drill scenario %s', (name) => {
  it('passes every expectation, the emulator contract and the drill audit chain', async () => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    expect(scenario, `scenario ${name} is registered`).toBeDefined();
    const clock = manualClock('2026-12-02T09:00:00Z');
    const report = await runDrill([scenario!], { starters: defaultStarters, clock, sleep: clock.sleep, print: () => {} });
    const [only] = report.scenarios;
    expect(only!.name).toBe(name);
    expect(only!.expectations.length).toBeGreaterThan(3);
    expect(failed(only!.expectations)).toEqual([]);
    expect(failed(report.contract)).toEqual([]);
    expect(report.audit.ok, report.audit.detail).toBe(true);
    expect(report.failed).toBe(0);
    expect(report.ok).toBe(true);
  });
});
