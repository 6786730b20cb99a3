import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { readKitVariables } from '../../core/names.js';
import type { Sleep } from '../../core/runtime.js';
import { awsClientConfig, type Env } from '../../runtime/clients.js';
import { ENV } from '../../runtime/env.js';
import { evidenceStoreFromEnv } from '../preserve-evidence/build-ports.js';
import type { CapabilityRuntime } from '../types.js';
import { LogsInsights } from './logs-insights.js';
import type { TriagePorts } from './ports.js';
import { triageStep } from './step.js';

export function buildTriagePorts(env: Env, opts: { sleep: Sleep; cwd?: string; workers?: number; pollMs?: number }): TriagePorts {
  const kit = readKitVariables(env);
  const evidence = kit.evidenceBucket ? evidenceStoreFromEnv(env, { sleep: opts.sleep }) : undefined;
  const base = awsClientConfig(kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env);
  return {
    cwd: opts.cwd ?? process.cwd(),
    evidence: evidence ? { store: evidence.store, prefix: evidence.prefix } : undefined,
    insights: new LogsInsights(new CloudWatchLogsClient(base), { sleep: opts.sleep, ...(opts.pollMs === undefined ? {} : { pollMs: opts.pollMs }) }),
    workers: opts.workers,
  };
}

export const runtime: CapabilityRuntime = {
  step: triageStep,
  ports: (ctx) => buildTriagePorts(ctx.env, { sleep: ctx.sleep, ...(ctx.cwd ? { cwd: ctx.cwd } : {}) }),
};
