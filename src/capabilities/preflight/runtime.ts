import type { CapabilityRuntime } from '../types.js';
import { buildPreflightPorts } from '../../runtime/ports/preflight.js';
import { preflightStep } from './step.js';
import { readKitVariables } from '../../core/names.js';

export const runtime: CapabilityRuntime = {
  step: preflightStep,
  ports: (ctx) => buildPreflightPorts(ctx),
  // The variables this shell or job has are the thing preflight checks: read, never typed.
  prepare: (raw, env) => {
    const checks = typeof raw.checks === 'string' ? raw.checks.split(/[\n,]/).map((c) => c.trim()).filter(Boolean) : [];
    return { ...(checks.length ? { checks } : {}), variables: readKitVariables(env) };
  },
};
