import type { Octokit } from '@octokit/rest';
import { ProviderError } from '../../core/errors.js';
import { githubCall, isNotFound, type GitHubCallOptions } from '../../providers/github/rest-call.js';
import type { CommitInfo, DeploymentInfo, GitHubDeploys, PullInfo } from './ports.js';

/** GitHubDeploys over the REST API: deployments and their statuses, git commits and refs, pulls. */
export class GitHubRestDeploys implements GitHubDeploys {
  readonly repository: string;

  constructor(
    private readonly octokit: Octokit,
    private readonly where: { owner: string; repo: string },
    private readonly opts: GitHubCallOptions,
  ) {
    this.repository = `${where.owner}/${where.repo}`;
  }

  private call<T>(operation: string, fn: () => Promise<T>, retry = true): Promise<T> {
    return githubCall(this.opts, operation, fn, retry);
  }

  async deployments(environment: string, limit: number): Promise<DeploymentInfo[]> {
    const { data } = await this.call('repos.listDeployments', () => this.octokit.rest.repos.listDeployments({ ...this.where, environment, per_page: Math.min(limit, 100) }));
    const out: DeploymentInfo[] = [];
    for (const d of data.slice(0, limit)) {
      const statuses = await this.call('repos.listDeploymentStatuses', () => this.octokit.rest.repos.listDeploymentStatuses({ ...this.where, deployment_id: d.id, per_page: 100 }));
      out.push({ id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, createdAt: d.created_at, payload: d.payload, statuses: statuses.data.map((s) => s.state) });
    }
    return out;
  }

  async createDeployment(d: { sha: string; environment: string; description: string; payload: Record<string, unknown> }): Promise<{ id: number }> {
    const res = await this.call(
      'repos.createDeployment',
      () =>
        this.octokit.rest.repos.createDeployment({
          ...this.where,
          ref: d.sha,
          environment: d.environment,
          description: d.description,
          payload: d.payload,
          // A rollback deploys exactly the known-good commit: no merge of the default branch into it,
          // and no status checks (they ran when that commit was first deployed).
          auto_merge: false,
          required_contexts: [],
          task: 'deploy',
        }),
      false,
    );
    const id = (res.data as { id?: number }).id;
    // 202 answers carry only a message (GitHub merged the default branch first): not a deployment of the SHA.
    if (typeof id !== 'number') throw new ProviderError(`GitHub repos.createDeployment answered ${res.status} without a deployment: ${JSON.stringify(res.data).slice(0, 200)}`, { provider: 'github', operation: 'repos.createDeployment', status: res.status, retryable: false });
    return { id };
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.call('repos.get', () => this.octokit.rest.repos.get(this.where));
    return data.default_branch;
  }

  async branchHead(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.call('git.getRef', () => this.octokit.rest.git.getRef({ ...this.where, ref: `heads/${branch}` }));
      return data.object.sha;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    try {
      const { data } = await this.call('git.getCommit', () => this.octokit.rest.git.getCommit({ ...this.where, commit_sha: sha }));
      return { sha: data.sha, tree: data.tree.sha, message: data.message, parents: data.parents.map((p) => p.sha) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async createCommit(c: { message: string; tree: string; parents: string[] }): Promise<string> {
    // Retried: a second identical commit is an unreferenced object, harmless.
    const { data } = await this.call('git.createCommit', () => this.octokit.rest.git.createCommit({ ...this.where, ...c }));
    return data.sha;
  }

  async createBranch(branch: string, sha: string): Promise<void> {
    await this.call('git.createRef', () => this.octokit.rest.git.createRef({ ...this.where, ref: `refs/heads/${branch}`, sha }), false);
  }

  async updateBranch(branch: string, sha: string): Promise<void> {
    await this.call('git.updateRef', () => this.octokit.rest.git.updateRef({ ...this.where, ref: `heads/${branch}`, sha, force: false }), false);
  }

  async findPull(branch: string): Promise<PullInfo | undefined> {
    const { data } = await this.call('pulls.list', () => this.octokit.rest.pulls.list({ ...this.where, head: `${this.where.owner}:${branch}`, state: 'all', per_page: 10 }));
    const p = data[0];
    return p ? { number: p.number, url: p.html_url, state: p.state === 'closed' ? 'closed' : 'open', merged: !!p.merged_at } : undefined;
  }

  async createPull(p: { title: string; head: string; base: string; body: string }): Promise<PullInfo> {
    const { data } = await this.call('pulls.create', () => this.octokit.rest.pulls.create({ ...this.where, ...p }), false);
    return { number: data.number, url: data.html_url, state: data.state === 'closed' ? 'closed' : 'open', merged: data.merged };
  }
}
