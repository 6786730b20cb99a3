import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { ProviderError } from '../../core/errors.js';
import { DEFAULT_RETRY_BUDGET_MS, withProviderRetry } from '../../core/retry.js';
import type { Clock, Sleep } from '../../core/runtime.js';
import {
  steadiness,
  type EcsChange,
  type EcsDeployment,
  type EcsProgress,
  type EcsServiceRef,
  type EcsServices,
  type EcsServiceState,
  type EcsSettleResult,
  type EcsTaskDefinitionInfo,
} from '../../core/ports/ecs.js';
import { awsProviderError } from './aws-provider-call.js';

export interface AwsEcsServicesOptions {
  client: ECSClient;
  clock: Clock;
  sleep: Sleep;
  random?: () => number;
  /** Attempts per call for transient failures (default 4). */
  callAttempts?: number;
  retryBudgetMs?: number;
}

/** Default poll interval: the SDK's services-stable waiter polls every 15 s. */
export const DEFAULT_ECS_POLL_MS = 15_000;

/** An ECS SDK failure as the ProviderError a responder reads (`ecs:<Operation> on <subject> failed: …`). */
export function ecsProviderError(operation: string, subject: string, error: unknown): ProviderError {
  return awsProviderError('ecs', operation, subject, error);
}

const label = (ref: EcsServiceRef) => `service ${ref.service} in cluster ${ref.cluster}`;

function toState(ref: EcsServiceRef, s: Service): EcsServiceState {
  const deployments: EcsDeployment[] = (s.deployments ?? []).map((d) => ({
    id: d.id ?? '',
    status: d.status ?? '',
    taskDefinition: d.taskDefinition ?? '',
    desiredCount: d.desiredCount ?? 0,
    runningCount: d.runningCount ?? 0,
    pendingCount: d.pendingCount ?? 0,
    rolloutState: d.rolloutState,
  }));
  return {
    ref,
    arn: s.serviceArn,
    status: s.status ?? '',
    taskDefinition: s.taskDefinition ?? '',
    desiredCount: s.desiredCount ?? 0,
    runningCount: s.runningCount ?? 0,
    pendingCount: s.pendingCount ?? 0,
    deployments,
  };
}

/** ECS services over the AWS SDK v3; no domain decisions, only calls, retries and the steady-state poll. */
export class AwsEcsServices implements EcsServices {
  constructor(private readonly opts: AwsEcsServicesOptions) {}

  private call<T>(operation: string, subject: string, fn: () => Promise<T>): Promise<T> {
    return withProviderRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw ecsProviderError(operation, subject, error);
        }
      },
      {
        attempts: this.opts.callAttempts ?? 4,
        baseMs: 200,
        maxMs: 5_000,
        sleep: this.opts.sleep,
        budgetMs: this.opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
        ...(this.opts.random ? { random: this.opts.random } : {}),
      },
    );
  }

  async describe(ref: EcsServiceRef): Promise<EcsServiceState | undefined> {
    const out = await this.call('DescribeServices', label(ref), () =>
      this.opts.client.send(new DescribeServicesCommand({ cluster: ref.cluster, services: [ref.service] })),
    );
    const found = out.services?.[0];
    if (!found) return undefined;
    return toState(ref, found);
  }

  async update(ref: EcsServiceRef, change: EcsChange): Promise<EcsServiceState> {
    const input = {
      cluster: ref.cluster,
      service: ref.service,
      ...(change.kind === 'force-new-deployment' ? { forceNewDeployment: true } : {}),
      ...(change.kind === 'desired-count' ? { desiredCount: change.desiredCount } : {}),
      ...(change.kind === 'task-definition' ? { taskDefinition: change.taskDefinition } : {}),
    };
    // Not retried on an ambiguous failure: a second forceNewDeployment would start a second rollout.
    let out;
    try {
      out = await this.opts.client.send(new UpdateServiceCommand(input));
    } catch (error) {
      throw ecsProviderError('UpdateService', label(ref), error);
    }
    if (!out.service) throw new ProviderError(`ecs:UpdateService on ${label(ref)} returned no service`, { provider: 'aws', operation: 'ecs:UpdateService', retryable: false });
    return toState(ref, out.service);
  }

  async describeTaskDefinition(taskDefinition: string): Promise<EcsTaskDefinitionInfo | undefined> {
    try {
      const out = await this.call('DescribeTaskDefinition', `task definition ${taskDefinition}`, () =>
        this.opts.client.send(new DescribeTaskDefinitionCommand({ taskDefinition })),
      );
      const td = out.taskDefinition;
      if (!td?.taskDefinitionArn) return undefined;
      return { arn: td.taskDefinitionArn, family: td.family ?? '', revision: td.revision ?? 0, status: td.status ?? '' };
    } catch (error) {
      // ECS says "Unable to describe task definition." with a 400 ClientException for an unknown one.
      if (error instanceof ProviderError && error.status === 400 && /ClientException/.test(error.message)) return undefined;
      throw error;
    }
  }

  async listTaskDefinitions(family: string, status: 'ACTIVE' | 'INACTIVE'): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const out = await this.call('ListTaskDefinitions', `family ${family}`, () =>
        this.opts.client.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status, sort: 'DESC', ...(token ? { nextToken: token } : {}) })),
      );
      arns.push(...(out.taskDefinitionArns ?? []).filter((arn) => arn.split('/').pop()?.split(':')[0] === family));
      nextToken = out.nextToken;
    } while (nextToken);
    // Sorted here as well: the order is the contract, and not every endpoint honours `sort`.
    const revision = (arn: string) => Number(arn.split(':').pop());
    return arns.sort((a, b) => revision(b) - revision(a));
  }

  async waitSteady(ref: EcsServiceRef, opts: { timeoutMs: number; pollMs?: number; onProgress?: (p: EcsProgress) => void }): Promise<EcsSettleResult> {
    const started = this.opts.clock.now().getTime();
    const pollMs = opts.pollMs ?? DEFAULT_ECS_POLL_MS;
    for (;;) {
      const state = await this.describe(ref);
      const waitedMs = this.opts.clock.now().getTime() - started;
      const verdict = steadiness(state);
      if (verdict.steady) return { ref, settled: true, waitedMs, state };
      if (verdict.terminal) return { ref, settled: false, reason: verdict.terminal, waitedMs, state };
      opts.onProgress?.({ ref, waitedMs, runningCount: state!.runningCount, desiredCount: state!.desiredCount, deployments: state!.deployments.length });
      if (waitedMs + pollMs > opts.timeoutMs) return { ref, settled: false, reason: 'timeout', waitedMs, state };
      await this.opts.sleep(pollMs);
    }
  }
}
