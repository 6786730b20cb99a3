import type { FirebreakConfig } from '../../core/config/schema.js';
import { ConfigError, InputError } from '../../core/errors.js';
import { formatCidr, parseCidrLoose, type Cidr, type Family } from '../../core/ip/cidr.js';
import type { ShareLimits } from '../../core/ip/blast-radius.js';
import { toProtectedRanges, type BreadthLimits, type ProtectedRange } from '../../core/ip/guard.js';
import type { BlockLedger } from '../../core/ip/ledger.js';
import { GUARD_DEFAULTS, PROVIDER_LIMITS } from '../../core/ip/limits.js';
import { CLOUDFLARE_TARGET, type CloudflareIpList } from '../../core/ports/cloudflare-list.js';
import { wafTargetId, type WafIpSetRef, type WafIpSets } from '../../core/ports/waf.js';
import type { Outcome } from '../../core/plan.js';

/**
 * Plumbing shared by block-ips, unblock-ips and sweep-expired: which targets a run touches, reading
 * them, and applying adds/removals per target with one outcome per entry. Targets run in parallel,
 * so a run takes about as long as the slower provider.
 */

export type TargetSelection = 'all' | 'waf' | 'cloudflare';
export const TARGET_SELECTIONS: readonly TargetSelection[] = ['all', 'waf', 'cloudflare'];

export interface BlockingSettings {
  protectedRanges: ProtectedRange[];
  maxBreadth: BreadthLimits;
  maxSharePercent: ShareLimits;
  maxTtlHours: number;
  defaultTtl: string;
  cloudflareCapacity: number;
}

export interface IpBlockPorts {
  settings: BlockingSettings;
  waf?: { client: WafIpSets; sets: WafIpSetRef[] } | undefined;
  cloudflare?: CloudflareIpList | undefined;
  ledger?: BlockLedger | undefined;
  /** Record ids; injected so tests are deterministic. */
  newId?: () => string;
}

export function settingsFromConfig(config: FirebreakConfig): BlockingSettings {
  const b = config.blocking;
  return {
    protectedRanges: toProtectedRanges(config.protected_ranges),
    maxBreadth: { 4: b.max_breadth.ipv4, 6: b.max_breadth.ipv6 },
    maxSharePercent: { 4: b.max_share_percent.ipv4, 6: b.max_share_percent.ipv6 },
    maxTtlHours: b.max_ttl_hours,
    defaultTtl: b.default_ttl,
    cloudflareCapacity: b.cloudflare.capacity,
  };
}

export function defaultSettings(protectedRanges: ProtectedRange[] = []): BlockingSettings {
  return { protectedRanges, maxBreadth: { ...GUARD_DEFAULTS.maxBreadth }, maxSharePercent: { ...GUARD_DEFAULTS.maxSharePercent }, maxTtlHours: GUARD_DEFAULTS.maxTtlHours, defaultTtl: '24h', cloudflareCapacity: PROVIDER_LIMITS.cloudflare.defaultCapacity };
}

export function parseTargetSelection(raw: unknown): TargetSelection {
  const v = (typeof raw === 'string' ? raw.trim().toLowerCase() : raw) || 'all';
  if (!TARGET_SELECTIONS.includes(v as TargetSelection)) {
    throw new InputError(`target must be one of ${TARGET_SELECTIONS.join(', ')}`, { field: 'target', code: 'TARGET_INVALID' });
  }
  return v as TargetSelection;
}

export type Target = { kind: 'waf'; id: string; ref: WafIpSetRef; family: Family } | { kind: 'cloudflare'; id: string };

/** The targets a selection names; a named but unconfigured provider is a ConfigError, never a silent skip. */
export function resolveTargets(selection: TargetSelection, families: ReadonlySet<Family>, ports: IpBlockPorts): Target[] {
  const out: Target[] = [];
  if (selection !== 'cloudflare') {
    const sets = ports.waf?.sets ?? [];
    if (!ports.waf || sets.length === 0) throw notConfigured('WAF IP sets', 'FIREBREAK_WAF_IPSET_V4_ARN / _V6_ARN (written by `pulumi up`) or blocking.waf.ip_sets');
    for (const family of families) {
      const version = family === 4 ? 'IPV4' : 'IPV6';
      const matching = sets.filter((s) => s.ipVersion === version);
      if (matching.length === 0) throw notConfigured(`a WAF ${version} IP set`, 'the kit variables or blocking.waf.ip_sets');
      for (const ref of matching) out.push({ kind: 'waf', id: wafTargetId(ref), ref, family });
    }
  }
  if (selection !== 'waf') {
    if (!ports.cloudflare) throw notConfigured('the Cloudflare IP list', 'FIREBREAK_CLOUDFLARE_ACCOUNT_ID, FIREBREAK_CLOUDFLARE_LIST_ID and CLOUDFLARE_API_TOKEN');
    out.push({ kind: 'cloudflare', id: CLOUDFLARE_TARGET });
  }
  return out;
}

function notConfigured(what: string, where: string): ConfigError {
  return new ConfigError(`${what} not configured: set ${where}, or choose another target`, [], { hint: 'Run `pulumi up` for the kit, or pick target waf/cloudflare.' });
}

/** What a target holds now, keyed by canonical CIDR text. */
export interface TargetState {
  /** canonical → the provider's own text (WAF) or item id (Cloudflare). */
  entries: Map<string, string>;
  count: number;
}

export async function readTarget(target: Target, ports: IpBlockPorts): Promise<TargetState> {
  const entries = new Map<string, string>();
  if (target.kind === 'waf') {
    const addresses = await ports.waf!.client.read(target.ref);
    for (const a of addresses) entries.set(canonical(a) ?? a, a);
    return { entries, count: addresses.length };
  }
  const items = await ports.cloudflare!.items();
  for (const i of items) entries.set(canonical(i.ip) ?? i.ip, i.id);
  return { entries, count: items.length };
}

export function canonical(text: string): string | undefined {
  const c = parseCidrLoose(text);
  return c ? formatCidr(c) : undefined;
}

/** Cloudflare writes single IPv4 hosts without `/32`, the way its dashboard shows them. */
export function cloudflareText(c: Cidr): string {
  return c.family === 4 && c.prefix === 32 ? formatCidr(c).slice(0, -3) : formatCidr(c);
}

export function describeError(error: unknown): { reason: string; retryable: boolean } {
  const e = error as { message?: string; retryable?: boolean; exit?: string };
  const retryable = e?.retryable === true || e?.exit === 'conflict';
  return { reason: `${e?.message ?? String(error)}${retryable ? ' — retryable: re-run the step' : ''}`, retryable };
}

export function failAll(target: string, action: string, subjects: readonly string[], error: unknown): Outcome[] {
  const { reason, retryable } = describeError(error);
  return subjects.map((subject) => ({ target, action, subject, status: 'failed' as const, reason, retryable }));
}

/** Removes exact entries from one target; one outcome per subject. Used by unblock-ips and sweep-expired. */
export async function removeFromTarget(
  target: Target,
  subjects: ReadonlyArray<{ subject: string; itemId?: string | undefined }>,
  ports: IpBlockPorts,
  progress?: (message: string) => void,
): Promise<Outcome[]> {
  const names = subjects.map((s) => s.subject);
  try {
    if (target.kind === 'waf') {
      const drop = new Set(names);
      let removed = new Set<string>();
      await ports.waf!.client.edit(target.ref, (current) => {
        removed = new Set();
        const next = current.filter((a) => {
          const key = canonical(a) ?? a;
          if (drop.has(key)) {
            removed.add(key);
            return false;
          }
          return true;
        });
        return removed.size === 0 ? null : next;
      });
      return names.map((subject) => ({ target: target.id, action: 'remove', subject, status: removed.has(subject) ? ('applied' as const) : ('already' as const), reason: removed.has(subject) ? undefined : 'already absent' }));
    }
    const ids = subjects.map((s) => s.itemId).filter((id): id is string => !!id);
    if (ids.length > 0) await ports.cloudflare!.remove(ids, progress);
    return subjects.map((s) => ({ target: target.id, action: 'remove', subject: s.subject, status: s.itemId ? ('applied' as const) : ('already' as const), reason: s.itemId ? undefined : 'already absent' }));
  } catch (error) {
    return failAll(target.id, 'remove', names, error);
  }
}
