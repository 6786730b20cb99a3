import type { CapabilityRuntime } from '../types.js';
import { buildRotateSecretPorts } from './build-ports.js';
import { rotateSecretStep } from './step.js';

export const runtime: CapabilityRuntime = {
  step: rotateSecretStep,
  ports: (ctx) => buildRotateSecretPorts(ctx.env, { sleep: ctx.sleep, clock: ctx.clock, onRetry: (m) => ctx.logger.info(m) }),
};
