import { expect, it } from 'vitest';
import { startMoto } from '../../drill/emulators/moto.js';
import { runDrill } from '../../drill/runner.js';
import { notifyScenario } from './drill.js';

it('the notify drill scenario passes every expectation on moto and the emulators', async () => {
  const report = await runDrill([notifyScenario], { starters: { aws: () => startMoto() } });
  const failed = report.scenarios[0]!.expectations.filter((e) => !e.ok);
  expect(failed).toEqual([]);
  expect(report.scenarios[0]!.expectations.length).toBeGreaterThanOrEqual(12);
  expect(report.audit.detail ?? '').toBe('');
  expect(report.ok).toBe(true);
}, 120_000);
