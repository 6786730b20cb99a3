import { ECSClient } from '@aws-sdk/client-ecs';
import { AwsEcsServices } from '../../providers/aws/ecs-services.js';
import { awsClientConfig, type Env } from '../../runtime/clients.js';
import type { Clock, Sleep } from '../../core/runtime.js';
import type { TargetRef } from '../../core/target.js';
import type { CapabilityRuntime } from '../types.js';
import { restartServiceStep, type RestartServicePorts } from './step.js';

/** One ECS client per region a target names (the credentials' region otherwise). */
export function buildRestartServicePorts(env: Env, deps: { clock: Clock; sleep: Sleep; pollMs?: number; callAttempts?: number }): RestartServicePorts {
  const base = awsClientConfig(env);
  const byRegion = new Map<string, AwsEcsServices>();
  return {
    services(target: TargetRef) {
      const region = target.scope.region ?? base.region;
      let s = byRegion.get(region);
      if (!s) {
        s = new AwsEcsServices({ client: new ECSClient({ ...base, region }), clock: deps.clock, sleep: deps.sleep, ...(deps.callAttempts ? { callAttempts: deps.callAttempts } : {}) });
        byRegion.set(region, s);
      }
      return s;
    },
    pollMs: deps.pollMs,
  };
}

export const runtime: CapabilityRuntime = {
  step: restartServiceStep,
  ports: async (ctx) => {
    const { buildVerifyAfterPorts } = await import('../../runtime/health-ports.js');
    return { ...buildRestartServicePorts(ctx.env, { clock: ctx.clock, sleep: ctx.sleep }), verify: buildVerifyAfterPorts(ctx.env, ctx.config, ctx.config.restart_service.verify_after, { sleep: ctx.sleep }) };
  },
};
