/**
 * What freeze and unfreeze need from the place deploys are controlled (GitHub: repository and
 * environment variables, workflow enable/disable, environment deployment protection).
 */

/** Where a variable lives: the repository, or one environment of it. */
export interface VariableScope {
  environment?: string | undefined;
}

export type WorkflowState = 'active' | 'deleted' | 'disabled_fork' | 'disabled_inactivity' | 'disabled_manually';

export interface WorkflowInfo {
  id: number;
  /** `.github/workflows/deploy.yml` */
  path: string;
  state: WorkflowState;
}

export interface BranchPolicy {
  protected_branches: boolean;
  custom_branch_policies: boolean;
}

/** The environment settings a lock changes and unfreeze puts back, all of them (a PUT sends every field). */
export interface EnvironmentSettings {
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  deploymentBranchPolicy: BranchPolicy | null;
}

export interface DeployControls {
  /** `owner/repo`, for targets and messages. */
  readonly repository: string;
  getVariable(scope: VariableScope, name: string): Promise<string | undefined>;
  /** Creates or updates. */
  setVariable(scope: VariableScope, name: string, value: string): Promise<void>;
  /** Deletes; a variable that is already gone is not an error. */
  deleteVariable(scope: VariableScope, name: string): Promise<void>;
  /** By file name (`deploy.yml`) or path; undefined when the repository has no such workflow. */
  workflow(file: string): Promise<WorkflowInfo | undefined>;
  setWorkflowEnabled(id: number, enabled: boolean): Promise<void>;
  /** undefined when the environment does not exist. */
  environment(name: string): Promise<EnvironmentSettings | undefined>;
  putEnvironment(name: string, settings: EnvironmentSettings): Promise<void>;
}

/** The variable a deploy workflow's guard reads (`if: vars.INCIDENT_MODE != '1'`). */
export const INCIDENT_MODE_VARIABLE = 'INCIDENT_MODE';
export { FREEZE_RECORD_VARIABLE } from '../../core/names.js';
/** The deployment branch policy of a locked environment: custom policies, none listed, so no ref may deploy. */
export const LOCKED_POLICY: BranchPolicy = { protected_branches: false, custom_branch_policies: true };
