import type { CapabilityRuntime } from '../types.js';
import { buildRollbackPorts } from './build-ports.js';
import { rollbackStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: rollbackStep,
  ports: (ctx) => buildRollbackPorts(ctx.env, ctx),
};
