import { buildDeployControls } from '../freeze/build-ports.js';
import type { CapabilityRuntime } from '../types.js';
import { unfreezeStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: unfreezeStep,
  ports: (ctx) => buildDeployControls(ctx.env, ctx),
};
