import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import { manifestEntries } from '../../drill/runbook/kit-evidence.js';
import { check, type Expectation } from '../../drill/scenario.js';

/**
 * verify-evidence in a runbook drill: it re-hashes what preserve-evidence kept. verify reads the
 * manifest back itself and checks the step vouched for exactly that many objects (a step that
 * re-hashed nothing, or read another incident's manifest, says a different number).
 */
export const verifyEvidenceFixture: RunbookFixture = {
  async prepare(world) {
    await ensureAwsKit(world);
  },

  async verify(world, outcome) {
    const out: Expectation[] = [];
    const incident = outcome.incidentId ?? world.incidentId;
    if (!incident) return [check('verify-evidence ran in a declared incident', false)];
    const keys = new Set((await manifestEntries(world, incident)).map((e) => e.key));
    out.push(check('the incident has preserved evidence to verify', keys.size > 0, `no manifest for ${incident}`));
    const reason = ((outcome.result as { outcomes?: Array<{ reason: string }> } | undefined)?.outcomes ?? [])[0]?.reason ?? '';
    out.push(check(`verify-evidence re-hashed all ${keys.size} object(s) of the manifest and found them intact`, reason.startsWith(`all ${keys.size} object(s) match the manifest`), reason.slice(0, 300)));
    out.push(await recordedOnIssue(world, 'verify-evidence'));
    return out;
  },
};
