import type { IncidentConfig } from '../config/sections/incident.js';
import { ConfigError, InputError } from '../errors.js';
import type { SeverityScheme } from './severity.js';
import type { Notice } from './cadence.js';
import { PERSONAL_CATEGORIES } from './clock.js';
import type { IncidentState } from './state.js';

/**
 * Who commands and who is paged, from config (issue 10 §6):
 * - the incident commander by severity (seed 004 "P1/P2: Senior engineer or team lead; P3/P4:
 *   On-call engineer"): the first handle of the matching rule's roster role;
 * - escalation routed by category (seed 004's escalation path: infrastructure → DevOps Lead,
 *   security → Security Engineer → CISO, data breach → CISO / Legal). `data_breach` also applies
 *   by itself when the facts show personal data, whatever category the responder chose.
 */

export const DATA_BREACH_CATEGORY = 'data_breach';

type RosterConfig = Pick<IncidentConfig, 'commander' | 'roster'>;

/** The roster role that commands this severity: the first matching rule, else `incident_commander`. */
export function commanderRole(severity: string, config: Pick<IncidentConfig, 'commander'>): string {
  return config.commander.find((r) => r.severities.includes(severity))?.role ?? 'incident_commander';
}

/** The commander for a severity: the first handle of its role (empty when the roster has none). */
export function commanderFor(severity: string, config: RosterConfig): string[] {
  return (config.roster[commanderRole(severity, config)] ?? []).slice(0, 1);
}

/**
 * Roles after a reclassification: a new commander only when the new severity is commanded by
 * another role (a manual hand-over within the same tier is kept).
 */
export function rolesAfterReclassification(state: Pick<IncidentState, 'roles' | 'severity'>, next: string, config: RosterConfig): Record<string, string[]> | undefined {
  const from = commanderRole(state.severity, config);
  const to = commanderRole(next, config);
  if (from === to) return undefined;
  const ic = commanderFor(next, config);
  if (ic.length === 0) return undefined;
  return { ...state.roles, incident_commander: ic };
}

/** Categories from an input (`security, infrastructure`): each must be a configured route. */
export function parseCategories(raw: unknown, config: Pick<IncidentConfig, 'routes'>): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const items = (Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : undefined)?.map((s) => String(s).trim().toLowerCase()).filter(Boolean);
  if (!items) throw new InputError('category must be text like "security, infrastructure"', { field: 'category' });
  const known = Object.keys(config.routes);
  const unknown = items.filter((c) => !known.includes(c));
  if (unknown.length) {
    throw new InputError(`unknown category ${unknown.map((u) => `"${u.slice(0, 40)}"`).join(', ')}; configured routes: ${known.join(', ') || 'none'}`, {
      field: 'category',
      code: 'CATEGORY_UNKNOWN',
      hint: 'Categories route escalation: add them under incident.routes in firebreak.yml (see docs/operators/config.md).',
    });
  }
  return [...new Set(items)];
}

/** Categories that route this incident now: the chosen ones, plus data_breach when the facts say so. */
export function routedCategories(state: Pick<IncidentState, 'categories' | 'facts'>): string[] {
  const breach = state.facts.data_categories.some((c) => PERSONAL_CATEGORIES.includes(c.toLowerCase()));
  return [...new Set([...state.categories, ...(breach ? [DATA_BREACH_CATEGORY] : [])])];
}

/** Route notices due now, keyed `route:<category>:<rung>:<role>` so each rung pages once. */
export function routeNotices(state: IncidentState, config: Pick<IncidentConfig, 'routes' | 'roster'>, now: Date): Notice[] {
  if (state.status === 'closed') return [];
  const out: Notice[] = [];
  const since = now.getTime() - Date.parse(state.declaredAt);
  for (const category of routedCategories(state)) {
    const ladder = config.routes[category];
    if (!ladder) continue;
    ladder.forEach((step, i) => {
      if (step.severities && !step.severities.includes(state.severity)) return;
      if (since < step.after_minutes * 60_000) return;
      const key = `route:${category}:${i}:${step.notify}`;
      if (state.postedKeys.has(key)) return;
      out.push({
        key,
        kind: 'escalation',
        mentions: state.roles[step.notify] ?? config.roster[step.notify] ?? [],
        text: `Routing this ${category.replace(/_/g, ' ')} incident to ${step.notify}${i > 0 ? ` (rung ${i + 1}, ${step.after_minutes} min after declaration)` : ''}.`,
      });
    });
  }
  return out;
}

/**
 * Severity ids and roles that own clocks, commander rules and routes name must exist: a typo
 * (`SEV-1` for `SEV1`) would otherwise silently never apply. Called by declare and classify.
 */
export function checkClockAndRouteConfig(config: Pick<IncidentConfig, 'own_clocks' | 'commander' | 'routes' | 'roster'>, scheme: Pick<SeverityScheme, 'levels'>): void {
  const ids = new Set(scheme.levels.map((l) => l.id));
  const problems: Array<{ field: string; message: string }> = [];
  const sev = (field: string, list: readonly string[] | undefined) => {
    for (const s of list ?? []) if (!ids.has(s)) problems.push({ field, message: `unknown severity "${s}" (the scheme has ${[...ids].join(', ')})` });
  };
  config.own_clocks.forEach((c, i) => sev(`incident.own_clocks.${i}.severities`, c.severities));
  config.commander.forEach((c, i) => {
    sev(`incident.commander.${i}.severities`, c.severities);
    if (!(config.roster[c.role]?.length)) problems.push({ field: `incident.commander.${i}.role`, message: `role "${c.role}" has nobody in incident.roster` });
  });
  for (const [cat, ladder] of Object.entries(config.routes)) ladder.forEach((r, i) => sev(`incident.routes.${cat}.${i}.severities`, r.severities));
  if (problems.length) {
    throw new ConfigError(`firebreak.yml: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`, problems.map((p) => ({ file: 'firebreak.yml', line: 0, column: 0, ...p })));
  }
}
