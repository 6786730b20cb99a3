import { createHash, randomInt } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { OrgState } from './org-state.js';

/**
 * The emulator's in-memory model of one repository. Handlers read and change it; tests read it to
 * assert on outcomes (and may seed or nudge it: add workflows, merge a pull request). Decrypted
 * secret values live here and only here: no response, log or request record carries them.
 */

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface PullInfo {
  head: string;
  base: string;
  headSha: string;
  baseSha: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergeCommitSha: string | null;
}

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null;
  /** Label names, in the order they were added. */
  labels: string[];
  assignees: string[];
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Present when the number belongs to a pull request (GitHub shares the sequence). */
  pull?: PullInfo;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface FileRecord {
  content: Buffer;
  sha: string;
}

export interface CommitRecord {
  sha: string;
  message: string;
  parents: string[];
  files: Map<string, FileRecord>;
  date: string;
}

export interface KeyPair {
  keyId: string;
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export interface SecretRecord {
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface VariableRecord {
  value: string;
  createdAt: string;
  updatedAt: string;
}

export interface EnvironmentRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  deploymentBranchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  keys: KeyPair;
  secrets: Map<string, SecretRecord>;
  variables: Map<string, VariableRecord>;
}

export interface WorkflowRecord {
  id: number;
  name: string;
  path: string;
  state: 'active' | 'disabled_manually';
  createdAt: string;
  updatedAt: string;
}

export interface DispatchRecord {
  workflowId: number;
  ref: string;
  inputs: Record<string, unknown>;
  at: string;
  runId: number;
}

export interface DeploymentStatusRecord {
  id: number;
  state: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  originalEnvironment: string;
  description: string | null;
  payload: Record<string, unknown> | string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  createdAt: string;
  updatedAt: string;
  statuses: DeploymentStatusRecord[];
}

export interface StateOptions {
  owner: string;
  repo: string;
  actor: string;
  defaultBranch: string;
  workflows: { path: string; name?: string }[];
  environments: string[];
  /** Deterministic clock for timestamps; defaults to the wall clock. */
  now?: () => Date;
}

/** Documented GitHub limits, in one place. */
export const LIMITS = {
  secretBytes: 48 * 1024,
  variableBytes: 48 * 1024,
  repoSecrets: 100,
  environmentSecrets: 100,
  repoVariables: 500,
  environmentVariables: 100,
  perPageMax: 100,
} as const;

export class GitHubState {
  readonly owner: string;
  readonly repo: string;
  readonly actor: string;
  readonly defaultBranch: string;
  readonly repoId = 424242;
  readonly ownerId = 1001;
  readonly actorId = 2002;
  readonly createdAt: string;

  labels = new Map<string, LabelRecord>();
  issues = new Map<number, IssueRecord>();
  comments = new Map<number, CommentRecord>();
  commits = new Map<string, CommitRecord>();
  /** Full ref name (`refs/heads/main`) → commit sha. */
  refs = new Map<string, string>();
  /** Branches whose rules refuse updates through the git refs API (rollback's push must go through a PR). */
  protectedBranches = new Set<string>();
  repoKeys!: KeyPair;
  repoSecrets = new Map<string, SecretRecord>();
  repoVariables = new Map<string, VariableRecord>();
  environments = new Map<string, EnvironmentRecord>();
  workflows = new Map<number, WorkflowRecord>();
  dispatches: DispatchRecord[] = [];
  deployments = new Map<number, DeploymentRecord>();
  /** The owner as an organisation: members, teams, invitations (handlers-orgs.ts). */
  readonly org = new OrgState();

  private nextId = 1;
  private nextNumber = 1;
  private readonly clock: () => Date;
  private readonly options: StateOptions;

  private constructor(options: StateOptions) {
    this.options = options;
    this.owner = options.owner;
    this.repo = options.repo;
    this.actor = options.actor;
    this.defaultBranch = options.defaultBranch;
    this.clock = options.now ?? (() => new Date());
    this.createdAt = this.now();
  }

  static async create(options: StateOptions): Promise<GitHubState> {
    await sodium.ready;
    const state = new GitHubState(options);
    state.seed();
    return state;
  }

  /** Back to the seeded repository: one commit on the default branch, the configured workflows. */
  reset(): void {
    this.labels.clear();
    this.issues.clear();
    this.comments.clear();
    this.commits.clear();
    this.refs.clear();
    this.protectedBranches.clear();
    this.repoSecrets.clear();
    this.repoVariables.clear();
    this.environments.clear();
    this.workflows.clear();
    this.dispatches = [];
    this.deployments.clear();
    this.org.reset();
    this.nextId = 1;
    this.nextNumber = 1;
    this.seed();
  }

  private seed(): void {
    this.repoKeys = newKeyPair();
    const readme = Buffer.from(`# ${this.repo}\n`);
    const files = new Map<string, FileRecord>([['README.md', { content: readme, sha: blobSha(readme) }]]);
    const sha = this.addCommit('Initial commit', [], files);
    this.refs.set(`refs/heads/${this.defaultBranch}`, sha);
    for (const wf of this.options.workflows) this.addWorkflow(wf.path, wf.name);
    for (const env of this.options.environments) this.upsertEnvironment(env, {});
  }

  now(): string {
    return this.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  id(): number {
    return this.nextId++;
  }

  issueNumber(): number {
    return this.nextNumber++;
  }

  addCommit(message: string, parents: string[], files: Map<string, FileRecord>): string {
    const date = this.now();
    const sha = createHash('sha1')
      .update(`${message}\0${parents.join(',')}\0${date}\0${this.commits.size}\0`)
      .update([...files.entries()].map(([p, f]) => `${p}:${f.sha}`).join('\n'))
      .digest('hex');
    this.commits.set(sha, { sha, message, parents, files, date });
    return sha;
  }

  /** A branch name, full ref or commit sha → commit sha. */
  resolveRef(ref: string): string | undefined {
    if (this.commits.has(ref)) return ref;
    return this.refs.get(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`) ?? this.refs.get(`refs/tags/${ref}`);
  }

  addWorkflow(path: string, name?: string): WorkflowRecord {
    const existing = [...this.workflows.values()].find((w) => w.path === path);
    if (existing) return existing;
    const at = this.now();
    const wf: WorkflowRecord = { id: 161000 + this.id(), name: name ?? path.split('/').pop() ?? path, path, state: 'active', createdAt: at, updatedAt: at };
    this.workflows.set(wf.id, wf);
    return wf;
  }

  /** Workflow by numeric id or file name (`block-ips.yml`), as the API accepts both. */
  findWorkflow(idOrFile: unknown): WorkflowRecord | undefined {
    if (typeof idOrFile === 'number') return this.workflows.get(idOrFile);
    const key = String(idOrFile);
    if (/^\d+$/.test(key)) return this.workflows.get(Number(key));
    return [...this.workflows.values()].find((w) => w.path.split('/').pop() === key || w.path === key);
  }

  upsertEnvironment(
    name: string,
    settings: { waitTimer?: number; preventSelfReview?: boolean; reviewers?: EnvironmentRecord['reviewers']; deploymentBranchPolicy?: EnvironmentRecord['deploymentBranchPolicy'] },
  ): EnvironmentRecord {
    const at = this.now();
    let env = this.environments.get(name);
    if (!env) {
      env = {
        id: 700000 + this.id(),
        name,
        createdAt: at,
        updatedAt: at,
        waitTimer: 0,
        preventSelfReview: false,
        reviewers: [],
        deploymentBranchPolicy: null,
        keys: newKeyPair(),
        secrets: new Map(),
        variables: new Map(),
      };
      this.environments.set(name, env);
    }
    if (settings.waitTimer !== undefined) env.waitTimer = settings.waitTimer;
    if (settings.preventSelfReview !== undefined) env.preventSelfReview = settings.preventSelfReview;
    if (settings.reviewers !== undefined) env.reviewers = settings.reviewers;
    if (settings.deploymentBranchPolicy !== undefined) env.deploymentBranchPolicy = settings.deploymentBranchPolicy;
    env.updatedAt = at;
    return env;
  }

  /** Test-only: the decrypted value of a repository or environment secret. */
  secretValue(name: string, environment?: string): string | undefined {
    const store = environment === undefined ? this.repoSecrets : this.environments.get(environment)?.secrets;
    return store?.get(name.toUpperCase())?.value;
  }

  /** Test-only: merge a pull request (what a reviewer would do in the UI). */
  mergePull(number: number): IssueRecord {
    const issue = this.issues.get(number);
    if (!issue?.pull) throw new Error(`#${number} is not a pull request`);
    const at = this.now();
    const headSha = this.resolveRef(issue.pull.head) ?? issue.pull.headSha;
    const baseSha = this.resolveRef(issue.pull.base) ?? issue.pull.baseSha;
    const files = new Map([...(this.commits.get(baseSha)?.files ?? []), ...(this.commits.get(headSha)?.files ?? [])]);
    const merge = this.addCommit(`Merge pull request #${number}`, [baseSha, headSha], files);
    this.refs.set(`refs/heads/${issue.pull.base}`, merge);
    issue.pull.merged = true;
    issue.pull.mergedAt = at;
    issue.pull.mergeCommitSha = merge;
    issue.state = 'closed';
    issue.closedAt = at;
    issue.updatedAt = at;
    return issue;
  }

  /** Files of a commit, for assertions (`text(state.file('main', 'docs/x.md'))`). */
  file(ref: string, path: string): string | undefined {
    const sha = this.resolveRef(ref);
    return sha ? this.commits.get(sha)?.files.get(path)?.content.toString('utf8') : undefined;
  }
}

export function newKeyPair(): KeyPair {
  const pair = sodium.crypto_box_keypair();
  // GitHub key ids are long decimal strings.
  const keyId = `${randomInt(1, 9)}${Array.from({ length: 19 }, () => randomInt(0, 10)).join('')}`;
  return { keyId, publicKey: pair.publicKey, privateKey: pair.privateKey };
}

export function publicKeyBase64(keys: KeyPair): string {
  return sodium.to_base64(keys.publicKey, sodium.base64_variants.ORIGINAL);
}

/** Opens a sealed box sent as base64; undefined when it is not one for this key. */
export function openSealedBox(keys: KeyPair, encryptedBase64: string): string | undefined {
  try {
    const cipher = sodium.from_base64(encryptedBase64, sodium.base64_variants.ORIGINAL);
    const plain = sodium.crypto_box_seal_open(cipher, keys.publicKey, keys.privateKey);
    return sodium.to_string(plain);
  } catch {
    return undefined;
  }
}

/** What a client does: seal a value for a public key (exported for tests and the drill). */
export async function sealForPublicKey(publicKeyB64: string, value: string): Promise<string> {
  await sodium.ready;
  const key = sodium.from_base64(publicKeyB64, sodium.base64_variants.ORIGINAL);
  return sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(value), key), sodium.base64_variants.ORIGINAL);
}

/** git's blob id: sha1("blob <len>\0<content>"). */
export function blobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
