import { recall, remember } from '../../drill/runbook/fixture-support.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { configuredChecks, ensureHealthChecks, healthChecksPassed, probeCounts, safeParseVerify } from '../../drill/runbook/health-app.js';

interface Before {
  names: string[];
  probes: Record<string, number>;
}

/**
 * verify-health: the application the checks probe is a local HTTP server answering every check the
 * runbook names (added to `health.checks` when the drill config does not define it). Verified: every
 * named check has a passed outcome in the run's record and the application received its probe. An
 * application answering unhealthy fails the step and these checks (src/drill/runbook/edge.int.test.ts).
 */
export const verifyHealthFixture: RunbookFixture = {
  async prepare(world, input) {
    const given = safeParseVerify(input.checks);
    // None given (or `none`): the step runs every configured check.
    const names = given === undefined ? [] : given?.length ? given : (await configuredChecks(world)).map((c) => String(c.name));
    const app = await ensureHealthChecks(world, names);
    remember(world, 'verify-health', { names, probes: probeCounts(app, names) } satisfies Before);
  },

  async verify(world) {
    const before = recall<Before>(world, 'verify-health')!;
    return healthChecksPassed(world, 'verify-health', before.names, before.probes);
  },
};
