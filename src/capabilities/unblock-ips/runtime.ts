import type { CapabilityRuntime } from '../types.js';
import { buildIpBlockPorts } from '../../runtime/ip-block-ports.js';
import { unblockIpsStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: unblockIpsStep,
  ports: (ctx) => buildIpBlockPorts(ctx.env, ctx.config, { sleep: ctx.sleep, onRetry: (m) => ctx.logger.info(m) }),
};
