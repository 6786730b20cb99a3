import type { CapabilityRuntime } from '../types.js';
import { evidenceStoreFromEnv } from '../preserve-evidence/build-ports.js';
import type { VerifyEvidencePorts } from './step.js';
import { verifyEvidenceStep } from './step.js';

export function buildVerifyEvidencePorts(env: Readonly<Record<string, string | undefined>>, opts: { sleep: (ms: number) => Promise<void>; callAttempts?: number }): VerifyEvidencePorts {
  const kit = evidenceStoreFromEnv(env, opts);
  return {
    prefix: kit.prefix,
    store: (bucket) => (bucket === undefined || bucket === kit.store.bucket ? kit.store : evidenceStoreFromEnv(env, { ...opts, bucket }).store),
  };
}

export const runtime: CapabilityRuntime = {
  step: verifyEvidenceStep,
  ports: (ctx) => buildVerifyEvidencePorts(ctx.env, { sleep: ctx.sleep }),
};
