import { applied, noCredentialInAudit, recall, remember } from '../../drill/runbook/fixture-support.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';
import { FREEZE_RECORD_VARIABLE, LOCKED_POLICY } from './ports.js';
import { deployBaseline, deployState, textInput, workflowFiles, type DeployState } from './runbook-state.js';

/**
 * freeze: the deploy workflows the runbook names exist in the repository (created active when
 * missing) and so do the environments it names. Verified in the GitHub emulator: INCIDENT_MODE=1
 * where asked, every named workflow disabled, the locked environment's branch policy "custom, none
 * listed", and freeze's record kept for unfreeze. Refused: nothing changed.
 */
export const freezeFixture: RunbookFixture = {
  async prepare(world, input) {
    const gh = await world.github();
    for (const file of workflowFiles(input.workflows)) if (!gh.state.findWorkflow(file)) gh.state.addWorkflow(`.github/workflows/${file}`);
    for (const env of [textInput(input, 'variable-environment', 'variableEnvironment'), textInput(input, 'lock-environment', 'lockEnvironment')]) {
      if (env && !gh.state.environments.has(env)) gh.state.upsertEnvironment(env, {});
    }
    await deployBaseline(world);
    remember(world, 'freeze', deployState(gh));
  },

  async verify(world, outcome) {
    const gh = await world.github();
    const before = recall<DeployState>(world, 'freeze')!;
    const now = deployState(gh);
    const out: Expectation[] = [await noCredentialInAudit(world, 'freeze')];
    if (!applied(outcome)) return [...out, checkEqual('freeze refused: the deploy controls are unchanged', now, before)];
    const variableEnv = textInput(outcome.input, 'variable-environment', 'variableEnvironment');
    const lockEnv = textInput(outcome.input, 'lock-environment', 'lockEnvironment');
    const mode = variableEnv ? now.environments[variableEnv]?.incidentMode : now.incidentMode;
    out.push(checkEqual(`INCIDENT_MODE=1 on ${variableEnv ? `environment ${variableEnv}` : 'the repository'}`, mode, '1'));
    for (const file of workflowFiles(outcome.input.workflows)) {
      out.push(checkEqual(`deploy workflow ${file} is disabled`, gh.state.findWorkflow(file)?.state, 'disabled_manually'));
    }
    if (lockEnv) out.push(checkEqual(`environment ${lockEnv} is locked (no branch may deploy)`, now.environments[lockEnv]?.policy, LOCKED_POLICY));
    out.push(check('freeze kept its record of the prior state for unfreeze', now.record, `no ${FREEZE_RECORD_VARIABLE} variable`));
    return out;
  },
};
