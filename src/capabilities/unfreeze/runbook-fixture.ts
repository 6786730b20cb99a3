import { applied, recall, remember } from '../../drill/runbook/fixture-support.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { checkEqual } from '../../drill/scenario.js';
import { deployBaseline, deployState, type DeployState } from '../freeze/runbook-state.js';

/**
 * unfreeze: the deploy controls read back exactly as before the drill's freeze — INCIDENT_MODE as it
 * was (absent when it was), each workflow in its prior state (one disabled before stays disabled),
 * each environment's branch policy — and freeze's record is gone. Refused: nothing changed.
 */
export const unfreezeFixture: RunbookFixture = {
  async prepare(world) {
    const gh = await world.github();
    await deployBaseline(world);
    remember(world, 'unfreeze', deployState(gh));
  },

  async verify(world, outcome) {
    const gh = await world.github();
    const now = deployState(gh);
    if (!applied(outcome)) return [checkEqual('unfreeze refused: the deploy controls are unchanged', now, recall<DeployState>(world, 'unfreeze'))];
    const baseline = await deployBaseline(world);
    // Only what existed before the freeze: later steps' fixtures may add workflows and environments.
    const pick = <T>(now: Record<string, T>, was: Record<string, T>) => Object.fromEntries(Object.keys(was).map((k) => [k, now[k]]));
    return [
      checkEqual('INCIDENT_MODE is back to its value before the freeze', now.incidentMode, baseline.incidentMode),
      checkEqual('every workflow is back in its state before the freeze', pick(now.workflows, baseline.workflows), baseline.workflows),
      checkEqual('every environment is back to its protection before the freeze', pick(now.environments, baseline.environments), baseline.environments),
      checkEqual("freeze's record is deleted", now.record, false),
    ];
  },
};
