/**
 * ECS services as the containment and recovery steps see them: rotate-secret restarts the services
 * that read a rotated value, rollback moves a service to an earlier task definition, restart-service
 * forces a new deployment or scales. One port so every step waits for "steady" by the same rule.
 */

export interface EcsServiceRef {
  cluster: string;
  service: string;
}

export interface EcsDeployment {
  id: string;
  /** PRIMARY, ACTIVE (being replaced) or INACTIVE. */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  rolloutState: string | undefined;
}

export interface EcsServiceState {
  ref: EcsServiceRef;
  /** The service ARN (what tags are set on), when the provider reported it. */
  arn?: string | undefined;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: EcsDeployment[];
}

export interface EcsTaskDefinitionInfo {
  arn: string;
  family: string;
  revision: number;
  /** ACTIVE or INACTIVE (deregistered: ECS refuses to start new tasks from it). */
  status: string;
}

export type EcsChange =
  | { kind: 'force-new-deployment' }
  | { kind: 'desired-count'; desiredCount: number }
  | { kind: 'task-definition'; taskDefinition: string };

export interface EcsProgress {
  ref: EcsServiceRef;
  waitedMs: number;
  runningCount: number;
  desiredCount: number;
  deployments: number;
}

export interface EcsSettleResult {
  ref: EcsServiceRef;
  settled: boolean;
  /** Why it did not settle: `timeout`, `missing`, `draining` or `inactive`. */
  reason?: 'timeout' | 'missing' | 'draining' | 'inactive';
  waitedMs: number;
  state: EcsServiceState | undefined;
}

export interface EcsServices {
  /** `undefined` when the service does not exist (or is reported as MISSING). */
  describe(ref: EcsServiceRef): Promise<EcsServiceState | undefined>;
  update(ref: EcsServiceRef, change: EcsChange): Promise<EcsServiceState>;
  describeTaskDefinition(taskDefinition: string): Promise<EcsTaskDefinitionInfo | undefined>;
  /** Revisions of a family, newest first, with their status. */
  listTaskDefinitions(family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]>;
  /**
   * Polls until the service is steady or `timeoutMs` passes. Steady is the rule of the AWS SDK's
   * `services-stable` waiter: exactly one deployment and runningCount == desiredCount.
   */
  waitSteady(ref: EcsServiceRef, opts: { timeoutMs: number; pollMs?: number; onProgress?: (p: EcsProgress) => void }): Promise<EcsSettleResult>;
}

/** The `services-stable` acceptors, as a pure function so steps and tests share one rule. */
export function steadiness(state: EcsServiceState | undefined): { steady: boolean; terminal?: 'missing' | 'draining' | 'inactive' } {
  if (state === undefined) return { steady: false, terminal: 'missing' };
  if (state.status === 'DRAINING') return { steady: false, terminal: 'draining' };
  if (state.status === 'INACTIVE') return { steady: false, terminal: 'inactive' };
  return { steady: state.deployments.length === 1 && state.runningCount === state.desiredCount };
}
