import type { HandlerContext, HandlerResult, Handler } from './handlers.js';
import { paginate } from './handlers.js';
import type { GitHubState } from './state.js';

/**
 * Code-scanning and secret-scanning alert lists (`code-scanning/list-alerts-for-repo`,
 * `secret-scanning/list-alerts-for-repo`), what `firebreak alert poll-scanning` reads because the
 * alert events cannot start a workflow. Tests and drills seed alerts here. GitHub's behaviour the
 * spec cannot express:
 *
 * - `state` filters; `sort` (created, number for code scanning, updated) and `direction` (default
 *   desc) order; `page`/`per_page` paginate with a Link header like every other list;
 * - a secret-scanning alert carries its `secret` value unless the request says `hide_secret=true`.
 *   `ignoreHideSecret` plays a server that does not know the parameter (GitHub Enterprise Server
 *   before it existed) and answers the secret anyway: the poller must drop it unread;
 *   `ignoreStateFilter` answers closed alerts to a `state=open` request: the poller must skip them.
 */

export interface CodeScanningAlertSeed {
  number?: number;
  state?: 'open' | 'dismissed' | 'fixed';
  rule: { id: string; description: string; severity?: 'none' | 'note' | 'warning' | 'error'; security_severity_level?: 'low' | 'medium' | 'high' | 'critical' };
  tool?: string;
  /** The message of the most recent instance (sender text: may hold anything). */
  message?: string;
  path?: string;
}

export interface SecretScanningAlertSeed {
  number?: number;
  state?: 'open' | 'resolved';
  resolution?: 'false_positive' | 'wont_fix' | 'revoked' | 'used_in_tests';
  secretType: string;
  secretTypeDisplayName?: string;
  /** The leaked value itself: GitHub returns it unless `hide_secret=true`. */
  secret: string;
  validity?: 'active' | 'inactive' | 'unknown';
  publiclyLeaked?: boolean;
}

interface Stamped {
  number: number;
  createdAt: string;
  updatedAt: string;
}

export type CodeScanningAlertRecord = Required<Pick<CodeScanningAlertSeed, 'state'>> & Omit<CodeScanningAlertSeed, 'number' | 'state'> & Stamped;
export type SecretScanningAlertRecord = Required<Pick<SecretScanningAlertSeed, 'state'>> & Omit<SecretScanningAlertSeed, 'number' | 'state'> & Stamped;

export interface ScanningState {
  codeScanning: CodeScanningAlertRecord[];
  secretScanning: SecretScanningAlertRecord[];
  /** Answer `secret` even when asked to hide it (a server that ignores `hide_secret`). */
  ignoreHideSecret: boolean;
  /** Answer every state whatever `state` asks for (a proxy or server that drops the filter). */
  ignoreStateFilter: boolean;
  /** The query of every list request, oldest first (what the poller asked for). */
  queries: Array<{ operationId: string; query: Record<string, unknown> }>;
}

const STATES = new WeakMap<GitHubState, ScanningState>();

export function scanningState(state: GitHubState): ScanningState {
  let s = STATES.get(state);
  if (!s) STATES.set(state, (s = { codeScanning: [], secretScanning: [], ignoreHideSecret: false, ignoreStateFilter: false, queries: [] }));
  return s;
}

/** Alert numbers are per repository and per tool family, from 1, like GitHub's. */
export function seedCodeScanningAlert(state: GitHubState, seed: CodeScanningAlertSeed): CodeScanningAlertRecord {
  const s = scanningState(state);
  const at = state.now();
  const { number, state: alertState, ...rest } = seed;
  const record: CodeScanningAlertRecord = { ...rest, number: number ?? s.codeScanning.length + 1, state: alertState ?? 'open', createdAt: at, updatedAt: at };
  s.codeScanning.push(record);
  return record;
}

export function seedSecretScanningAlert(state: GitHubState, seed: SecretScanningAlertSeed): SecretScanningAlertRecord {
  const s = scanningState(state);
  const at = state.now();
  const { number, state: alertState, ...rest } = seed;
  const record: SecretScanningAlertRecord = { ...rest, number: number ?? s.secretScanning.length + 1, state: alertState ?? 'open', createdAt: at, updatedAt: at };
  s.secretScanning.push(record);
  return record;
}

function ordered<T extends Stamped>(items: T[], query: Record<string, unknown>): T[] {
  const sort = String(query.sort ?? 'created');
  const key = (a: T): string | number => (sort === 'number' ? a.number : sort === 'updated' ? a.updatedAt : a.createdAt);
  const sign = query.direction === 'asc' ? 1 : -1;
  // Ties (same timestamp) fall back to the number, so pages never overlap or skip.
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.number - b.number) * sign;
  });
}

function codeScanningItem(ctx: HandlerContext, a: CodeScanningAlertRecord): Record<string, unknown> {
  const html = `${ctx.url.origin}/${ctx.state.owner}/${ctx.state.repo}/security/code-scanning/${a.number}`;
  const api = `${ctx.url.origin}/repos/${ctx.state.owner}/${ctx.state.repo}/code-scanning/alerts/${a.number}`;
  const dismissed = a.state === 'dismissed';
  return ctx.build.complete('code-scanning-alert-items', {
    number: a.number,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    url: api,
    html_url: html,
    instances_url: `${api}/instances`,
    state: a.state,
    fixed_at: a.state === 'fixed' ? a.updatedAt : null,
    dismissed_by: dismissed ? ctx.build.user('security-lead', 4141) : null,
    dismissed_at: dismissed ? a.updatedAt : null,
    dismissed_reason: dismissed ? 'false positive' : null,
    dismissed_comment: null,
    rule: { id: a.rule.id, name: a.rule.id, description: a.rule.description, severity: a.rule.severity ?? 'error', security_severity_level: a.rule.security_severity_level ?? null, tags: ['security'] },
    tool: { name: a.tool ?? 'CodeQL', version: '2.20.0', guid: null },
    most_recent_instance: {
      ref: 'refs/heads/main',
      analysis_key: '.github/workflows/codeql.yml:analyze',
      environment: '{}',
      category: '.github/workflows/codeql.yml:analyze',
      state: a.state,
      commit_sha: '0'.repeat(40),
      message: { text: a.message ?? a.rule.description },
      location: { path: a.path ?? 'src/index.ts', start_line: 1, end_line: 1, start_column: 1, end_column: 2 },
      classifications: [],
    },
  });
}

function secretScanningItem(ctx: HandlerContext, a: SecretScanningAlertRecord, hide: boolean): Record<string, unknown> {
  const api = `${ctx.url.origin}/repos/${ctx.state.owner}/${ctx.state.repo}/secret-scanning/alerts/${a.number}`;
  const resolved = a.state === 'resolved';
  return {
    number: a.number,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    url: api,
    html_url: `${ctx.url.origin}/${ctx.state.owner}/${ctx.state.repo}/security/secret-scanning/${a.number}`,
    locations_url: `${api}/locations`,
    state: a.state,
    resolution: resolved ? (a.resolution ?? 'revoked') : null,
    resolved_at: resolved ? a.updatedAt : null,
    resolved_by: resolved ? ctx.build.user('security-lead', 4141) : null,
    resolution_comment: null,
    secret_type: a.secretType,
    secret_type_display_name: a.secretTypeDisplayName ?? a.secretType,
    ...(hide ? {} : { secret: a.secret }),
    validity: a.validity ?? 'unknown',
    publicly_leaked: a.publiclyLeaked ?? false,
    multi_repo: false,
    push_protection_bypassed: false,
    push_protection_bypassed_by: null,
    push_protection_bypassed_at: null,
    has_more_locations: false,
  };
}

function list(ctx: HandlerContext, operationId: string, build: () => Array<Record<string, unknown>>): HandlerResult {
  scanningState(ctx.state).queries.push({ operationId, query: { ...ctx.query } });
  const { items, headers } = paginate(ctx, build());
  return { status: 200, body: items, ...(Object.keys(headers).length ? { headers } : {}) };
}

/** A function declaration, so handlers.ts can spread it while the two modules import each other. */
export function scanningHandlers(): Record<string, Handler> {
  return {
    'code-scanning/list-alerts-for-repo': (ctx) =>
      list(ctx, 'code-scanning/list-alerts-for-repo', () => {
        const s = scanningState(ctx.state);
        const wanted = s.ignoreStateFilter ? undefined : (ctx.query.state as string | undefined);
        return ordered(
          s.codeScanning.filter((a) => !wanted || a.state === wanted),
          ctx.query,
        ).map((a) => codeScanningItem(ctx, a));
      }),
    'secret-scanning/list-alerts-for-repo': (ctx) =>
      list(ctx, 'secret-scanning/list-alerts-for-repo', () => {
        const s = scanningState(ctx.state);
        const wanted = s.ignoreStateFilter ? undefined : (ctx.query.state as string | undefined);
        const hide = ctx.query.hide_secret === true && !s.ignoreHideSecret;
        return ordered(
          s.secretScanning.filter((a) => !wanted || a.state === wanted),
          ctx.query,
        ).map((a) => secretScanningItem(ctx, a, hide));
      }),
  };
}
