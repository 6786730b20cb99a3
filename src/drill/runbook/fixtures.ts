import type { RunbookFixture } from './fixture.js';
import { alertFixture } from './alert-step.js';
import { declareFixture } from '../../capabilities/declare/runbook-fixture.js';

/**
 * Every capability a runbook drill can run, by slug: ONE line each, the fixture living in the
 * capability's folder (`src/capabilities/<slug>/runbook-fixture.ts`). A runbook whose plan names a
 * capability without a line here is refused before anything starts (RUNBOOK_NOT_DRILLABLE).
 */
export const RUNBOOK_FIXTURES: Readonly<Record<string, RunbookFixture>> = {
  alert: alertFixture,
  declare: declareFixture,
};
