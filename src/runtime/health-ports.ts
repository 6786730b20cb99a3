import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { healthChecksFromConfig, type HealthPorts, type VerifyAfterPorts } from '../capabilities/shared/health-after.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import type { HttpProber } from '../core/health/probe.js';
import { readKitVariables } from '../core/names.js';
import type { Sleep } from '../core/runtime.js';
import { CloudWatchAlarmReader } from '../providers/aws/cloudwatch-alarms.js';
import { NodeHttpProber } from '../providers/http/health-prober.js';
import { awsClientConfig, type Env } from './clients.js';
import { ENV } from './env.js';

export interface HealthPortOptions {
  sleep: Sleep;
  timeoutMs?: number;
  random?: () => number;
  /** Tests inject a prober trusting their own CA; production uses node's HTTP client with the system CAs. */
  prober?: HttpProber;
}

/**
 * Health ports alone (verify-health, and the checks rollback / restart-service run after applying):
 * kept apart from the edge ports so those steps do not load the WAF and Cloudflare clients. AWS is
 * needed only when an alarm is configured.
 */
export function buildHealthPorts(env: Env, config: FirebreakConfig, opts: HealthPortOptions): HealthPorts {
  const kit = readKitVariables(env);
  const regionEnv = kit.awsRegion ? { ...env, [ENV.awsRegion]: kit.awsRegion } : env;
  const timeout = opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs };
  const alarms = config.health.alarms.length
    ? new CloudWatchAlarmReader({ client: new CloudWatchClient(awsClientConfig(regionEnv, timeout)), sleep: opts.sleep, ...(opts.random ? { random: opts.random } : {}) })
    : undefined;
  return { prober: opts.prober ?? new NodeHttpProber(), alarms, ...healthChecksFromConfig(config) };
}

/** A changing step's health ports with its configured default checks. */
export function buildVerifyAfterPorts(env: Env, config: FirebreakConfig, verifyAfter: string[], opts: HealthPortOptions): VerifyAfterPorts {
  return { health: buildHealthPorts(env, config, opts), verifyAfter };
}
