import type { Octokit } from '@octokit/rest';
import { ProviderError } from '../../core/errors.js';
import { githubCall, isNotFound, type GitHubCallOptions } from '../../providers/github/rest-call.js';
import type { DeployControls, EnvironmentSettings, VariableScope, WorkflowInfo, WorkflowState } from './ports.js';

/** DeployControls over the GitHub REST API (needs an App token: GITHUB_TOKEN cannot write variables or environments). */
export class GitHubDeployControls implements DeployControls {
  readonly repository: string;

  constructor(
    private readonly octokit: Octokit,
    private readonly where: { owner: string; repo: string },
    private readonly opts: GitHubCallOptions,
  ) {
    this.repository = `${where.owner}/${where.repo}`;
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return githubCall(this.opts, operation, fn);
  }

  async getVariable(scope: VariableScope, name: string): Promise<string | undefined> {
    try {
      const { data } = scope.environment
        ? await this.call('actions.getEnvironmentVariable', () => this.octokit.rest.actions.getEnvironmentVariable({ ...this.where, environment_name: scope.environment!, name }))
        : await this.call('actions.getRepoVariable', () => this.octokit.rest.actions.getRepoVariable({ ...this.where, name }));
      return data.value;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async setVariable(scope: VariableScope, name: string, value: string): Promise<void> {
    const existing = await this.getVariable(scope, name);
    if (scope.environment) {
      const args = { ...this.where, environment_name: scope.environment, name, value };
      if (existing === undefined) await this.call('actions.createEnvironmentVariable', () => this.octokit.rest.actions.createEnvironmentVariable(args));
      else await this.call('actions.updateEnvironmentVariable', () => this.octokit.rest.actions.updateEnvironmentVariable(args));
      return;
    }
    const args = { ...this.where, name, value };
    if (existing === undefined) await this.call('actions.createRepoVariable', () => this.octokit.rest.actions.createRepoVariable(args));
    else await this.call('actions.updateRepoVariable', () => this.octokit.rest.actions.updateRepoVariable(args));
  }

  async deleteVariable(scope: VariableScope, name: string): Promise<void> {
    try {
      if (scope.environment) await this.call('actions.deleteEnvironmentVariable', () => this.octokit.rest.actions.deleteEnvironmentVariable({ ...this.where, environment_name: scope.environment!, name }));
      else await this.call('actions.deleteRepoVariable', () => this.octokit.rest.actions.deleteRepoVariable({ ...this.where, name }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  async workflow(file: string): Promise<WorkflowInfo | undefined> {
    try {
      const { data } = await this.call('actions.getWorkflow', () => this.octokit.rest.actions.getWorkflow({ ...this.where, workflow_id: file }));
      return { id: data.id, path: data.path, state: data.state as WorkflowState };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async setWorkflowEnabled(id: number, enabled: boolean): Promise<void> {
    if (enabled) await this.call('actions.enableWorkflow', () => this.octokit.rest.actions.enableWorkflow({ ...this.where, workflow_id: id }));
    else await this.call('actions.disableWorkflow', () => this.octokit.rest.actions.disableWorkflow({ ...this.where, workflow_id: id }));
  }

  async environment(name: string): Promise<EnvironmentSettings | undefined> {
    let data;
    try {
      ({ data } = await this.call('repos.getEnvironment', () => this.octokit.rest.repos.getEnvironment({ ...this.where, environment_name: name })));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const settings: EnvironmentSettings = { waitTimer: 0, preventSelfReview: false, reviewers: [], deploymentBranchPolicy: data.deployment_branch_policy ?? null };
    for (const rule of data.protection_rules ?? []) {
      const r = rule as { type: string; wait_timer?: number; prevent_self_review?: boolean; reviewers?: { type?: string; reviewer?: { id?: number } | null }[] };
      if (r.type === 'wait_timer') settings.waitTimer = r.wait_timer ?? 0;
      if (r.type === 'required_reviewers') {
        settings.preventSelfReview = r.prevent_self_review ?? false;
        for (const x of r.reviewers ?? []) {
          if ((x.type === 'User' || x.type === 'Team') && typeof x.reviewer?.id === 'number') settings.reviewers.push({ type: x.type, id: x.reviewer.id });
          else throw new ProviderError(`environment ${name}: a required reviewer without a type and id; refusing to rewrite its protection rules`, { provider: 'github', operation: 'repos.getEnvironment', retryable: false });
        }
      }
    }
    return settings;
  }

  async putEnvironment(name: string, s: EnvironmentSettings): Promise<void> {
    // Every field, always: what is left out is not guaranteed to be kept.
    await this.call('repos.createOrUpdateEnvironment', () =>
      this.octokit.rest.repos.createOrUpdateEnvironment({
        ...this.where,
        environment_name: name,
        wait_timer: s.waitTimer,
        prevent_self_review: s.preventSelfReview,
        reviewers: s.reviewers,
        deployment_branch_policy: s.deploymentBranchPolicy,
      }),
    );
  }
}
