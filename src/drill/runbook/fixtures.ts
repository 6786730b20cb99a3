import type { RunbookFixture } from './fixture.js';
import { declareFixture } from '../../capabilities/declare/runbook-fixture.js';
import { rotateSecretFixture } from '../../capabilities/rotate-secret/runbook-fixture.js';
import { revokeAccessFixture } from '../../capabilities/revoke-access/runbook-fixture.js';
import { restoreAccessFixture } from '../../capabilities/restore-access/runbook-fixture.js';
import { restartServiceFixture } from '../../capabilities/restart-service/runbook-fixture.js';

/**
 * Every capability a runbook drill can run, by slug: ONE line each, the fixture living in the
 * capability's folder (`src/capabilities/<slug>/runbook-fixture.ts`). A runbook whose plan names a
 * capability without a line here is refused before anything starts (RUNBOOK_NOT_DRILLABLE).
 */
export const RUNBOOK_FIXTURES: Readonly<Record<string, RunbookFixture>> = {
  declare: declareFixture,
  'rotate-secret': rotateSecretFixture,
  'revoke-access': revokeAccessFixture,
  'restore-access': restoreAccessFixture,
  'restart-service': restartServiceFixture,
};
