import type { CapabilityRuntime } from '../types.js';
import { buildPreserveEvidencePorts } from './build-ports.js';
import { preserveEvidenceStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: preserveEvidenceStep,
  ports: (ctx) => buildPreserveEvidencePorts(ctx.env, { sleep: ctx.sleep, ...(ctx.cwd ? { root: ctx.cwd } : {}) }),
};
