import { S3Client } from '@aws-sdk/client-s3';
import { readKitVariables } from '../../core/names.js';
import type { Sleep } from '../../core/runtime.js';
import { EvidenceAuditStore } from '../../providers/aws/evidence-audit-store.js';
import { awsClientConfig, type Env } from '../clients.js';
import { ENV } from '../env.js';

/** Whether the kit's evidence bucket is named in this environment (FIREBREAK_EVIDENCE_BUCKET). */
export function hasEvidenceBucket(env: Env): boolean {
  return readKitVariables(env).evidenceBucket !== undefined;
}

/** The audit store in the kit's evidence bucket, or undefined when the kit variable is not set. */
export function buildEvidenceAuditStore(deps: { env: Env; sleep: Sleep; bucket?: string }): EvidenceAuditStore | undefined {
  const kit = readKitVariables(deps.env);
  const bucket = deps.bucket ?? kit.evidenceBucket;
  if (!bucket) return undefined;
  // The bucket lives in the kit's region (as in ip-block-ports.ts).
  const regionEnv = kit.awsRegion ? { ...deps.env, [ENV.awsRegion]: kit.awsRegion } : deps.env;
  const client = new S3Client({ ...awsClientConfig(regionEnv), forcePathStyle: Boolean(deps.env[ENV.awsEndpoint]?.trim()) });
  return new EvidenceAuditStore({ client, bucket, sleep: deps.sleep });
}
