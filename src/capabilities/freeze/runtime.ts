import type { CapabilityRuntime } from '../types.js';
import { buildDeployControls } from './build-ports.js';
import { freezeStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: freezeStep,
  ports: (ctx) => buildDeployControls(ctx.env, ctx),
};
