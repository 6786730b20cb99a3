import { expect, it } from 'vitest';
import { defaultStarters } from '../main.js';
import { runDrill } from '../runner.js';
import { blockIpsScenario } from './block-ips.js';

/** The block-ips drill as part of `npm test`, not only the weekly workflow: every expectation must hold. */
it('block-ips drill: every expectation holds on moto and the Cloudflare emulator', async () => {
  const report = await runDrill([blockIpsScenario], { starters: defaultStarters });
  const failed = report.scenarios.flatMap((s) => s.expectations).filter((e) => !e.ok);
  expect(failed).toEqual([]);
  expect(report.scenarios[0]!.expectations.length).toBeGreaterThan(10);
  expect(report.scenarios[0]!.expectations.map((e) => e.name)).toContain('merged /8 refused');
  expect(report.ok).toBe(true);
}, 120_000);
