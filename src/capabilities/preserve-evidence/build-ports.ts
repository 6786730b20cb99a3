import { S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../../core/errors.js';
import type { SourceKind } from '../../core/evidence/targets.js';
import { readKitVariables } from '../../core/names.js';
import type { Sleep } from '../../core/runtime.js';
import { EvidenceObjects } from '../../providers/aws/evidence-bucket-objects.js';
import { StsIdentity } from '../../providers/aws/sts-identity.js';
import { awsClientConfig, type Env } from '../../runtime/clients.js';
import { AtlasBackupApi, AtlasSnapshotSource } from './atlas-source.js';
import { CloudTrailClient, CloudTrailSource } from './cloudtrail-source.js';
import { ENV } from '../../runtime/env.js';
import { CloudWatchLogsClient, EbsSnapshotSource, EC2Client, GuardDutyClient, GuardDutySource, LogExportSource, LogGroupSource, RDSClient, RdsSnapshotSource, S3VersionsSource } from './aws-sources.js';
import { FileSource } from './file-source.js';
import type { EvidenceSource, PreserveEvidencePorts } from './ports.js';

export interface PreserveEvidencePortOptions {
  sleep: Sleep;
  sliceMinutes?: number;
  /** Directory `file:` targets resolve against (default: the working directory). */
  root?: string;
  /** An evidence bucket other than the kit's (verify-evidence on a copy). */
  bucket?: string;
  callAttempts?: number;
  exportPollMs?: number;
  /** Between reads of an Atlas snapshot's status (default 15 s). */
  atlasPollMs?: number;
}

/** The evidence bucket from the kit's variables, in the kit's region. */
export function evidenceStoreFromEnv(env: Env, opts: { sleep: Sleep; bucket?: string | undefined; callAttempts?: number }): { store: EvidenceObjects; prefix: string; s3: S3Client } {
  const kit = readKitVariables(env);
  const bucket = opts.bucket ?? kit.evidenceBucket;
  if (!bucket) throw new InputError('the evidence bucket is not configured: set FIREBREAK_EVIDENCE_BUCKET (written by the kit)', { field: 'FIREBREAK_EVIDENCE_BUCKET', code: 'CONFIG_INVALID' });
  const regionEnv = kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env;
  const s3 = new S3Client({ ...awsClientConfig(regionEnv), forcePathStyle: Boolean(env[ENV.awsEndpoint]?.trim()) });
  return { store: new EvidenceObjects({ client: s3, bucket, sleep: opts.sleep, ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}) }), prefix: kit.evidencePrefix ?? '', s3 };
}

export function buildPreserveEvidencePorts(env: Env, opts: PreserveEvidencePortOptions): PreserveEvidencePorts {
  const { store, prefix, s3 } = evidenceStoreFromEnv(env, opts);
  const kit = readKitVariables(env);
  const base = awsClientConfig(kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env);
  const deps = { sleep: opts.sleep, ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}) };
  const sources = new Map<SourceKind, EvidenceSource>();
  const make = (kind: SourceKind): EvidenceSource => {
    switch (kind) {
      case 'logs':
        return new LogGroupSource(new CloudWatchLogsClient(base), { ...deps, sliceMinutes: opts.sliceMinutes ?? 60 });
      case 'logs-export':
        return new LogExportSource(new CloudWatchLogsClient(base), s3, { ...deps, ...(opts.exportPollMs === undefined ? {} : { pollMs: opts.exportPollMs }) });
      case 'rds':
      case 'rds-cluster':
        return new RdsSnapshotSource(new RDSClient(base), deps);
      case 'ebs':
        return new EbsSnapshotSource(new EC2Client(base), deps);
      case 's3':
        return new S3VersionsSource(new S3Client({ ...base, forcePathStyle: Boolean(env[ENV.awsEndpoint]?.trim()) }), deps);
      case 'guardduty':
        return new GuardDutySource(new GuardDutyClient(base), { ...deps, detectorId: kit.guardDutyDetectorId });
      case 'file':
        return new FileSource(opts.root ?? process.cwd());
      case 'cloudtrail':
        return new CloudTrailSource(new CloudTrailClient(base), deps);
      case 'atlas': {
        const id = env[ENV.atlasClientId]?.trim();
        const secret = env[ENV.atlasClientSecret]?.trim();
        const api = id && secret ? new AtlasBackupApi({ baseUrl: env[ENV.atlasApiUrl]?.trim() || 'https://cloud.mongodb.com', clientId: id, clientSecret: secret, sleep: opts.sleep, ...(opts.callAttempts ? { callAttempts: opts.callAttempts } : {}) }) : undefined;
        return new AtlasSnapshotSource(api, opts.atlasPollMs === undefined ? {} : { pollMs: opts.atlasPollMs });
      }
    }
  };
  const identity = StsIdentity.fromConfig(base, opts.sleep);
  return {
    store,
    prefix,
    collector: async () => (await identity.whoAmI()).arn,
    source(kind) {
      let s = sources.get(kind);
      if (!s) {
        s = make(kind);
        sources.set(kind, s);
      }
      return s;
    },
  };
}
