import type { CapabilityRuntime } from '../types.js';
import { verifyHealthStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: verifyHealthStep,
  ports: async (ctx) => {
    const { buildHealthPorts } = await import('../../runtime/edge-ports.js');
    return { health: buildHealthPorts(ctx.env, ctx.config, { sleep: ctx.sleep }) };
  },
};
