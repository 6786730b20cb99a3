import * as github from '@pulumi/github';
import * as pulumi from '@pulumi/pulumi';
import { KIT_VARIABLES, type KitVariableKey } from '../../src/core/names.js';

export interface IncidentEnvironmentArgs {
  /** Repository name (the owner comes from the github provider's `owner`). */
  repository: string;
  /** Environment name; the responder role's trust pins it in the OIDC `sub`. */
  environment: string;
  /** GitHub logins that may approve a run (at most 6 reviewers in total). */
  reviewerUsers?: string[];
  /** Team slugs that may approve a run. */
  reviewerTeams?: string[];
  /**
   * Required reviewers exist on public repositories, and on private ones only with GitHub
   * Enterprise. Set false on Free/Pro/Team private repositories: the environment then keeps its
   * branch policy and secrets, and docs/operators/required-reviewers.md explains what stands in for the approval.
   */
  requireReviewers?: boolean;
  /** Branch patterns whose workflows may use the environment. */
  deploymentBranches?: string[];
  /** Values `pulumi up` publishes for the actions, keyed by the names in src/core/names.ts. */
  variables: Partial<Record<KitVariableKey, pulumi.Input<string>>>;
}

/**
 * The protected GitHub environment every containment job runs in: required reviewers with
 * self-review prevented and no admin bypass, deployments only from the listed branches, and one
 * environment variable per ARN or id the actions read. Variable names come only from
 * KIT_VARIABLES, so what the kit writes and what the actions read cannot drift apart.
 */
export class IncidentEnvironment extends pulumi.ComponentResource {
  public readonly environmentName: pulumi.Output<string>;
  public readonly variableNames: string[];

  constructor(name: string, args: IncidentEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:github:IncidentEnvironment', name, {}, opts);
    const users = args.reviewerUsers ?? [];
    const teams = args.reviewerTeams ?? [];
    const requireReviewers = args.requireReviewers ?? true;
    if (requireReviewers && users.length + teams.length === 0) {
      throw new Error('IncidentEnvironment: requireReviewers needs at least one reviewer user or team');
    }
    if (users.length + teams.length > 6) {
      throw new Error(`IncidentEnvironment: GitHub allows at most 6 required reviewers, got ${users.length + teams.length}`);
    }
    const branches = args.deploymentBranches ?? ['main'];
    if (branches.length === 0) throw new Error('IncidentEnvironment: deploymentBranches must name at least one branch');
    const child = { parent: this };

    const reviewers = requireReviewers
      ? [
          {
            users: users.map((username) => github.getUserOutput({ username }, child).id.apply(toId)),
            teams: teams.map((slug) => github.getTeamOutput({ slug }, child).id.apply(toId)),
          },
        ]
      : [];
    const environment = new github.RepositoryEnvironment(
      `${name}-environment`,
      {
        repository: args.repository,
        environment: args.environment,
        reviewers,
        // Self-review prevention belongs to required reviewers; plans without them reject it.
        ...(requireReviewers ? { preventSelfReview: true } : {}),
        canAdminsBypass: false,
        deploymentBranchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
      child,
    );
    branches.forEach(
      (branchPattern, i) =>
        new github.RepositoryEnvironmentDeploymentPolicy(
          `${name}-branch-${i}`,
          { repository: args.repository, environment: environment.environment, branchPattern },
          child,
        ),
    );

    this.variableNames = [];
    for (const key of Object.keys(args.variables).sort() as KitVariableKey[]) {
      const value = args.variables[key];
      if (value === undefined) continue;
      const variableName = KIT_VARIABLES[key];
      this.variableNames.push(variableName);
      new github.ActionsEnvironmentVariable(
        `${name}-var-${key}`,
        { repository: args.repository, environment: environment.environment, variableName, value },
        child,
      );
    }

    this.environmentName = environment.environment;
    this.registerOutputs({ environmentName: this.environmentName, variableNames: this.variableNames });
  }
}

function toId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n)) throw new Error(`IncidentEnvironment: GitHub returned a non-numeric id "${id}"`);
  return n;
}
