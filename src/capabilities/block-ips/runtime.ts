import type { CapabilityRuntime } from '../types.js';
import { blockIpsStep } from './step.js';
import { buildIpBlockPorts } from '../../runtime/ip-block-ports.js';

export const runtime: CapabilityRuntime = {
  step: blockIpsStep,
  ports: (ctx) => buildIpBlockPorts(ctx.env, ctx.config, { sleep: ctx.sleep, onRetry: (m) => ctx.logger.info(m) }),
};
