import { findExpired } from '../../core/ip/ledger.js';
import { parseCidrLoose } from '../../core/ip/cidr.js';
import { ConfigError } from '../../core/errors.js';
import { parseIncidentId } from '../../core/incident-id.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { LEDGER_TARGET } from '../block-ips/step.js';
import { parseTargetSelection, readTarget, removeFromTarget, resolveTargets, type IpBlockPorts, type Target, type TargetSelection } from '../shared/ip-block-targets.js';

/**
 * sweep-expired: removes blocks whose every ledger record has expired, then marks those records
 * swept. An entry re-blocked by a later run (a live record names it) stays. Records are marked only
 * when all their removals succeeded, so a failed sweep is simply retried by the next one.
 */
export interface SweepExpiredInput {
  target: TargetSelection;
}

interface SweepMeta {
  records: string[];
  /** Record id → `target subject` keys it names, so a record closes only when its own removals succeeded. */
  entries: Record<string, string[]>;
}

export const sweepExpiredStep: StepDefinition<SweepExpiredInput, IpBlockPorts, SweepMeta> = {
  name: 'sweep-expired',
  description: 'Remove blocks whose time to live has passed (from the block ledger) on every configured target.',

  parse(raw, ctx) {
    // A sweep belongs to no incident; one given by the entry point must still be a well-formed id.
    parseIncidentId(ctx.incidentId, { field: 'incident' });
    return { target: parseTargetSelection(raw.target) };
  },

  async plan(input, ports, ctx) {
    if (!ports.ledger) throw new ConfigError('sweep-expired needs the block ledger: set FIREBREAK_EVIDENCE_BUCKET', []);
    const records = await ports.ledger.list();
    const { expired, removable, kept } = findExpired(records, ctx.clock.now());
    const families = new Set(removable.map((e) => parseCidrLoose(e.subject)?.family ?? 4));
    const targets = removable.length ? resolveTargetsLenient(input.target, families, ports) : [];
    const states = await Promise.all(targets.map((t) => readTarget(t, ports)));
    const changes: Change[] = [];
    const unchanged: Unchanged[] = kept.map((e) => ({ target: e.target, subject: e.subject, reason: 'a later block still holds it' }));
    const warnings: string[] = [];
    for (const e of removable) {
      const i = targets.findIndex((t) => t.id === e.target);
      if (i < 0) {
        if (input.target === 'all' || e.target.startsWith(input.target)) warnings.push(`${e.target} is no longer configured: ${e.subject} was not swept there`);
        continue;
      }
      const held = states[i]!.entries.get(e.subject);
      if (held === undefined) unchanged.push({ target: e.target, subject: e.subject, reason: 'already absent' });
      else changes.push({ target: e.target, action: 'remove', subject: e.subject, detail: e.target.startsWith('cloudflare') ? { itemId: held } : undefined });
    }
    // A record is closed only when every entry it names was handled here; one naming a target this
    // run does not touch (another --target, or no longer configured) stays open for a later sweep.
    const handled = new Set(targets.map((t) => t.id));
    const keptKeys = new Set(kept.map((e) => `${e.target} ${e.subject}`));
    for (const r of expired) {
      const open = r.entries.some((e) => !handled.has(e.target) && !keptKeys.has(`${e.target} ${e.subject}`));
      if (open) unchanged.push({ target: LEDGER_TARGET, subject: r.id, reason: 'kept open: names a target this run does not sweep' });
      else changes.push({ target: LEDGER_TARGET, action: 'close', subject: r.id, detail: { expiresAt: r.expiresAt, incident: r.incidentId } });
    }
    const meta: SweepMeta = { records: expired.map((r) => r.id), entries: Object.fromEntries(expired.map((r) => [r.id, r.entries.map((e) => `${e.target} ${e.subject}`)])) };
    return { step: 'sweep-expired', changes, unchanged, warnings, meta };
  },

  async apply(plan, input, ports, ctx) {
    const families = new Set(plan.changes.filter((c) => c.target !== LEDGER_TARGET).map((c) => parseCidrLoose(c.subject)?.family ?? 4));
    const targets = families.size ? resolveTargetsLenient(input.target, families, ports) : [];
    const removals = await Promise.all(
      targets.map((t) => {
        const subjects = plan.changes.filter((c) => c.target === t.id).map((c) => ({ subject: c.subject, itemId: c.detail?.itemId as string | undefined }));
        return subjects.length ? removeFromTarget(t, subjects, ports, ctx.progress ?? ((m) => ctx.logger.info(m))) : Promise.resolve([]);
      }),
    );
    const outcomes: Outcome[] = removals.flat();
    // A record is closed only when none of its own removals failed; records untouched by a failure
    // close now, the others stay open and the next sweep retries them.
    const failed = new Set(outcomes.filter((o) => o.status === 'failed').map((o) => `${o.target} ${o.subject}`));
    const meta = plan.meta!;
    const closes = plan.changes.filter((c) => c.target === LEDGER_TARGET);
    // A record missing from the plan's map is treated as touched by any failure (closing is the risky side).
    const blocked = closes.filter((c) => meta.entries[c.subject]?.some((key) => failed.has(key)) ?? failed.size > 0);
    const closing = closes.filter((c) => !blocked.includes(c));
    const kept = blocked.map((c) => ({ target: LEDGER_TARGET, action: 'close', subject: c.subject, status: 'skipped' as const, reason: 'kept open: a removal failed, the next sweep retries' }));
    // One tombstone per record, each with its own outcome: a failure part-way says exactly which
    // records are closed and which the next sweep will close.
    const closed: Outcome[] = [];
    for (const c of closing) {
      try {
        await ports.ledger!.remove([c.subject]);
        closed.push({ target: LEDGER_TARGET, action: 'close', subject: c.subject, status: 'applied' });
      } catch (error) {
        closed.push({ target: LEDGER_TARGET, action: 'close', subject: c.subject, status: 'failed', reason: (error as Error).message, retryable: true });
      }
    }
    return [...outcomes, ...kept, ...closed];
  },
};

/** Like resolveTargets, but a family or provider missing from config is skipped (and warned in plan). */
function resolveTargetsLenient(selection: TargetSelection, families: Set<4 | 6>, ports: IpBlockPorts): Target[] {
  const out: Target[] = [];
  for (const sel of selection === 'all' ? (['waf', 'cloudflare'] as const) : [selection]) {
    for (const f of families) {
      try {
        for (const t of resolveTargets(sel, new Set([f]), ports)) if (!out.some((o) => o.id === t.id)) out.push(t);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
      }
    }
  }
  return out;
}
