import type { FleetConfig, FleetTargetEntry } from '../config/sections/fleet.js';
import { ConfigError, InputError } from '../errors.js';

/**
 * Fleet targets: one place a capability acts on, with a stable id used by the plan table, the
 * matrix, the per-target audit record, the fleet run ledger and a re-run:
 *
 *   aws/123456789012/eu-west-1     one account and region (the WAF sets there)
 *   cloudflare/<account id>        one Cloudflare account's IP list (its zones are listed with it)
 *   github/owner/repo[/environment]
 *
 * Rate limits are keyed by `limitKey` (WAF: one write per second per account and region).
 */
export type FleetTarget = FleetTargetEntry & { id: string; limitKey: string };

export function targetId(t: FleetTargetEntry): string {
  if (t.provider === 'aws') return `aws/${t.account}/${t.region}`;
  if (t.provider === 'cloudflare') return `cloudflare/${t.account}`;
  return `github/${t.repository}${t.environment ? `/${t.environment}` : ''}`;
}

/** Entries from the generated file and inline, de-duplicated by id; the same id twice with different fields is a config error. */
export function fleetTargets(entries: readonly FleetTargetEntry[]): FleetTarget[] {
  const byId = new Map<string, FleetTarget>();
  for (const e of entries) {
    const id = targetId(e);
    const seen = byId.get(id);
    if (seen && JSON.stringify({ ...seen, id: undefined, limitKey: undefined, tags: [] }) !== JSON.stringify({ ...e, id: undefined, limitKey: undefined, tags: [] })) {
      throw new ConfigError(`fleet target ${id} is declared twice with different settings`, [], { hint: 'Keep one entry per target: the generated targets_file, or firebreak.yml fleet.targets, not both.' });
    }
    const tags = [...new Set([...(seen?.tags ?? []), ...e.tags])].sort();
    byId.set(id, { ...e, tags, id, limitKey: limitKeyOf(e) } as FleetTarget);
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** WAF's write limit is per account and Region; CLOUDFRONT-scoped sets all live in us-east-1. */
export function limitKeyOf(t: FleetTargetEntry): string {
  if (t.provider === 'aws') return `aws/${t.account}/${t.waf?.scope === 'CLOUDFRONT' ? 'us-east-1' : t.region}`;
  return targetId(t);
}

/**
 * `--targets` text: comma-separated names of `fleet.sets`, or selectors (`tag:pci`, `id:aws/…`,
 * `provider:aws`), or `all`. The union, in id order. Nothing selected is an InputError: a fleet run
 * that silently acts on zero targets reads as "done" at 3 a.m.
 */
export function selectTargets(text: string, all: readonly FleetTarget[], sets: FleetConfig['sets']): FleetTarget[] {
  const words = text.split(',').map((w) => w.trim()).filter(Boolean);
  if (words.length === 0) throw new InputError('targets is empty: name a set (e.g. prod), tag:<tag> or all', { field: 'targets', code: 'TARGETS_EMPTY' });
  const chosen = new Set<string>();
  const expand = (word: string, via: string): void => {
    const [kind, value] = splitSelector(word);
    let hit: readonly FleetTarget[];
    if (kind === 'all') hit = all;
    else if (kind === 'tag') hit = all.filter((t) => t.tags.includes(value));
    else if (kind === 'id') hit = all.filter((t) => t.id === value);
    else if (kind === 'provider') hit = all.filter((t) => t.provider === value);
    else {
      const set = Object.hasOwn(sets, word) ? sets[word] : undefined;
      if (!set) {
        throw new InputError(`targets: ${JSON.stringify(word)} is not a fleet set or selector`, {
          field: 'targets',
          code: 'TARGETS_UNKNOWN',
          hint: `Sets in firebreak.yml: ${Object.keys(sets).join(', ') || '(none)'}; selectors: tag:<tag>, id:<target id>, provider:<name>, all.`,
        });
      }
      for (const s of set) expand(s, word);
      return;
    }
    if (hit.length === 0) throw new InputError(`targets: ${word}${via ? ` (in set ${via})` : ''} matches no fleet target`, { field: 'targets', code: 'TARGETS_NONE_MATCH', hint: `Known targets: ${all.slice(0, 5).map((t) => t.id).join(', ')}${all.length > 5 ? ', …' : ''}` });
    for (const t of hit) chosen.add(t.id);
  };
  for (const w of words) expand(w, '');
  return all.filter((t) => chosen.has(t.id));
}

function splitSelector(word: string): [string, string] {
  if (word === 'all') return ['all', ''];
  const i = word.indexOf(':');
  if (i < 0) return ['set', word];
  return [word.slice(0, i), word.slice(i + 1)];
}
