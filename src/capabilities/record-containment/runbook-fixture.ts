import { deriveIncidentState } from '../../core/incident/state.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { drillConfig, incidentIssue, recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { check, type Expectation } from '../../drill/scenario.js';

/**
 * record-containment: containment done by hand counts for the close gate. Verified on the incident
 * issue: the state rebuilt from its records has one more containment entry than before the step,
 * made now, and its timeline names the action the runbook gave. A refusal added none.
 */
export const recordContainmentFixture: RunbookFixture = {
  async verify(world, outcome) {
    const out: Expectation[] = [];
    const issue = await incidentIssue(world);
    const { incident } = await drillConfig(world);
    const state = issue ? deriveIncidentState(issue.records, incident.containment_steps) : undefined;
    const at = world.clock.now().toISOString();
    const now = state?.containment.filter((c) => c.step === 'record-containment' && c.at === at) ?? [];
    if (outcome.code !== undefined) return [check(`the refused record (${outcome.code}) added no containment`, state !== undefined && now.length === 0, `${now.length} entry(ies) at ${at}`)];
    out.push(check('the incident counts this containment (record-containment, now)', now.length === 1, `containment: ${JSON.stringify(state?.containment ?? [])}`));
    const action = String(outcome.input.action ?? '');
    out.push(check('the incident timeline names the action the runbook recorded', (state?.timeline ?? []).some((t) => t.kind === 'containment' && t.at === at && t.what.includes(action)), JSON.stringify((state?.timeline ?? []).filter((t) => t.kind === 'containment'))));
    out.push(await recordedOnIssue(world, 'record-containment', outcome.status));
    return out;
  },
};
