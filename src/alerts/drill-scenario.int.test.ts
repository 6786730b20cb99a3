import { expect, it } from 'vitest';
import { defaultStarters } from '../drill/main.js';
import { runDrill } from '../drill/runner.js';
import { alertsScenario } from './drill.js';

/** The alerts drill scenario as the weekly drill runs it: every expectation must hold. */
it('alerts drill: every expectation holds', async () => {
  const report = await runDrill([alertsScenario], { starters: defaultStarters });
  const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
  expect(failed).toEqual([]);
  expect(report.scenarios[0]!.expectations.map((e) => e.name)).toContain('no permission: the reply says why');
  // The scenario's runs are on the drill's own chain, which must verify (report.audit).
  expect(report.audit.ok).toBe(true);
  expect(report.ok).toBe(true);
}, 180_000);
