import { describe, expect, it } from 'vitest';
import { manualClock } from '../../core/runtime.js';
import { defaultStarters } from '../../drill/main.js';
import { runDrill } from '../../drill/runner.js';
import { freezeScenario } from '../freeze/drill.js';
import { rollbackScenario } from './drill.js';

describe('rollback and freeze drill scenarios', () => {
  it('pass every expectation on all four providers, the emulator contracts and the drill audit chain', async () => {
    const clock = manualClock('2026-12-02T09:00:00Z');
    const report = await runDrill([rollbackScenario, freezeScenario], { starters: defaultStarters, clock, sleep: clock.sleep, print: () => {} });
    const failed = [...report.scenarios.flatMap((s) => s.expectations), ...report.contract].filter((e) => !e.ok);
    expect(failed).toEqual([]);
    expect(report.scenarios.map((s) => s.expectations.length)).toEqual([13, 10]);
    // GitHub, Cloudflare and Argo CD each checked their contract.
    expect(report.contract.map((c) => c.name)).toEqual([
      'every GitHub call matched the OpenAPI description',
      'every Cloudflare response matched its schema',
      'every Argo CD call matched its Swagger description',
    ]);
    expect(report.audit.ok).toBe(true);
    expect(report.ok).toBe(true);
  }, 120_000);
});
