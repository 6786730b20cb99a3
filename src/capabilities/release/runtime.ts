import type { CapabilityRuntime } from '../types.js';
import { buildIsolatePorts } from '../isolate/build-ports.js';
import { releaseStep } from '../isolate/step.js';

export const runtime: CapabilityRuntime = {
  step: releaseStep,
  ports: (ctx) => buildIsolatePorts(ctx.env, ctx.config, { sleep: ctx.sleep, ...(ctx.cwd ? { cwd: ctx.cwd } : {}) }),
};
