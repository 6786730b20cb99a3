import { buildDeployControls } from '../capabilities/freeze/build-ports.js';
import type { DeployControls } from '../capabilities/freeze/ports.js';
import { freezeStep } from '../capabilities/freeze/step.js';
import type { FleetCapability } from './capability.js';
import { targetEnv } from './target-env.js';

/**
 * freeze across a fleet: every selected GitHub repository gets INCIDENT_MODE=1 and its listed deploy
 * workflows disabled. A target naming an environment (`github/owner/repo/production`) freezes that
 * environment: INCIDENT_MODE on it and the environment locked, unless the run names others.
 * Each repository's prior state is recorded by its own run, so `unfreeze` restores exactly it.
 */
export const freezeFleet: FleetCapability<DeployControls> = {
  slug: 'freeze',
  providers: ['github'],
  step: freezeStep,
  input(raw, target) {
    if (target.provider !== 'github' || !target.environment) return raw;
    const given = (k: string) => typeof raw[k] === 'string' && (raw[k] as string).trim() !== '';
    return {
      ...raw,
      variableEnvironment: given('variableEnvironment') ? raw['variableEnvironment'] : target.environment,
      lockEnvironment: given('lockEnvironment') ? raw['lockEnvironment'] : target.environment,
    };
  },
  ports: (ctx) => buildDeployControls(targetEnv(ctx), { sleep: ctx.sleep, clock: ctx.clock }),
};
