import { check, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { incidentIssue, recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { notifyChannelsReady } from '../notify/runbook-fixture.js';

/** declare: the incident issue exists, labelled with the severity the runbook gave, and holds the record. */
export const declareFixture: RunbookFixture = {
  // The notify hook pages as soon as declare applies: the organisation's providers and secrets exist first.
  prepare: async (world) => void (await notifyChannelsReady(world)),
  async verify(world, outcome) {
    const out: Expectation[] = [];
    out.push(check('declare minted an incident id', typeof outcome.incidentId === 'string' && outcome.incidentId.startsWith('INC-'), String(outcome.incidentId)));
    const issue = await incidentIssue(world);
    out.push(check('the incident issue exists', issue !== undefined, `no issue for ${outcome.incidentId}`));
    // Exactly one severity label: the one the runbook gave, or the one declare classified when it gave none.
    const given = typeof outcome.input.severity === 'string' ? outcome.input.severity : undefined;
    const severities = issue?.labels.filter((l) => l.startsWith('severity:')) ?? [];
    out.push(check(`the issue carries one severity label${given ? `, ${given}` : ''}`, severities.length === 1 && (given === undefined || severities[0] === `severity:${given}`), issue?.labels.join(', ')));
    // A re-run after a failed mirror finds the issue and records a noop: the incident is still one.
    out.push(await recordedOnIssue(world, 'declare', ['applied', 'noop']));
    return out;
  },
};
