import type { EcsServices } from '../../core/ports/ecs.js';
import type { VerifyAfterPorts } from '../shared/health-after.js';

/**
 * What rollback needs from each place a deploy can be rolled back. One small port per provider;
 * the step picks one by the target's `provider:kind`.
 */

// ── GitHub: deployments, and git data for a restoring commit ───────────────────────────────────

export interface DeploymentInfo {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  createdAt: string;
  payload: unknown;
  /** Status states, newest first (`success`, `inactive`, `failure`, `in_progress` …). */
  statuses: string[];
}

export interface CommitInfo {
  sha: string;
  tree: string;
  message: string;
  parents: string[];
}

export interface PullInfo {
  number: number;
  url: string;
  state: 'open' | 'closed';
  merged: boolean;
}

export interface GitHubDeploys {
  /** `owner/repo`. */
  readonly repository: string;
  /** Deployments of an environment, newest first, at most `limit`, each with its statuses. */
  deployments(environment: string, limit: number): Promise<DeploymentInfo[]>;
  /** Not retried on an ambiguous failure: the next run finds it by its marker instead. */
  createDeployment(d: { sha: string; environment: string; description: string; payload: Record<string, unknown> }): Promise<{ id: number }>;
  defaultBranch(): Promise<string>;
  /** Commit sha a branch points at; undefined when there is no such branch. */
  branchHead(branch: string): Promise<string | undefined>;
  /** A commit by full or abbreviated sha; undefined when unknown. */
  commit(sha: string): Promise<CommitInfo | undefined>;
  createCommit(c: { message: string; tree: string; parents: string[] }): Promise<string>;
  createBranch(branch: string, sha: string): Promise<void>;
  /** Moves a branch, never forcing; a protected branch or a non-fast-forward is refused by GitHub. */
  updateBranch(branch: string, sha: string): Promise<void>;
  /** The pull request (any state) whose head is `branch`, if one exists. */
  findPull(branch: string): Promise<PullInfo | undefined>;
  createPull(p: { title: string; head: string; base: string; body: string }): Promise<PullInfo>;
}

// ── Cloudflare Workers: versions and deployments ────────────────────────────────────────────────

export interface WorkerVersionInfo {
  id: string;
  number: number;
  createdOn: string;
}

export interface WorkerDeploymentInfo {
  id: string;
  createdOn: string;
  versions: { versionId: string; percentage: number }[];
  message: string | undefined;
}

export interface WorkersDeploys {
  /** Versions newest first, at most `limit`. */
  versions(script: string, limit: number): Promise<WorkerVersionInfo[]>;
  /** Deployments newest first (the first one is live). */
  deployments(script: string): Promise<WorkerDeploymentInfo[]>;
  /**
   * Deploys one version at 100%. Throws WorkerSecretsChangedError when Cloudflare refuses because
   * secrets or bindings changed since that version (code 10220) and `force` was not given.
   */
  deploy(script: string, versionId: string, message: string, force: boolean): Promise<{ id: string }>;
}

export class WorkerSecretsChangedError extends Error {
  readonly code = 10220;
}

// ── Argo CD: Applications and their sync history ────────────────────────────────────────────────

export interface ArgoHistoryEntry {
  id: number;
  revision: string;
  deployedAt: string | undefined;
}

export interface ArgoApplicationInfo {
  name: string;
  namespace: string | undefined;
  project: string;
  /** Whether automated sync is on: Argo CD refuses a rollback then (it would re-sync over it). */
  autoSync: boolean;
  /** The revision the app is synced to now. */
  syncedRevision: string | undefined;
  history: ArgoHistoryEntry[];
  annotations: Record<string, string>;
  /** A sync or rollback operation is running now. */
  operationRunning: boolean;
}

export interface ArgoApplications {
  /** undefined when there is no such Application (or the token may not see it). */
  get(name: string, namespace: string | undefined): Promise<ArgoApplicationInfo | undefined>;
  /** Sets one annotation (merge patch): the marker a re-run recognises. */
  annotate(name: string, namespace: string | undefined, key: string, value: string): Promise<void>;
  rollback(name: string, namespace: string | undefined, id: number): Promise<void>;
}

// ── all of them ─────────────────────────────────────────────────────────────────────────────────

export interface EcsRollbackPorts {
  services: EcsServices;
  /** The service's rollback marker tag, if any (by service ARN). */
  marker(serviceArn: string): Promise<string | undefined>;
  setMarker(serviceArn: string, value: string): Promise<void>;
}

export interface RollbackPorts {
  github(repository: string | undefined): GitHubDeploys;
  ecs(scope: { account?: string | undefined; region?: string | undefined }): EcsRollbackPorts;
  workers(account: string | undefined): WorkersDeploys;
  argocd(): ArgoApplications;
  /** Health checks after applying; absent: no checks configured (a `verify` name is then refused). */
  verify?: VerifyAfterPorts | undefined;
}
