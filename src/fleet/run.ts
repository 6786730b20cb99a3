import type { AuditRecord, AuditSink, SealedEntry } from '../core/audit.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { mapBounded } from '../core/fleet/bounded.js';
import { parentAuditRecord, type FleetLedger, type TargetOutcome } from '../core/fleet/run-ledger.js';
import type { FleetTarget } from '../core/fleet/targets.js';
import { KeyedTokenBucket } from '../core/fleet/token-bucket.js';
import { FLEET_RATE_LIMITS } from '../core/fleet/limits.js';
import { KIT_VARIABLES } from '../core/names.js';
import type { Outcome, Result } from '../core/plan.js';
import type { Redactor } from '../core/redact.js';
import type { Clock, Logger, Sleep } from '../core/runtime.js';
import { makeContext, runStep, type GuardOverride } from '../core/step.js';
import { PartialFailureError } from '../core/errors.js';
import { STSClient } from '@aws-sdk/client-sts';
import { awsClientConfig, type AwsSharedRequestHandler, type Env } from '../runtime/clients.js';
import { FleetAwsSessions } from './aws-session.js';
import type { FleetCapability } from './capability.js';

/**
 * Runs one capability on many targets with bounded concurrency: each target is an ordinary step
 * run (parse → plan → guard → apply → its own audit record), so a target's failure is that
 * target's, reported with its reason; the others go on. The fleet's own record (the parent) is
 * appended after every target's and references each by hash.
 */
export interface FleetRunOptions {
  capability: FleetCapability<never>;
  targets: readonly FleetTarget[];
  selection: string;
  raw: Record<string, unknown>;
  dryRun: boolean;
  env: Env;
  config: FirebreakConfig;
  audit: AuditSink;
  /** Name of the chain `audit` writes to, recorded in each target's reference (file or artifact name). */
  auditChain: string;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  actor: string;
  incidentId: string | null;
  runUrl: string | null;
  runId: string;
  concurrency?: number | undefined;
  overrides?: GuardOverride[] | undefined;
  redactor?: Redactor | undefined;
  timeoutMs?: number | undefined;
  /** Shared across calls (a CLI run's plan and apply) so a key's spacing holds for the whole run. */
  writes?: KeyedTokenBucket | undefined;
  /** Per-target environment additions (e.g. each Cloudflare account's API base in the drill). */
  envFor?: ((target: FleetTarget) => Env) | undefined;
  /** Append the parent record (false for one batch of a GitHub fleet run: the aggregate job writes it). */
  parent?: boolean | undefined;
}

export interface FleetRun {
  ledger: FleetLedger;
  /** Per-target outcomes of the step, for the detailed table. */
  details: Map<string, Outcome[]>;
  parent?: { seq: number; hash: string } | undefined;
}

/** The home kit's variables name ONE target; a fleet target's ports must never fall back to them. */
export function fleetBaseEnv(env: Env): Record<string, string | undefined> {
  const drop = new Set<string>(Object.values(KIT_VARIABLES));
  return Object.fromEntries(Object.entries(env).filter(([k]) => !drop.has(k)));
}

export function writeLimiter(clock: Clock, sleep: Sleep): KeyedTokenBucket {
  return new KeyedTokenBucket({ ratePerSecond: FLEET_RATE_LIMITS.waf.writesPerSecond, burst: FLEET_RATE_LIMITS.waf.burst, clock, sleep });
}

export async function runFleet(o: FleetRunOptions): Promise<FleetRun> {
  o.capability.validate?.(o.raw);
  const writes = o.writes ?? writeLimiter(o.clock, o.sleep);
  const base = fleetBaseEnv(o.env);
  // One connection pool for the whole run (see FleetTargetContext.awsRequestHandler): taken from a
  // client built with the run's timeouts, so its settings are the SDK's and the kit's defaults.
  // Sockets per endpoint at least the run's concurrency: the SDK's default (50) would queue a wide
  // run's requests behind each other when many targets share a regional endpoint.
  const concurrency = o.concurrency ?? o.config.fleet.concurrency;
  const clientConfig = awsClientConfig(base, o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs });
  const agent = { keepAlive: true, maxSockets: Math.max(50, concurrency * 2) };
  const pool = new STSClient({ ...clientConfig, requestHandler: { ...(clientConfig.requestHandler as object), httpAgent: agent, httpsAgent: agent } });
  const awsRequestHandler = pool.config.requestHandler as unknown as AwsSharedRequestHandler;
  const sessions = new FleetAwsSessions(base, `firebreak-fleet-${o.runId}`, o.timeoutMs, awsRequestHandler);
  const details = new Map<string, Outcome[]>();
  const acted = o.targets.filter((t) => o.capability.providers.includes(t.provider));
  try {
    const settled = await mapBounded(acted, concurrency, async (target): Promise<TargetOutcome> => {
      const audit = new RememberingSink(o.audit);
      const ctx = makeContext({
        audit,
        clock: o.clock,
        sleep: o.sleep,
        logger: prefixed(o.logger, target.id),
        actor: o.actor,
        incidentId: o.incidentId,
        runUrl: o.runUrl,
        dryRun: o.dryRun,
        overrides: o.overrides ?? [],
        ...(o.redactor ? { redactor: o.redactor } : {}),
      });
      const env = { ...base, ...(o.envFor?.(target) ?? {}) };
      let aws;
      try {
        if (target.provider === 'aws') {
          aws = await sessions.credentials(target.role_arn, env);
          // Minted here, so the entry point never saw them: register them before any log or record.
          for (const secret of [aws.secretAccessKey, aws.sessionToken]) {
            ctx.redactor.register(secret);
            o.redactor?.register(secret);
          }
        }
      } catch (error) {
        return { target: target.id, status: 'failed', changes: 0, applied: 0, failed: 0, reason: (error as Error).message };
      }
      const ports = o.capability.ports({ target, env, config: o.config, aws, writes, sleep: o.sleep, clock: o.clock, timeoutMs: o.timeoutMs, awsRequestHandler });
      try {
        const run = await runStep(o.capability.step, o.capability.input(o.raw, target), ports, ctx);
        const outcomes = run.result?.outcomes ?? [];
        details.set(target.id, outcomes);
        const changes = run.plan?.changes.length ?? 0;
        return {
          target: target.id,
          status: o.dryRun ? 'planned' : run.result?.status === 'ok' ? 'applied' : 'noop',
          changes,
          applied: outcomes.filter((x) => x.status === 'applied').length,
          failed: 0,
          audit: { chain: o.auditChain, seq: run.entry.seq, hash: run.entry.hash },
        };
      } catch (error) {
        // runStep appended the target's record before throwing; its hash is the last one for this target.
        const result = error instanceof PartialFailureError ? (error.result as Result) : undefined;
        const outcomes = result?.outcomes ?? [];
        details.set(target.id, outcomes);
        const refused = (error as { exit?: string }).exit === 'guard' || (error as { exit?: string }).exit === 'input';
        return {
          target: target.id,
          status: refused ? 'refused' : 'failed',
          changes: outcomes.filter((x) => x.status !== 'already').length,
          applied: outcomes.filter((x) => x.status === 'applied').length,
          failed: outcomes.filter((x) => x.status === 'failed').length,
          reason: ctx.redactor.scrub((error as Error).message ?? String(error)),
          audit: audit.last ? { chain: o.auditChain, seq: audit.last.seq, hash: audit.last.hash } : undefined,
        };
      } finally {
        o.capability.release?.(ports);
      }
    });
    const outcomes = settled.map((s, i) => (s.status === 'fulfilled' ? s.value : { target: acted[i]!.id, status: 'failed' as const, changes: 0, applied: 0, failed: 0, reason: String((s.reason as Error)?.message ?? s.reason) }));
    const ledger: FleetLedger = { v: 1, capability: o.capability.slug, runId: o.runId, selection: o.selection, planned: acted.map((t) => t.id), outcomes };
    let parent;
    if (o.parent !== false) {
      const entry = await o.audit.append(parentAuditRecord(ledger, { time: o.clock.now().toISOString(), actor: o.actor, incidentId: o.incidentId, runUrl: o.runUrl, dryRun: o.dryRun }));
      parent = { seq: entry.seq, hash: entry.hash };
    }
    return { ledger, details, parent };
  } finally {
    sessions.destroy();
    pool.destroy();
  }
}

/** Forwards to the run's chain and remembers this target's last entry (runStep seals before it throws). */
class RememberingSink implements AuditSink {
  last: SealedEntry | undefined;
  constructor(private readonly inner: AuditSink) {}
  async append(record: AuditRecord): Promise<SealedEntry> {
    this.last = await this.inner.append(record);
    return this.last;
  }
}

function prefixed(logger: Logger, id: string): Logger {
  return {
    info: (m) => logger.info(`[${id}] ${m}`),
    warn: (m) => logger.warn(`[${id}] ${m}`),
    error: (m) => logger.error(`[${id}] ${m}`),
    debug: (m) => logger.debug(`[${id}] ${m}`),
  };
}
