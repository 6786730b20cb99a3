import type { FirebreakConfig } from '../core/config/schema.js';
import type { InputSchema } from '../core/inputs.js';
import type { KitVariableKey } from '../core/names.js';
import type { Clock, Logger, Sleep } from '../core/runtime.js';
import type { Guard, StepDefinition } from '../core/step.js';

/**
 * What a capability is, as data: enough to generate every shell (action.yml and its README, the
 * workflow, the CLI command, the docs matrix) and to check the kit's IAM and the workflow's token
 * permissions against what the step really calls. Nothing here imports an SDK: the CLI reads the
 * whole registry to build `--help`, and that must stay fast. The step and its ports load lazily.
 */

export type CapabilityStatus = 'built' | 'planned';

export type CapabilityGroup = 'containment' | 'incident' | 'evidence' | 'kit';

export type GitHubPermission = 'read' | 'write';

/** The workflow_dispatch button for a capability. */
export interface WorkflowShape {
  /**
   * `generated`: written from this shape by `npm run generate`. `hand-written`: the file exists and
   * is checked by the workflow rules, but a person owns it (it needs more than the template, e.g.
   * one button for block and unblock).
   */
  mode: 'generated' | 'hand-written';
  /** File name under .github/workflows (default `<slug>.yml`). */
  file?: string;
  /** Assumes the kit's responder role through OIDC (adds `id-token: write` and the AWS step). */
  aws: boolean;
  /**
   * `pick`: changes production, so the job runs in the protected environment the responder picks
   * (reviewers gate it; the OIDC subject names it). A name: bookkeeping that must never wait for a
   * reviewer at 3 a.m. (the incident steps write issues only).
   */
  environment: 'pick' | { name: string };
  /** Whether the button's `apply` box starts ticked (only for steps that write no production state). */
  applyByDefault?: boolean;
  /** GitHub token permissions the job's own token needs, beyond `contents: read`. */
  permissions?: Readonly<Record<string, GitHubPermission>>;
  /** Repository/environment secrets the step reads, passed as env (never as inputs). */
  secrets?: readonly string[];
  /** `concurrency.group`: runs that would race on the same thing share a group (expression allowed). */
  concurrency?: string;
  /** Why the job looks the way it does; written as a comment above the job. */
  note?: string;
  timeoutMinutes?: number;
}

export interface CapabilityDefinition<S extends InputSchema = InputSchema> {
  slug: string;
  /** A few words for the matrix. */
  title: string;
  /** One sentence for the README's button list. */
  summary: string;
  /** What it does, for action.yml and --help. */
  description: string;
  status: CapabilityStatus;
  group: CapabilityGroup;
  /** The issue that plans it, while planned. */
  plannedIn?: number;
  inputs: S;
  /**
   * How the run relates to an incident: `required` (refused without an incident id), `optional`
   * (recorded when given), `creates` (the run opens the incident and derives its id).
   */
  incident: 'required' | 'optional' | 'creates';
  /** Outputs beyond the common ones every action has. */
  outputs?: Readonly<Record<string, string>>;
  /** Other names the CLI accepts (`update` for `post-update`). */
  cliAliases?: readonly string[];
  /** `false`: CLI only (e.g. `preflight` from a laptop is the point); otherwise the button. */
  workflow: WorkflowShape | false;
  /** `false`: no action (the workflow calls another, or the capability is CLI-only). */
  action: boolean;
  /** AWS actions the kit's responder role grants this capability (checked against drill calls). */
  iam: readonly string[];
  /** Kit variables the step reads. */
  kitVariables: readonly KitVariableKey[];
  /** Drill scenario that exercises it end to end. */
  drill?: string;
  /** `hand-written`: the CLI command needs more than one step run (e.g. tick fans out). */
  cli: 'generated' | 'hand-written';
  /** The step and its port factory; loaded only when the capability runs (SDKs load with it). */
  runtime(): Promise<CapabilityRuntime>;
}

/** What every entry point gives a capability's port factory: the same for an action and the CLI. */
export interface PortsContext {
  env: Readonly<Record<string, string | undefined>>;
  config: FirebreakConfig;
  logger: Logger;
  clock: Clock;
  sleep: Sleep;
  /**
   * The directory relative paths in inputs mean (the CLI's cwd; the workspace in an action). Not
   * always process.cwd(): the runbook drill runs the CLI in-process in its own work dir.
   */
  cwd?: string;
  /** Registers a value read at run time as a secret (masked in logs, scrubbed from records). */
  mask?: (value: string | undefined) => void;
}

/**
 * The part of a capability that runs. Entry points (the generated action, the CLI command, the
 * drill) read the inputs the schema declares, pass them through `prepare`, and run `step` in the
 * run session with `ports` and `guards`.
 */
export interface CapabilityRuntime<I = any, P = any> {
  step: StepDefinition<I, P, any>;
  ports(ctx: PortsContext): P | Promise<P>;
  guards?(ctx: PortsContext): Guard[];
  /**
   * Turns the schema's text values into what the step takes, identically for every entry point
   * (YAML facts to an object, action items to lines, kit variables read from the environment).
   */
  prepare?(raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown>;
  /** The incident id when the run itself determines it (declare mints it from the title). */
  incidentId?(raw: Record<string, unknown>, now: Date): string | undefined;
  /** `fail`: a record that did not reach the incident issue fails the run, from the CLI too. */
  mirrorFailure?: 'warn' | 'fail';
}
