import { runStep } from '../../core/step.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { unfreezeStep } from '../unfreeze/step.js';
import { buildDeployControls } from './build-ports.js';
import { FREEZE_RECORD_VARIABLE, INCIDENT_MODE_VARIABLE, LOCKED_POLICY } from './ports.js';
import { freezeStep } from './step.js';

/**
 * Seed 000 "pause all deployments" and back: freeze (INCIDENT_MODE=1, the deploy workflows
 * disabled, the deploy environment locked), a re-run that changes nothing, then unfreeze, which
 * must leave everything exactly as before (a workflow disabled before the freeze stays disabled).
 */
export const freezeScenario: DrillScenario = {
  name: 'freeze',
  description: 'freeze deploys (variable, workflows, environment lock) and unfreeze back to the exact prior state (GitHub emulator)',
  needs: ['github'],

  async setup(env) {
    const gh = env.github!;
    gh.state.addWorkflow('.github/workflows/drill-deploy.yml');
    gh.state.addWorkflow('.github/workflows/drill-release.yml').state = 'disabled_manually';
    gh.state.upsertEnvironment('drill-freeze', { waitTimer: 3 });
  },

  async run(env) {
    const out: Expectation[] = [];
    const gh = env.github!;
    const controls = () => buildDeployControls(env.env, { sleep: env.sleep, clock: env.clock });
    const wf = (file: string) => gh.state.findWorkflow(file)?.state;
    const raw = { workflows: 'drill-deploy.yml drill-release.yml', lockEnvironment: 'drill-freeze' };

    const frozen = await runStep(freezeStep, raw, controls(), env.context());
    out.push(checkEqual('freeze applied', frozen.result?.status, 'ok'));
    out.push(checkEqual('INCIDENT_MODE=1', gh.state.repoVariables.get(INCIDENT_MODE_VARIABLE)?.value, '1'));
    out.push(checkEqual('deploy workflow disabled', wf('drill-deploy.yml'), 'disabled_manually'));
    out.push(checkEqual('environment locked, its wait timer kept', { policy: gh.state.environments.get('drill-freeze')?.deploymentBranchPolicy, wait: gh.state.environments.get('drill-freeze')?.waitTimer }, { policy: LOCKED_POLICY, wait: 3 }));
    out.push(checkEqual('freeze re-run changes nothing', (await runStep(freezeStep, raw, controls(), env.context())).result?.status, 'noop'));

    const thawed = await runStep(unfreezeStep, {}, controls(), env.context());
    out.push(checkEqual('unfreeze applied', thawed.result?.status, 'ok'));
    out.push(check('INCIDENT_MODE removed again (it did not exist before)', !gh.state.repoVariables.has(INCIDENT_MODE_VARIABLE)));
    out.push(checkEqual('workflows as before: deploy enabled, release still disabled', [wf('drill-deploy.yml'), wf('drill-release.yml')], ['active', 'disabled_manually']));
    out.push(checkEqual('environment unlocked', gh.state.environments.get('drill-freeze')?.deploymentBranchPolicy, null));
    out.push(check('freeze record deleted', !gh.state.repoVariables.has(FREEZE_RECORD_VARIABLE)));
    return out;
  },
};
