import { randomBytes } from 'node:crypto';
import type { HandlerInput, HandlerOutput } from '../openapi/http-emulator.js';
import { atlasError } from './handlers.js';
import type { AtlasState } from './state.js';

/**
 * Atlas Administration API v2 cloud backup snapshots (issue 14, preserve-evidence), written from
 * MongoDB's API reference: find a project by name, list a cluster's snapshots, take one on demand,
 * read one. A snapshot moves queued → inProgress → completed one step per read, so a client that
 * polls sees every state without the emulator keeping time. Projects and clusters are seeded by tests
 * (`atlasBackups(emu.state).addCluster(…)`); a cluster that was not seeded answers 404 as Atlas does.
 */

type In = HandlerInput<AtlasState>;

export interface AtlasSnapshot {
  id: string;
  description: string;
  retentionInDays: number;
  status: 'queued' | 'inProgress' | 'completed' | 'failed';
  createdAt: string;
  /** Test hook: the snapshot ends `failed` instead of `completed`. */
  failing?: boolean;
}

interface Cluster {
  name: string;
  snapshots: AtlasSnapshot[];
}

interface Project {
  id: string;
  name: string;
  orgId: string;
  created: string;
  clusters: Map<string, Cluster>;
}

export class AtlasBackups {
  readonly projects = new Map<string, Project>();
  /** How many on-demand snapshots were taken (tests: "a re-run takes none"). */
  taken = 0;
  /** The next snapshot taken ends `failed` (test hook). */
  failNext = false;

  addCluster(c: { groupId: string; projectName: string; clusterName: string; orgId?: string }): void {
    let p = this.projects.get(c.groupId);
    if (!p) {
      p = { id: c.groupId, name: c.projectName, orgId: c.orgId ?? 'a0123456789abcdef0123456', created: '2026-01-05T09:00:00Z', clusters: new Map() };
      this.projects.set(c.groupId, p);
    }
    if (!p.clusters.has(c.clusterName)) p.clusters.set(c.clusterName, { name: c.clusterName, snapshots: [] });
  }

  snapshots(groupId: string, clusterName: string): AtlasSnapshot[] {
    return this.projects.get(groupId)?.clusters.get(clusterName)?.snapshots ?? [];
  }
}

const stores = new WeakMap<AtlasState, AtlasBackups>();

/** The backup side of an Atlas emulator's state (kept beside AtlasState, which holds users and access lists). */
export function atlasBackups(state: AtlasState): AtlasBackups {
  let s = stores.get(state);
  if (!s) {
    s = new AtlasBackups();
    stores.set(state, s);
  }
  return s;
}

const link = (href: string) => [{ href, rel: 'self' }];
const base = 'https://cloud.mongodb.com/api/atlas/v2';

function cluster(input: In): { groupId: string; cluster: Cluster } {
  const groupId = String(input.params.groupId);
  const name = String(input.params.clusterName);
  const p = atlasBackups(input.state).projects.get(groupId);
  if (!p) throw atlasError(404, 'GROUP_NOT_FOUND', `No group with ID ${groupId} exists.`);
  const c = p.clusters.get(name);
  if (!c) throw atlasError(404, 'CLUSTER_NOT_FOUND', `No cluster named ${name} exists in group ${groupId}.`);
  return { groupId, cluster: c };
}

function snapshotView(groupId: string, clusterName: string, s: AtlasSnapshot) {
  const expires = new Date(Date.parse(s.createdAt) + s.retentionInDays * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    cloudProvider: 'AWS',
    copyRegions: [],
    createdAt: s.createdAt,
    description: s.description,
    expiresAt: expires,
    frequencyType: 'ondemand',
    id: s.id,
    links: link(`${base}/groups/${groupId}/clusters/${clusterName}/backup/snapshots/${s.id}`),
    mongodVersion: '7.0.14',
    policyItems: [],
    replicaSetName: clusterName,
    snapshotType: 'onDemand',
    status: s.status,
    storageSizeBytes: s.status === 'completed' ? 1_048_576 : 0,
    type: 'replicaSet',
  };
}

export const ATLAS_SNAPSHOT_HANDLERS: Record<string, (input: In) => HandlerOutput> = {
  getGroupByName(input) {
    const name = String(input.params.groupName);
    const p = [...atlasBackups(input.state).projects.values()].find((x) => x.name === name);
    if (!p) throw atlasError(404, 'GROUP_NAME_NOT_FOUND', `No group with name ${name} exists.`);
    return { status: 200, body: { clusterCount: p.clusters.size, created: p.created, id: p.id, links: link(`${base}/groups/${p.id}`), name: p.name, orgId: p.orgId, tags: [] } };
  },

  listBackupSnapshots(input) {
    const { groupId, cluster: c } = cluster(input);
    const per = Number(input.query.get('itemsPerPage') ?? 100);
    const page = Number(input.query.get('pageNum') ?? 1);
    const all = c.snapshots;
    const results = all.slice((page - 1) * per, page * per).map((s) => snapshotView(groupId, c.name, s));
    return { status: 200, body: { links: link(`${base}/groups/${groupId}/clusters/${c.name}/backup/snapshots`), results, totalCount: all.length } };
  },

  takeSnapshots(input) {
    const { groupId, cluster: c } = cluster(input);
    const body = (input.body ?? {}) as { description?: string; retentionInDays?: number };
    const backups = atlasBackups(input.state);
    // Atlas refuses a second on-demand snapshot while one of the cluster's is still running.
    if (c.snapshots.some((s) => s.status === 'queued' || s.status === 'inProgress')) {
      throw atlasError(409, 'CANNOT_TAKE_SNAPSHOT_WHILE_ANOTHER_IS_IN_PROGRESS', `A snapshot of cluster ${c.name} is already in progress.`);
    }
    const snap: AtlasSnapshot = {
      id: randomBytes(12).toString('hex'),
      description: body.description ?? '',
      retentionInDays: body.retentionInDays ?? 1,
      status: 'queued',
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(backups.failNext ? { failing: true } : {}),
    };
    backups.failNext = false;
    backups.taken++;
    c.snapshots.push(snap);
    return { status: 200, body: snapshotView(groupId, c.name, snap) };
  },

  getClusterBackupSnapshot(input) {
    const { groupId, cluster: c } = cluster(input);
    const id = String(input.params.snapshotId);
    const s = c.snapshots.find((x) => x.id === id);
    if (!s) throw atlasError(404, 'SNAPSHOT_NOT_FOUND', `No snapshot with ID ${id} exists for cluster ${c.name}.`);
    const view = snapshotView(groupId, c.name, s);
    if (s.status === 'queued') s.status = 'inProgress';
    else if (s.status === 'inProgress') s.status = s.failing ? 'failed' : 'completed';
    return { status: 200, body: view };
  },
};
