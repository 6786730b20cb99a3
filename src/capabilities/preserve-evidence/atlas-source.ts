import type { EvidenceWindow } from '../../core/evidence/manifest.js';
import { keySegment, type EvidenceTarget } from '../../core/evidence/targets.js';
import { InputError, ProviderError } from '../../core/errors.js';
import { AtlasAdmin, type AtlasAdminOptions } from '../rotate-secret/atlas-admin.js';
import type { EvidencePiece, EvidenceSource, EvidenceSourceContext } from './ports.js';

/** What Atlas says about a cloud backup snapshot (DiskBackupReplicaSet); kept whole as the evidence. */
export interface AtlasSnapshotView {
  id: string;
  description?: string;
  status?: string;
  [field: string]: unknown;
}

/** The Atlas Admin API's cloud backup calls, on the rotate-secret client (same service-account OAuth). */
export class AtlasBackupApi extends AtlasAdmin {
  /** A project id from an id or a project name (`getGroupByName`); undefined when there is none. */
  async projectId(project: string): Promise<string | undefined> {
    if (/^[0-9a-f]{24}$/.test(project)) return project;
    const r = await this.call('GET', `groups/byName/${encodeURIComponent(project)}`, undefined, 'getGroupByName', true);
    return r.status === 404 ? undefined : String(r.json?.id);
  }

  /** Every snapshot of the cluster; undefined when the project or cluster does not exist. */
  async listSnapshots(groupId: string, cluster: string): Promise<AtlasSnapshotView[] | undefined> {
    const out: AtlasSnapshotView[] = [];
    for (let page = 1; ; page++) {
      const r = await this.call('GET', `groups/${groupId}/clusters/${encodeURIComponent(cluster)}/backup/snapshots?itemsPerPage=100&pageNum=${page}`, undefined, 'listBackupSnapshots', true);
      if (r.status === 404) return undefined;
      const results = (r.json?.results ?? []) as AtlasSnapshotView[];
      out.push(...results);
      if (results.length < 100 || out.length >= Number(r.json?.totalCount ?? 0)) return out;
    }
  }

  async takeSnapshot(groupId: string, cluster: string, description: string, retentionInDays: number): Promise<AtlasSnapshotView> {
    // Not retried: a lost answer would take a second snapshot; the caller lists by description instead.
    const r = await this.call('POST', `groups/${groupId}/clusters/${encodeURIComponent(cluster)}/backup/snapshots`, { description, retentionInDays }, 'takeSnapshots', false);
    if (r.status === 404) throw new ProviderError(`atlas: cluster ${cluster} disappeared before its snapshot was taken`, { provider: 'atlas', operation: 'takeSnapshots', status: 404, retryable: false });
    return r.json as AtlasSnapshotView;
  }

  async getSnapshot(groupId: string, cluster: string, id: string): Promise<AtlasSnapshotView | undefined> {
    const r = await this.call('GET', `groups/${groupId}/clusters/${encodeURIComponent(cluster)}/backup/snapshots/${encodeURIComponent(id)}`, undefined, 'getClusterBackupSnapshot', true);
    return r.status === 404 ? undefined : (r.json as AtlasSnapshotView);
  }
}

export interface AtlasSnapshotSourceOptions {
  /** Days Atlas keeps the on-demand snapshot (default 90: long enough for counsel to ask). */
  retentionInDays?: number;
  pollMs?: number;
  maxPolls?: number;
}

/**
 * MongoDB Atlas cloud backup: one on-demand snapshot per cluster and incident, described
 * `incident-<id>` so a re-run finds it instead of taking another; the evidence object is the
 * snapshot's description once Atlas reports it completed.
 */
export class AtlasSnapshotSource implements EvidenceSource {
  constructor(
    private readonly api: AtlasBackupApi | undefined,
    private readonly opts: AtlasSnapshotSourceOptions = {},
  ) {}

  async pieces(target: EvidenceTarget, _window: EvidenceWindow, ctx: EvidenceSourceContext): Promise<EvidencePiece[]> {
    const api = this.api;
    if (!api) {
      throw new InputError(`${target.label}: Atlas is not configured: set FIREBREAK_ATLAS_CLIENT_ID and FIREBREAK_ATLAS_CLIENT_SECRET (an Atlas service account with Project Backup Manager on the project)`, {
        field: 'targets',
        code: 'CONFIG_INVALID',
      });
    }
    const slash = target.id.lastIndexOf('/');
    const project = target.id.slice(0, slash);
    const cluster = target.id.slice(slash + 1);
    const groupId = await api.projectId(project);
    if (!groupId) throw new InputError(`${target.label}: there is no Atlas project ${project} this service account can see`, { field: 'targets', code: 'TARGET_NOT_FOUND' });
    // Read in plan: an unknown cluster is refused before anything is taken.
    const existing = await api.listSnapshots(groupId, cluster);
    if (!existing) throw new InputError(`${target.label}: there is no cluster ${cluster} in Atlas project ${project}`, { field: 'targets', code: 'TARGET_NOT_FOUND' });
    const description = `incident-${ctx.incidentId}`;
    return [
      {
        key: `snapshots/atlas/${keySegment(groupId)}/${keySegment(cluster)}.json`,
        subject: `Atlas snapshot "${description}" of ${project}/${cluster}`,
        collect: async () => {
          const found = (await api.listSnapshots(groupId, cluster))?.find((s) => s.description === description && s.status !== 'failed');
          let snap = found ?? (await api.takeSnapshot(groupId, cluster, description, this.opts.retentionInDays ?? 90));
          if (!found) ctx.progress(`atlas: took snapshot ${snap.id} of ${project}/${cluster}`);
          for (let i = 0; snap.status !== 'completed'; i++) {
            if (snap.status === 'failed') throw new ProviderError(`atlas snapshot ${snap.id} of ${project}/${cluster} failed; re-run to take another`, { provider: 'atlas', operation: 'takeSnapshots', retryable: true });
            if (i >= (this.opts.maxPolls ?? 240)) {
              throw new ProviderError(`atlas snapshot ${snap.id} of ${project}/${cluster} is still ${snap.status}; re-run later: it is found by its description, not taken again`, { provider: 'atlas', operation: 'getClusterBackupSnapshot', retryable: true });
            }
            ctx.progress(`atlas: snapshot ${snap.id} of ${project}/${cluster} is ${snap.status}`);
            await ctx.sleep(this.opts.pollMs ?? 15_000);
            const now = await api.getSnapshot(groupId, cluster, snap.id);
            if (!now) throw new ProviderError(`atlas snapshot ${snap.id} of ${project}/${cluster} disappeared`, { provider: 'atlas', operation: 'getClusterBackupSnapshot', status: 404, retryable: true });
            snap = now;
          }
          return { body: Buffer.from(`${JSON.stringify({ kind: 'atlas', source: `${project}/${cluster}`, groupId, snapshot: snap }, null, 2)}\n`, 'utf8'), contentType: 'application/json' };
        },
      },
    ];
  }
}

export type { AtlasAdminOptions };
