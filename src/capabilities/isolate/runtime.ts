import type { CapabilityRuntime } from '../types.js';
import { buildIsolatePorts } from './build-ports.js';
import { isolateStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: isolateStep,
  ports: (ctx) => buildIsolatePorts(ctx.env, ctx.config, { sleep: ctx.sleep, ...(ctx.cwd ? { cwd: ctx.cwd } : {}) }),
};
