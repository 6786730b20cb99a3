import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { S3Client } from '@aws-sdk/client-s3';
import type { FirebreakConfig } from '../../core/config/schema.js';
import { readKitVariables } from '../../core/names.js';
import type { Sleep } from '../../core/runtime.js';
import { EvidenceObjects } from '../../providers/aws/evidence-objects.js';
import { awsClientConfig, type Env } from '../../runtime/clients.js';
import { ENV } from '../../runtime/env.js';
import { buildAuditTrailReader } from '../../runtime/ports/audit-trail-reader.js';
import { AwsCompute } from './aws-compute.js';
import type { IsolatePorts } from './ports.js';

export interface IsolatePortOptions {
  sleep: Sleep;
  timeoutMs?: number;
  callAttempts?: number;
  cwd?: string;
}

/** Ports from the environment: the kit's region, its quarantine group and evidence bucket, the audit trail. */
export function buildIsolatePorts(env: Env, config: Pick<FirebreakConfig, 'protected_ranges'>, opts: IsolatePortOptions): IsolatePorts {
  const kit = readKitVariables(env);
  const regionEnv = kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env;
  const base = awsClientConfig(regionEnv, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
  const call = { sleep: opts.sleep, ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}) };
  const compute = new AwsCompute({ ...call, ec2: new EC2Client(base), ecs: new ECSClient(base), logs: new CloudWatchLogsClient(base), autoscaling: new AutoScalingClient(base) });
  const evidence = kit.evidenceBucket
    ? new EvidenceObjects({
        client: new S3Client({ ...base, forcePathStyle: Boolean(env[ENV.awsEndpoint]?.trim()) }),
        bucket: kit.evidenceBucket,
        prefix: kit.evidencePrefix ?? '',
        ...call,
      })
    : undefined;
  return {
    compute,
    evidence,
    trail: buildAuditTrailReader({ env, sleep: opts.sleep, ...(opts.cwd ? { cwd: opts.cwd } : {}) }),
    quarantineGroupId: kit.quarantineSecurityGroupId,
    protectedRanges: config.protected_ranges.map((r) => (typeof r === 'string' ? { cidr: r, label: r } : r)),
  };
}
