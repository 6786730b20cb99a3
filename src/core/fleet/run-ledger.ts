import { AUDIT_FORMAT_VERSION, type AuditRecord } from '../audit.js';
import { ConfigError } from '../errors.js';

/**
 * The fleet run ledger: what happened on each target of one fleet run, and the evidence for it
 * (the hash of that target's own audit record). It is the state a re-run reads to apply only what
 * failed, and the body of the one parent audit record that references every target's record.
 */
export type TargetStatus = 'planned' | 'applied' | 'noop' | 'failed' | 'refused' | 'missing';

export interface TargetOutcome {
  target: string;
  status: TargetStatus;
  /** Changes planned / applied / failed on this target. */
  changes: number;
  applied: number;
  failed: number;
  /** Why it failed, in the words of the target's error (never a secret: errors are redacted). */
  reason?: string | undefined;
  /** The target's own audit record: `seq:hash` in the chain that holds it, and which chain. */
  audit?: { chain: string; seq: number; hash: string } | undefined;
}

export interface FleetLedger {
  v: 1;
  capability: string;
  runId: string;
  /** The selection as typed (`prod`, `tag:pci`) and the target ids it meant at plan time. */
  selection: string;
  planned: string[];
  outcomes: TargetOutcome[];
}

const DONE: ReadonlySet<TargetStatus> = new Set(['applied', 'noop']);

/**
 * Every planned target has exactly one outcome; a target whose batch never reported (cancelled,
 * runner lost, artifact missing) is `missing`, never silently absent from the summary.
 */
export function completeOutcomes(planned: readonly string[], reported: readonly TargetOutcome[]): TargetOutcome[] {
  // A set, not planned.includes per outcome: the aggregate job of a 2,000-target fleet would be quadratic.
  const wanted = new Set(planned);
  const byId = new Map<string, TargetOutcome>();
  for (const o of reported) if (wanted.has(o.target)) byId.set(o.target, o);
  return planned.map((t) => byId.get(t) ?? { target: t, status: 'missing' as const, changes: 0, applied: 0, failed: 0, reason: 'no result: its batch did not run, was cancelled, or its result artifact is missing' });
}

/** Targets a re-run must act on: everything not applied or already in place. */
export function targetsToRetry(ledger: FleetLedger): string[] {
  return completeOutcomes(ledger.planned, ledger.outcomes).filter((o) => !DONE.has(o.status)).map((o) => o.target);
}

/**
 * The fleet after a re-run: the first run's plan, with each re-run target's outcome in place of its
 * earlier one (a re-run acts only on what failed, so everything else stands as it was).
 */
export function withRetry(base: FleetLedger, retry: FleetLedger): FleetLedger {
  if (retry.capability !== base.capability) throw new ConfigError(`the re-run is ${retry.capability}, the ledger it retries is ${base.capability}`, []);
  const stray = retry.outcomes.filter((o) => !base.planned.includes(o.target)).map((o) => o.target);
  if (stray.length) throw new ConfigError(`the re-run acted on target(s) the retried run did not plan: ${stray.join(', ')}`, []);
  const again = new Map(retry.outcomes.map((o) => [o.target, o]));
  return { ...base, runId: `${base.runId}+${retry.runId}`, outcomes: completeOutcomes(base.planned, base.outcomes).map((o) => again.get(o.target) ?? o) };
}

export function parseFleetLedger(text: string, source: string): FleetLedger {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source} is not a fleet run ledger: ${(error as Error).message}`, []);
  }
  const l = value as Partial<FleetLedger>;
  if (l?.v !== 1 || typeof l.capability !== 'string' || !Array.isArray(l.planned) || !Array.isArray(l.outcomes)) {
    throw new ConfigError(`${source} is not a fleet run ledger (v 1 with capability, planned, outcomes)`, [], { hint: 'Pass the ledger a fleet run wrote (.firebreak/fleet/<run>.json or the fleet-ledger artifact).' });
  }
  return l as FleetLedger;
}

export type FleetStatus = 'ok' | 'noop' | 'partial' | 'failed' | 'planned';

export function fleetStatus(outcomes: readonly TargetOutcome[]): FleetStatus {
  if (outcomes.length > 0 && outcomes.every((o) => o.status === 'planned')) return 'planned';
  const bad = outcomes.filter((o) => !DONE.has(o.status)).length;
  if (bad === 0) return outcomes.some((o) => o.status === 'applied') ? 'ok' : 'noop';
  return bad === outcomes.length ? 'failed' : 'partial';
}

/** The parent audit record: one per fleet run, referencing each target's record by hash. */
export function parentAuditRecord(ledger: FleetLedger, ctx: { time: string; actor: string; incidentId: string | null; runUrl: string | null; dryRun: boolean }): AuditRecord {
  const outcomes = completeOutcomes(ledger.planned, ledger.outcomes);
  const status = fleetStatus(outcomes);
  return {
    v: AUDIT_FORMAT_VERSION,
    time: ctx.time,
    incidentId: ctx.incidentId,
    actor: ctx.actor,
    runUrl: ctx.runUrl,
    step: `fleet:${ledger.capability}`,
    status: status === 'ok' ? 'applied' : status,
    dryRun: ctx.dryRun,
    input: { selection: ledger.selection, targets: ledger.planned, runId: ledger.runId },
    plan: null,
    result: { status, targets: outcomes },
    error: status === 'partial' || status === 'failed' ? { code: 'FLEET_PARTIAL', message: failedLine(outcomes) } : null,
  };
}

function failedLine(outcomes: readonly TargetOutcome[]): string {
  const bad = outcomes.filter((o) => !DONE.has(o.status) && o.status !== 'planned');
  return `${bad.length} of ${outcomes.length} target(s) not applied: ${bad.map((o) => o.target).join(', ')}`;
}

/** One table for the whole fleet (job summary, CLI): a line per target, failures first with their reason. */
export function renderFleetSummary(ledger: FleetLedger, title: string): string {
  const outcomes = completeOutcomes(ledger.planned, ledger.outcomes);
  const status = fleetStatus(outcomes);
  const rank = (o: TargetOutcome) => (DONE.has(o.status) || o.status === 'planned' ? 1 : 0);
  const rows = [...outcomes].sort((a, b) => rank(a) - rank(b) || a.target.localeCompare(b.target));
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [
    `## ${title}: ${status} (${outcomes.length} target(s))`,
    '',
    '| target | status | changes | applied | failed | audit | reason |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((o) => `| ${o.target} | ${o.status} | ${o.changes} | ${o.applied} | ${o.failed} | ${o.audit ? `\`${o.audit.hash.slice(0, 12)}\`` : ''} | ${cell(o.reason ?? '')} |`),
  ];
  const retry = outcomes.filter((o) => !DONE.has(o.status) && o.status !== 'planned');
  if (retry.length) lines.push('', `Not applied: ${retry.map((o) => o.target).join(', ')}. Re-run with \`--retry-failed\` on this run's ledger: only these targets are acted on.`);
  return `${lines.join('\n')}\n`;
}
