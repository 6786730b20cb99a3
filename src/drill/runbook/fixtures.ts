import type { RunbookFixture } from './fixture.js';
import { declareFixture } from '../../capabilities/declare/runbook-fixture.js';
import { preserveEvidenceFixture } from '../../capabilities/preserve-evidence/runbook-fixture.js';
import { verifyEvidenceFixture } from '../../capabilities/verify-evidence/runbook-fixture.js';
import { triageFixture } from '../../capabilities/triage/runbook-fixture.js';
import { runCommandFixture } from '../../capabilities/run-command/runbook-fixture.js';
import { isolateFixture, releaseFixture } from '../../capabilities/isolate/runbook-fixture.js';
import { rollbackFixture } from '../../capabilities/rollback/runbook-fixture.js';

/**
 * Every capability a runbook drill can run, by slug: ONE line each, the fixture living in the
 * capability's folder (`src/capabilities/<slug>/runbook-fixture.ts`). A runbook whose plan names a
 * capability without a line here is refused before anything starts (RUNBOOK_NOT_DRILLABLE).
 */
export const RUNBOOK_FIXTURES: Readonly<Record<string, RunbookFixture>> = {
  declare: declareFixture,
  'preserve-evidence': preserveEvidenceFixture,
  'verify-evidence': verifyEvidenceFixture,
  triage: triageFixture,
  'run-command': runCommandFixture,
  isolate: isolateFixture,
  release: releaseFixture,
  rollback: rollbackFixture,
};
