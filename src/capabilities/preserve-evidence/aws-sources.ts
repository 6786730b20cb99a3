import { CloudWatchLogsClient, CreateExportTaskCommand, DescribeExportTasksCommand, DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSnapshotCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetFindingsCommand, GuardDutyClient, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { CreateDBClusterSnapshotCommand, CreateDBSnapshotCommand, DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { InputError, ProviderError } from '../../core/errors.js';
import { sliceWindow, type EvidenceWindow } from '../../core/evidence/manifest.js';
import { keySegment, type EvidenceTarget } from '../../core/evidence/targets.js';
import { isRetryableStatus, withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import type { EvidencePiece, EvidenceSource, EvidenceSourceContext } from './ports.js';

/** The tag the kit's responder role requires on every snapshot it creates. */
export const INCIDENT_TAG = 'firebreak:incident';

interface Deps {
  sleep: Sleep;
  callAttempts?: number;
}
export type AwsCallDeps = Deps;

/** One AWS call with our retry policy and an error that names the service call. */
export async function awsCall<T>(deps: Deps, operation: string, what: string, fn: () => Promise<T>): Promise<T> {
  return call(deps, operation, what, fn);
}

async function call<T>(deps: Deps, operation: string, what: string, fn: () => Promise<T>): Promise<T> {
  return withRetry(
    async () => {
      try {
        return await fn();
      } catch (error) {
        const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        const status = e?.$metadata?.httpStatusCode;
        const throttled = /Throttl|TooManyRequests|RequestLimitExceeded|LimitExceeded/.test(e?.name ?? '');
        throw new ProviderError(`${operation} on ${what} failed: ${status ? `HTTP ${status} ` : ''}${e?.name ?? 'Error'}: ${(e?.message ?? '').slice(0, 200)}`, {
          provider: 'aws',
          operation,
          ...(status === undefined ? {} : { status }),
          retryable: throttled || isRetryableStatus(status),
          cause: error,
        });
      }
    },
    { attempts: deps.callAttempts ?? 4, baseMs: 250, maxMs: 4_000, sleep: deps.sleep, retryOn: (e) => e instanceof ProviderError && e.retryable },
  );
}

const ms = (iso: string) => Date.parse(iso);
const json = (v: unknown) => ({ body: Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8'), contentType: 'application/json' });

/** CloudWatch Logs: the window in slices, each read with paged FilterLogEvents into one NDJSON object. */
export class LogGroupSource implements EvidenceSource {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly deps: Deps & { sliceMinutes: number },
  ) {}

  async pieces(target: EvidenceTarget, window: EvidenceWindow): Promise<EvidencePiece[]> {
    await requireLogGroup(this.client, this.deps, target.id);
    return sliceWindow(window, this.deps.sliceMinutes).map((slice) => ({
      key: `logs/${keySegment(target.id)}/${slice.from}_${slice.to}.ndjson`,
      subject: `${target.id} ${slice.from} to ${slice.to}`,
      collect: async () => {
        const lines: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await call(this.deps, 'logs:FilterLogEvents', target.id, () =>
            this.client.send(new FilterLogEventsCommand({ logGroupName: target.id, startTime: ms(slice.from), endTime: ms(slice.to) - 1, ...(nextToken ? { nextToken } : {}) })),
          );
          for (const e of page.events ?? []) lines.push(JSON.stringify({ timestamp: e.timestamp, ingestionTime: e.ingestionTime, logStreamName: e.logStreamName, eventId: e.eventId, message: e.message }));
          nextToken = page.nextToken;
        } while (nextToken);
        return { body: Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8'), contentType: 'application/x-ndjson' };
      },
    }));
  }
}

async function requireLogGroup(client: CloudWatchLogsClient, deps: Deps, name: string): Promise<void> {
  const out = await call(deps, 'logs:DescribeLogGroups', name, () => client.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name })));
  if (!(out.logGroups ?? []).some((g) => g.logGroupName === name)) {
    throw new InputError(`log group ${name} does not exist in this account and region`, { field: 'targets', code: 'TARGET_NOT_FOUND' });
  }
}

/**
 * CloudWatch Logs export tasks: the service writes the window into the evidence bucket itself. An
 * account runs one export task at a time, so tasks from this run queue behind each other (one chain
 * per client), and a task already running elsewhere is waited for, not fought.
 */
export class LogExportSource implements EvidenceSource {
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly s3: S3Client,
    private readonly deps: Deps & { pollMs?: number; maxPolls?: number },
  ) {}

  async pieces(target: EvidenceTarget, window: EvidenceWindow, ctx: EvidenceSourceContext): Promise<EvidencePiece[]> {
    await requireLogGroup(this.client, this.deps, target.id);
    const prefix = `${ctx.evidencePrefix}logs-export/${keySegment(target.id)}/${window.from}_${window.to}`;
    return [
      {
        key: `logs-export/${keySegment(target.id)}/${window.from}_${window.to}/`,
        folder: true,
        subject: `${target.id} ${window.from} to ${window.to} (export task)`,
        collect: () => {
          const run = this.queue.then(() => this.export(target.id, window, prefix, ctx));
          this.queue = run.catch(() => undefined);
          return run;
        },
      },
    ];
  }

  private async export(group: string, window: EvidenceWindow, prefix: string, ctx: EvidenceSourceContext): Promise<{ stored: string[] }> {
    const poll = async (taskId?: string) => {
      for (let i = 0; i < (this.deps.maxPolls ?? 360); i++) {
        const out = await call(this.deps, 'logs:DescribeExportTasks', group, () => this.client.send(new DescribeExportTasksCommand(taskId ? { taskId } : { statusCode: 'RUNNING' })));
        // The status filter is applied here too: an emulator (moto) may answer with every task.
        const tasks = taskId ? (out.exportTasks ?? []) : (out.exportTasks ?? []).filter((t) => t.status?.code === 'RUNNING' || t.status?.code === 'PENDING');
        if (!taskId) {
          if (tasks.length === 0) return undefined;
          ctx.progress(`export of ${group} waits: export task ${tasks[0]!.taskId} is running in this account`);
        } else {
          const code = tasks[0]?.status?.code;
          if (code === 'COMPLETED') return 'COMPLETED';
          if (code === 'FAILED' || code === 'CANCELLED') throw new ProviderError(`export task ${taskId} for ${group} ended ${code}: ${tasks[0]?.status?.message ?? ''}`, { provider: 'aws', operation: 'logs:CreateExportTask', retryable: true });
          ctx.progress(`export of ${group}: task ${taskId} ${code ?? 'PENDING'}`);
        }
        await ctx.sleep(this.deps.pollMs ?? 5_000);
      }
      throw new ProviderError(`export of ${group} did not finish in time`, { provider: 'aws', operation: 'logs:DescribeExportTasks', retryable: true });
    };
    await poll();
    const task = await call(this.deps, 'logs:CreateExportTask', group, () =>
      this.client.send(new CreateExportTaskCommand({ taskName: `firebreak-${ctx.incidentId}`.slice(0, 512), logGroupName: group, from: ms(window.from), to: ms(window.to) - 1, destination: ctx.bucket, destinationPrefix: prefix })),
    );
    await poll(task.taskId);
    const stored: string[] = [];
    let token: string | undefined;
    do {
      const page = await call(this.deps, 's3:ListBucketVersions', ctx.bucket, () =>
        this.s3.send(new ListObjectVersionsCommand({ Bucket: ctx.bucket, Prefix: `${prefix}/`, ...(token ? { KeyMarker: token } : {}) })),
      );
      for (const v of page.Versions ?? []) if (v.Key && v.IsLatest) stored.push(v.Key);
      token = page.IsTruncated ? page.NextKeyMarker : undefined;
    } while (token);
    return { stored: stored.sort() };
  }
}

function snapshotId(incident: string, id: string): string {
  return `fb-${incident.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.toLowerCase()}`.replace(/-+/g, '-').replace(/-$/, '').slice(0, 255);
}

/** RDS instance and cluster snapshots, tagged with the incident; the evidence object is the snapshot's description. */
export class RdsSnapshotSource implements EvidenceSource {
  constructor(
    private readonly client: RDSClient,
    private readonly deps: Deps,
  ) {}

  async pieces(target: EvidenceTarget, _window: EvidenceWindow, ctx: EvidenceSourceContext): Promise<EvidencePiece[]> {
    const cluster = target.kind === 'rds-cluster';
    const snap = snapshotId(ctx.incidentId, target.id);
    const tags = [{ Key: INCIDENT_TAG, Value: ctx.incidentId }];
    const describe = async () => {
      try {
        if (cluster) return (await this.client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: snap }))).DBClusterSnapshots?.[0];
        return (await this.client.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snap }))).DBSnapshots?.[0];
      } catch (e) {
        if (/NotFound/.test((e as { name?: string }).name ?? '')) return undefined;
        throw e;
      }
    };
    return [
      {
        key: `snapshots/${target.kind}/${keySegment(target.id)}.json`,
        subject: `${cluster ? 'cluster snapshot' : 'snapshot'} ${snap} of ${target.id}`,
        collect: async () => {
          let found = await call(this.deps, cluster ? 'rds:DescribeDBClusterSnapshots' : 'rds:DescribeDBSnapshots', snap, describe);
          if (!found) {
            await call(this.deps, cluster ? 'rds:CreateDBClusterSnapshot' : 'rds:CreateDBSnapshot', target.id, () =>
              cluster
                ? this.client.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: target.id, DBClusterSnapshotIdentifier: snap, Tags: tags }))
                : this.client.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: target.id, DBSnapshotIdentifier: snap, Tags: tags })),
            );
            found = await call(this.deps, cluster ? 'rds:DescribeDBClusterSnapshots' : 'rds:DescribeDBSnapshots', snap, describe);
          }
          if (!found) throw new ProviderError(`snapshot ${snap} was created but cannot be described`, { provider: 'aws', operation: 'rds:DescribeDBSnapshots', retryable: true });
          return json({ kind: target.kind, source: target.id, snapshot: found });
        },
      },
    ];
  }
}

/** EBS volume snapshots, tagged with the incident on create. */
export class EbsSnapshotSource implements EvidenceSource {
  constructor(
    private readonly client: EC2Client,
    private readonly deps: Deps,
  ) {}

  async pieces(target: EvidenceTarget, _window: EvidenceWindow, ctx: EvidenceSourceContext): Promise<EvidencePiece[]> {
    const vols = await call(this.deps, 'ec2:DescribeVolumes', target.id, () => this.client.send(new DescribeVolumesCommand({ VolumeIds: [target.id] }))).catch((e: unknown) => {
      throw new InputError(`volume ${target.id} cannot be read: ${(e as Error).message}`, { field: 'targets', code: 'TARGET_NOT_FOUND' });
    });
    if (!vols.Volumes?.length) throw new InputError(`volume ${target.id} does not exist`, { field: 'targets', code: 'TARGET_NOT_FOUND' });
    const find = async () =>
      (
        await call(this.deps, 'ec2:DescribeSnapshots', target.id, () =>
          this.client.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: [target.id] }, { Name: `tag:${INCIDENT_TAG}`, Values: [ctx.incidentId] }] })),
        )
      ).Snapshots?.[0];
    return [
      {
        key: `snapshots/ebs/${target.id}.json`,
        subject: `snapshot of ${target.id}`,
        collect: async () => {
          let snap = await find();
          if (!snap) {
            await call(this.deps, 'ec2:CreateSnapshot', target.id, () =>
              this.client.send(
                new CreateSnapshotCommand({
                  VolumeId: target.id,
                  Description: `firebreak evidence for ${ctx.incidentId}`,
                  TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: INCIDENT_TAG, Value: ctx.incidentId }] }],
                }),
              ),
            );
            snap = await find();
          }
          if (!snap) throw new ProviderError(`a snapshot of ${target.id} was created but cannot be found`, { provider: 'aws', operation: 'ec2:DescribeSnapshots', retryable: true });
          return json({ kind: 'ebs', source: target.id, snapshot: snap });
        },
      },
    ];
  }
}

/**
 * S3: every version under the suspect prefix (delete markers too, in the inventory), copied as it
 * was, plus one inventory object listing them all. Versions are immutable, so a re-run copies only
 * the ones not kept yet.
 */
export class S3VersionsSource implements EvidenceSource {
  constructor(
    private readonly client: S3Client,
    private readonly deps: Deps & { maxObjectBytes?: number },
  ) {}

  async pieces(target: EvidenceTarget, window: EvidenceWindow): Promise<EvidencePiece[]> {
    const slash = target.id.indexOf('/');
    const bucket = slash < 0 ? target.id : target.id.slice(0, slash);
    const prefix = slash < 0 ? '' : target.id.slice(slash + 1);
    const versions: Array<{ key: string; versionId: string; size: number; lastModified?: string; etag?: string; isLatest?: boolean }> = [];
    const markers: Array<{ key: string; versionId: string; lastModified?: string; isLatest?: boolean }> = [];
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await call(this.deps, 's3:ListBucketVersions', bucket, () =>
        this.client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker } : {}), ...(versionMarker ? { VersionIdMarker: versionMarker } : {}) })),
      );
      for (const v of page.Versions ?? []) {
        if (!v.Key) continue;
        versions.push({ key: v.Key, versionId: v.VersionId ?? 'null', size: v.Size ?? 0, lastModified: v.LastModified?.toISOString(), etag: v.ETag, isLatest: v.IsLatest });
      }
      for (const m of page.DeleteMarkers ?? []) if (m.Key) markers.push({ key: m.Key, versionId: m.VersionId ?? 'null', lastModified: m.LastModified?.toISOString(), isLatest: m.IsLatest });
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    const base = `s3/${keySegment(bucket)}/`;
    const max = this.deps.maxObjectBytes ?? 512 << 20;
    const pieces: EvidencePiece[] = versions.map((v) => ({
      key: `${base}objects/${keySegment(v.key)}@${keySegment(v.versionId)}`,
      subject: `s3://${bucket}/${v.key} version ${v.versionId}`,
      collect: async () => {
        if (v.size > max) throw new InputError(`s3://${bucket}/${v.key} version ${v.versionId} is ${v.size} bytes, over the ${max}-byte copy limit; copy it with S3 Batch Operations and record it by hand`, { field: 'targets', code: 'OBJECT_TOO_LARGE' });
        const out = await call(this.deps, 's3:GetObjectVersion', `${bucket}/${v.key}`, () => this.client.send(new GetObjectCommand({ Bucket: bucket, Key: v.key, VersionId: v.versionId })));
        return { body: Buffer.from(await out.Body!.transformToByteArray()) };
      },
    }));
    pieces.push({
      key: `${base}inventory/${keySegment(prefix || '_all')}@${window.from}_${window.to}.json`,
      subject: `inventory of s3://${bucket}/${prefix} (${versions.length} version(s), ${markers.length} delete marker(s))`,
      collect: async () => json({ bucket, prefix, listedWindow: window, versions, deleteMarkers: markers }),
    });
    return pieces;
  }
}

/** GuardDuty findings updated in the window, as NDJSON (ListFindings by updatedAt, GetFindings 50 at a time). */
export class GuardDutySource implements EvidenceSource {
  constructor(
    private readonly client: GuardDutyClient,
    private readonly deps: Deps & { detectorId?: string | undefined },
  ) {}

  async pieces(target: EvidenceTarget, window: EvidenceWindow): Promise<EvidencePiece[]> {
    const detector = target.id || this.deps.detectorId;
    if (!detector) throw new InputError('guardduty needs a detector id: guardduty:<detector-id>, or the kit variable FIREBREAK_GUARDDUTY_DETECTOR_ID', { field: 'targets', code: 'TARGET_INVALID' });
    return [
      {
        key: `guardduty/${detector}/${window.from}_${window.to}.ndjson`,
        subject: `GuardDuty findings of detector ${detector} updated ${window.from} to ${window.to}`,
        collect: async () => {
          const ids: string[] = [];
          let token: string | undefined;
          do {
            const page = await call(this.deps, 'guardduty:ListFindings', detector, () =>
              this.client.send(
                new ListFindingsCommand({
                  DetectorId: detector,
                  FindingCriteria: { Criterion: { updatedAt: { GreaterThanOrEqual: ms(window.from), LessThan: ms(window.to) } } },
                  MaxResults: 50,
                  ...(token ? { NextToken: token } : {}),
                }),
              ),
            );
            ids.push(...(page.FindingIds ?? []));
            token = page.NextToken || undefined;
          } while (token);
          const lines: string[] = [];
          for (let i = 0; i < ids.length; i += 50) {
            const batch = ids.slice(i, i + 50);
            const out = await call(this.deps, 'guardduty:GetFindings', detector, () => this.client.send(new GetFindingsCommand({ DetectorId: detector, FindingIds: batch })));
            for (const f of out.Findings ?? []) lines.push(JSON.stringify(f));
          }
          return { body: Buffer.from(lines.length ? `${lines.join('\n')}\n` : '', 'utf8'), contentType: 'application/x-ndjson' };
        },
      },
    ];
  }
}

export { CloudWatchLogsClient, EC2Client, GuardDutyClient, RDSClient };
