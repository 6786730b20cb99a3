import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { readKitVariables } from '../../core/names.js';
import type { Sleep } from '../../core/runtime.js';
import { EvidenceObjects } from '../../providers/aws/evidence-objects.js';
import { awsClientConfig, type Env } from '../../runtime/clients.js';
import { ENV } from '../../runtime/env.js';
import type { CapabilityRuntime } from '../types.js';
import { AwsSsm } from './aws-ssm.js';
import type { RunCommandPorts } from './ports.js';
import { runCommandStep } from './step.js';

export function buildRunCommandPorts(env: Env, deps: { sleep: Sleep; pollMs?: number; callAttempts?: number }): RunCommandPorts {
  const kit = readKitVariables(env);
  const regionEnv = kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env;
  const base = awsClientConfig(regionEnv);
  const call = { sleep: deps.sleep, ...(deps.callAttempts ? { callAttempts: deps.callAttempts } : {}) };
  return {
    ssm: new AwsSsm({ ...call, client: new SSMClient(base) }),
    documentPrefix: kit.ssmDocumentPrefix,
    evidence: kit.evidenceBucket
      ? new EvidenceObjects({ client: new S3Client({ ...base, forcePathStyle: Boolean(env[ENV.awsEndpoint]?.trim()) }), bucket: kit.evidenceBucket, prefix: kit.evidencePrefix ?? '', ...call })
      : undefined,
    pollMs: deps.pollMs,
  };
}

export const runtime: CapabilityRuntime = {
  step: runCommandStep,
  ports: (ctx) => buildRunCommandPorts(ctx.env, { sleep: ctx.sleep }),
};
