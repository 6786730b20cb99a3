import { randomUUID } from 'node:crypto';
import { GuardError, InputError } from '../../core/errors.js';
import { parseIncidentId } from '../../core/incident-id.js';
import { blastRadiusViolations, type BreadthLimits, type ShareLimits } from '../../core/ip/blast-radius.js';
import { formatCidr, parseCidrLoose, type Cidr, type Family } from '../../core/ip/cidr.js';
import { formatBlockComment, parseTtl, sanitiseText } from '../../core/ip/expiry.js';
import { assertCapacity, assertNoProtectedOverlap, assertWafPrefixes, toCloudflareEntries } from '../../core/ip/guard.js';
import type { LedgerRecord } from '../../core/ip/ledger.js';
import { PROVIDER_LIMITS } from '../../core/ip/limits.js';
import { cidrsOf, parseAddresses, toAddressList, type AddressList } from '../../core/ip/parse-addresses.js';
import type { Change, Outcome, Plan, Unchanged } from '../../core/plan.js';
import type { StepContext, StepDefinition } from '../../core/step.js';
import {
  canonical,
  cloudflareText,
  describeError,
  failAll,
  parseTargetSelection,
  readTarget,
  resolveTargets,
  type IpBlockPorts,
  type Target,
  type TargetSelection,
} from '../shared/ip-block-targets.js';

/**
 * block-ips: block addresses on the kit's WAFv2 IP sets and the Cloudflare account list in one run.
 *
 *   parse (split, normalise, de-duplicate, aggregate; /0 refused, typed or merged) → plan (protected
 *   ranges refused, what each target will hold computed (aggregated, widened for Cloudflare), blast
 *   radius judged on that before any provider is called, provider limits checked with numbers, each
 *   target read once) → guard (breadth and address-space share, overridable with an audited reason)
 *   → apply (all targets and the ledger record in parallel) → one audit record.
 */
export interface BlockIpsInput {
  /** Canonical text (`198.51.100.0/25`): this is what the audit record shows. */
  addresses: AddressList;
  target: TargetSelection;
  reason: string;
  incidentId: string;
  /** As given, or null for `blocking.default_ttl`. */
  ttl: string | null;
}

export const LEDGER_TARGET = 'ledger';

export function parseReason(raw: unknown): string {
  const reason = typeof raw === 'string' ? sanitiseText(raw, 200) : '';
  if (reason.length < 3) throw new InputError('reason is required (what this block is for, in a few words)', { field: 'reason', code: 'REASON_MISSING' });
  return reason;
}

/** The `incident` input, else the run's incident id; one grammar (src/core/incident-id.ts). */
export function parseIncident(raw: unknown, ctx: StepContext, required = true): string | null {
  const given = typeof raw === 'string' && raw.trim() !== '' ? raw : ctx.incidentId;
  return parseIncidentId(given, { field: 'incident', required });
}

interface BlockMeta {
  expiresAt: string;
  maxBreadth: BreadthLimits;
  maxSharePercent: ShareLimits;
  /** Per target: every entry this run wants there (adds and already present), for the ledger. */
  desired: Record<string, string[]>;
  targets: string[];
}

export const blockIpsStep: StepDefinition<BlockIpsInput, IpBlockPorts, BlockMeta> = {
  name: 'block-ips',
  description: 'Block IPv4/IPv6 addresses and CIDRs on AWS WAFv2 IP sets and a Cloudflare IP list, with a reason, an incident and an expiry.',

  parse(raw, ctx) {
    const addresses = toAddressList(parseAddresses(raw.addresses));
    const ttl = typeof raw.ttl === 'string' && raw.ttl.trim() ? raw.ttl.trim() : null;
    if (ttl !== null) parseTtl(ttl);
    return {
      addresses,
      target: parseTargetSelection(raw.target),
      reason: parseReason(raw.reason),
      incidentId: parseIncident(raw.incident, ctx) as string,
      ttl,
    };
  },

  async plan(input, ports, ctx) {
    const s = ports.settings;
    const ttlMs = parseTtl(input.ttl ?? s.defaultTtl, s.maxTtlHours);
    const entries = cidrsOf(input.addresses.aggregated);
    // Not overridable: a protected range must never be blocked, so this runs in plan, not as a guard.
    assertNoProtectedOverlap(entries, s.protectedRanges);
    const warnings = [...input.addresses.notes];
    const families = new Set<Family>(entries.map((e) => e.family));
    const targets = resolveTargets(input.target, families, ports);
    const wanted = new Map<string, Cidr[]>();
    for (const t of targets) {
      if (t.kind === 'waf') {
        const mine = entries.filter((e) => e.family === t.family);
        assertWafPrefixes(mine);
        wanted.set(t.id, mine);
      } else {
        const cf = toCloudflareEntries(entries);
        assertNoProtectedOverlap(cf.entries, s.protectedRanges);
        warnings.push(...cf.warnings);
        wanted.set(t.id, cf.entries);
      }
    }
    // Blast radius on what will be written, before any provider is called: a refusal costs nothing
    // and leaves no trace on the providers. Overridden guards go on to `guard`, which records them.
    const limits = { maxBreadth: s.maxBreadth, maxSharePercent: s.maxSharePercent };
    const written = targets.map((t) => ({ target: t.id, entries: wanted.get(t.id) ?? [] }));
    const stop = firstUnoverridden(blastRadiusViolations(cidrsOf(input.addresses.entries), written, limits), ctx);
    if (stop) throw stop;
    const states = await Promise.all(targets.map((t) => readTarget(t, ports)));
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const desired: Record<string, string[]> = {};
    targets.forEach((t, i) => {
      const state = states[i]!;
      const want = wanted.get(t.id) ?? [];
      desired[t.id] = want.map(formatCidr);
      let adding = 0;
      for (const c of want) {
        const subject = formatCidr(c);
        if (state.entries.has(subject)) unchanged.push({ target: t.id, subject, reason: 'already present' });
        else {
          adding++;
          changes.push({ target: t.id, action: 'add', subject });
        }
      }
      const limit = t.kind === 'waf' ? PROVIDER_LIMITS.waf.maxEntriesPerSet : s.cloudflareCapacity;
      assertCapacity(t.id, state.count, adding, limit);
    });
    const expiresAt = new Date(ctx.clock.now().getTime() + ttlMs).toISOString();
    if (ports.ledger) changes.push({ target: LEDGER_TARGET, action: 'record', subject: `expiry ${expiresAt}`, detail: { incident: input.incidentId } });
    else warnings.push('No block ledger configured (FIREBREAK_EVIDENCE_BUCKET): these blocks will not expire by themselves.');
    const meta: BlockMeta = { expiresAt, ...limits, desired, targets: targets.map((t) => t.id) };
    return { step: 'block-ips', changes, unchanged, warnings, meta };
  },

  guard(plan, input, ctx) {
    const meta = plan.meta!;
    // On what each target will hold (aggregated, widened), not on the entries as typed.
    const written = Object.entries(meta.desired).map(([target, subjects]) => ({ target, entries: cidrsOf(subjects) }));
    const violations = blastRadiusViolations(cidrsOf(input.addresses.entries), written, meta);
    if (violations.length === 0) return;
    const stop = firstUnoverridden(violations, ctx);
    if (stop) throw stop;
    // All overridden: the first is thrown for the runner to record; the others are noted in the plan.
    for (const v of violations.slice(1)) {
      const o = ctx.overrides?.find((x) => x.guard === v.code);
      plan.warnings.push(`Guard ${v.code} overridden by ${ctx.actor}: ${o?.reason ?? ''}`);
    }
    throw violations[0];
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const targets = resolveTargets(input.target, new Set(cidrsOf(input.addresses.aggregated).map((e) => e.family)), ports);
    const adds = new Map<string, string[]>();
    for (const c of plan.changes) if (c.action === 'add') adds.set(c.target, [...(adds.get(c.target) ?? []), c.subject]);
    const expiresAt = new Date(meta.expiresAt);
    const comment = formatBlockComment({ incidentId: input.incidentId, expiresAt, reason: input.reason }, PROVIDER_LIMITS.cloudflare.maxCommentLength);
    const work: Array<Promise<Outcome[]>> = targets.filter((t) => adds.has(t.id)).map((t) => addToTarget(t, adds.get(t.id)!, comment, ports, ctx));
    if (ports.ledger) work.push(recordLedger(plan, input, meta, ports, ctx));
    const results = await Promise.all(work);
    return results.flat();
  },
};

function firstUnoverridden(violations: readonly GuardError[], ctx: StepContext): GuardError | undefined {
  return violations.find((v) => !ctx.overrides?.some((o) => o.guard === v.code && o.reason.trim() !== ''));
}

async function addToTarget(target: Target, subjects: string[], comment: string, ports: IpBlockPorts, ctx: StepContext): Promise<Outcome[]> {
  try {
    if (target.kind === 'waf') {
      let added = new Set<string>();
      await ports.waf!.client.edit(target.ref, (current) => {
        const present = new Set(current.map((a) => canonical(a) ?? a));
        added = new Set(subjects.filter((s) => !present.has(s)));
        if (added.size === 0) return null;
        // Re-checked on every round: a concurrent writer may have filled the set since the plan.
        if (current.length + added.size > PROVIDER_LIMITS.waf.maxEntriesPerSet) {
          throw new GuardError(`${target.id} now holds ${current.length} entries; adding ${added.size} would pass its limit of ${PROVIDER_LIMITS.waf.maxEntriesPerSet}`, { code: 'PROVIDER_LIMIT' });
        }
        return [...current, ...added];
      });
      return subjects.map((subject) =>
        added.has(subject)
          ? { target: target.id, action: 'add', subject, status: 'applied' as const }
          : { target: target.id, action: 'add', subject, status: 'already' as const, reason: 'added by another writer meanwhile' },
      );
    }
    const items = subjects.map((s) => ({ ip: cloudflareText(parseCidrLoose(s)!), comment }));
    await ports.cloudflare!.append(items, ctx.progress ?? ((m) => ctx.logger.info(m)));
    return subjects.map((subject) => ({ target: target.id, action: 'add', subject, status: 'applied' as const }));
  } catch (error) {
    return failAll(target.id, 'add', subjects, error);
  }
}

async function recordLedger(plan: Plan<BlockMeta>, input: BlockIpsInput, meta: BlockMeta, ports: IpBlockPorts, ctx: StepContext): Promise<Outcome[]> {
  const subject = plan.changes.find((c) => c.target === LEDGER_TARGET)?.subject ?? `expiry ${meta.expiresAt}`;
  const record: LedgerRecord = {
    id: (ports.newId ?? randomUUID)(),
    createdAt: ctx.clock.now().toISOString(),
    expiresAt: meta.expiresAt,
    incidentId: input.incidentId,
    reason: input.reason,
    actor: ctx.actor,
    runUrl: ctx.runUrl,
    entries: Object.entries(meta.desired).flatMap(([target, subjects]) => subjects.map((s) => ({ target, subject: s }))),
  };
  try {
    await ports.ledger!.put(record);
    return [{ target: LEDGER_TARGET, action: 'record', subject, status: 'applied' }];
  } catch (error) {
    const { reason, retryable } = describeError(error);
    return [{ target: LEDGER_TARGET, action: 'record', subject, status: 'failed', reason: `expiry not recorded, the blocks will not expire by themselves: ${reason}`, retryable }];
  }
}

