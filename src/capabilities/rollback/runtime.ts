import type { CapabilityRuntime } from '../types.js';
import { buildRollbackPorts } from './build-ports.js';
import { rollbackStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: rollbackStep,
  ports: async (ctx) => {
    const { buildVerifyAfterPorts } = await import('../../runtime/health-ports.js');
    return { ...buildRollbackPorts(ctx.env, ctx), verify: buildVerifyAfterPorts(ctx.env, ctx.config, ctx.config.rollback.verify_after, { sleep: ctx.sleep }) };
  },
};
