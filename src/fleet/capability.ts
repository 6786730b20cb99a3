import type { FirebreakConfig } from '../core/config/schema.js';
import type { FleetTarget } from '../core/fleet/targets.js';
import type { KeyedTokenBucket } from '../core/fleet/token-bucket.js';
import type { Clock, Sleep } from '../core/runtime.js';
import type { StepDefinition } from '../core/step.js';
import type { AwsSharedRequestHandler, Env } from '../runtime/clients.js';
import type { AccountCredentials } from './aws-session.js';

/**
 * What a capability provides to fan out (docs/operators/fleet.md, "Making a capability fleet-capable"):
 * which target providers it acts on, the ports for ONE target (built from that target's own
 * credentials and ids, never the home kit's), and the raw input for that target. Everything else —
 * selection, bounded concurrency, rate limits, plan table, matrix, ledger, parent audit record,
 * re-run of failures — is the fleet runner's, the same for every capability.
 */
export interface FleetTargetContext {
  target: FleetTarget;
  /** The run's environment (endpoints, tokens) with the home kit's per-target variables removed. */
  env: Env;
  config: FirebreakConfig;
  /** Assumed-role credentials of an AWS target's account. */
  aws?: AccountCredentials | undefined;
  /** Write limiter keyed by `target.limitKey` (WAF: one write per second per account and region). */
  writes: KeyedTokenBucket;
  sleep: Sleep;
  clock: Clock;
  timeoutMs?: number | undefined;
  /**
   * The run's one AWS connection pool: every target's clients send through it, so a target costs
   * requests, not new sockets and TLS handshakes (targets in one region share an endpoint across
   * accounts). The runner destroys it; a capability's `release` must not.
   */
  awsRequestHandler: AwsSharedRequestHandler;
}

export interface FleetCapability<P = unknown> {
  slug: string;
  providers: ReadonlyArray<FleetTarget['provider']>;
  // The fleet runner only passes raw input through; each target's step parses it itself.
  step: StepDefinition<any, P, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  ports(ctx: FleetTargetContext): P;
  /**
   * Refuses raw input no target could take (rotate-secret: a secret name scoped to one account),
   * before any provider is called: bad input changes nothing on any target.
   */
  validate?(raw: Record<string, unknown>): void;
  /** The step's raw input for this target (e.g. block-ips: `target: waf` on AWS, `cloudflare` on Cloudflare). */
  input(raw: Record<string, unknown>, target: FleetTarget): Record<string, unknown>;
  /** Releases clients the ports hold (sockets), after the target is done. */
  release?(ports: P): void;
}
