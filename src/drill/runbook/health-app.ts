import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseVerify } from '../../capabilities/shared/health-after.js';
import type { Outcome } from '../../core/plan.js';
import { check, type Expectation } from '../scenario.js';
import { lastAuditRecord } from './fixture-support.js';
import type { RunbookWorld } from './world.js';

/**
 * The application a runbook's health checks probe: a small local HTTP server that answers
 * `GET /<check-name>` with `{"status":"ok"}` for every check a fixture registered, 404 for anything
 * else, and `503 {"status":"unhealthy"}` for a check a test marked unhealthy. Health checks the
 * drill's firebreak.yml does not define are added pointing at it (a check it defines is left alone:
 * that URL is the organisation's own).
 */
export interface HealthApp {
  base: string;
  /** Probes received per path. */
  hits: Map<string, number>;
  /** Check names the app answers for. */
  served: Set<string>;
  /** Check names the app answers as unhealthy (tests). */
  unhealthy: Set<string>;
}

export function healthApp(world: RunbookWorld): Promise<HealthApp> {
  return world.service('app', async () => {
    const app: Omit<HealthApp, 'base'> = { hits: new Map(), served: new Set(), unhealthy: new Set() };
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      app.hits.set(path, (app.hits.get(path) ?? 0) + 1);
      const name = path.slice(1);
      const status = !app.served.has(name) ? 404 : app.unhealthy.has(name) ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: status === 200 ? 'ok' : status === 503 ? 'unhealthy' : 'not found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { value: { base, ...app }, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  });
}

interface ConfiguredCheck {
  name?: unknown;
  url?: unknown;
}

/** The checks firebreak.yml `health.checks` defines, as written. */
export async function configuredChecks(world: RunbookWorld): Promise<ConfiguredCheck[]> {
  const checks = await world.configValue(['health', 'checks']);
  return Array.isArray(checks) ? (checks as ConfiguredCheck[]) : [];
}

/**
 * Makes every named check exist: served by the app, and in `health.checks` when the drill config
 * does not define it. Returns the app.
 */
export async function ensureHealthChecks(world: RunbookWorld, names: readonly string[]): Promise<HealthApp> {
  const app = await healthApp(world);
  const existing = await configuredChecks(world);
  const defined = new Set(existing.map((c) => String(c.name)));
  const added = names.filter((n) => !defined.has(n));
  for (const n of names) app.served.add(n);
  if (added.length) {
    // One retry, a short back-off (slept on the drill clock): an answer that stays wrong fails the check.
    const entries = added.map((name) => ({ name, url: `${app.base}/${name}`, json: { path: 'status', equals: 'ok' }, retries: 1, backoff_ms: 100 }));
    await world.patchConfig(['health', 'checks'], [...existing, ...entries]);
  }
  return app;
}

/** The checks a route or rate step will run after applying: its `verify` input, else `<section>.verify_after`. */
export async function verifyAfterNames(world: RunbookWorld, input: Readonly<Record<string, unknown>>, section: 'routes' | 'rate_limits'): Promise<string[]> {
  const given = safeParseVerify(input.verify);
  if (given === undefined) return [];
  if (given) return given;
  const configured = await world.configValue([section, 'verify_after']);
  return Array.isArray(configured) ? configured.map(String) : [];
}

/**
 * Check names as the step reads them (null: none given); undefined when malformed: that is the step's
 * to refuse (VERIFY_INVALID, which a runbook may expect), so the fixture provisions nothing for it.
 */
export function safeParseVerify(raw: unknown): string[] | null | undefined {
  try {
    return parseVerify(raw);
  } catch {
    return undefined;
  }
}

/** A check's probe path on the app. */
export function checkPath(name: string): string {
  return `/${name}`;
}

/** Probes the app has received so far for each named check (a fixture snapshots this before a step). */
export function probeCounts(app: HealthApp, names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.map((n) => [n, app.hits.get(checkPath(n)) ?? 0]));
}

/**
 * The named checks passed in the step's last run (its audit record's outcomes), and the app really
 * received a probe for each check that points at it since `before` (so a check is never passed on
 * paper: it was probed).
 */
export async function healthChecksPassed(world: RunbookWorld, step: string, names: readonly string[], before: Readonly<Record<string, number>>, opts: { afterChange?: boolean } = {}): Promise<Expectation[]> {
  const out: Expectation[] = [];
  const record = await lastAuditRecord(world, step);
  const all = (record?.result as { outcomes?: Outcome[] } | null | undefined)?.outcomes ?? [];
  const outcomes = all.filter((o) => o.target === 'health');
  // A step's after-checks run only when it changed something: a re-run that changed nothing skips them.
  if (opts.afterChange && !all.some((o) => o.target !== 'health' && o.status === 'applied')) {
    return names.map((name) => {
      const o = outcomes.find((x) => x.subject === name);
      return check(`${step} changed nothing: health check ${name} not run`, o === undefined || o.status === 'skipped', `${o?.status}: ${o?.reason}`);
    });
  }
  const app = await healthApp(world);
  const pointsAtApp = new Set((await configuredChecks(world)).filter((c) => typeof c.url === 'string' && c.url.startsWith(`${app.base}/`)).map((c) => String(c.name)));
  for (const name of names) {
    const o = outcomes.find((x) => x.subject === name);
    out.push(check(`${step}: health check ${name} passed`, o?.status === 'applied', o ? `${o.status}${o.reason ? `: ${o.reason}` : ''}` : `no outcome for ${name} (outcomes: ${outcomes.map((x) => x.subject).join(', ') || 'none'})`));
  }
  for (const name of names.filter((n) => pointsAtApp.has(n))) {
    const seen = app.hits.get(checkPath(name)) ?? 0;
    out.push(check(`${step}: the application received ${name}'s probe`, seen > (before[name] ?? 0), `${seen} probe(s), ${before[name] ?? 0} before the step`));
  }
  return out;
}
