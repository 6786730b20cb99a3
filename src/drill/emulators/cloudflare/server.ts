import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { KIT_VARIABLES } from '../../../core/names.js';
import { ENV } from '../../../runtime/env.js';
import { applyFault, FaultScript, type RequestRecord } from '../faults.js';
import { envelopeSchema, failureEnvelopeSchema, OPERATIONS, type Operation, type SupportedPhase } from './spec.js';
import {
  CloudflareApiError,
  CloudflareState,
  ERROR_CODES,
  type BulkOperation,
  type BulkTiming,
  type ListRecord,
  type Plan,
  type RuleInput,
  type RulesetBody,
  type RulesetRecord,
  type WorkerVersion,
} from './state.js';

/**
 * A stateful, in-process Cloudflare v4 API for tests, drills and benchmarks. The official `cloudflare`
 * SDK reaches it with `new Cloudflare({ apiToken: token, baseURL: baseUrl })`. Every request and
 * response is checked against our spec subset (spec.ts): unknown endpoints and malformed requests are
 * answered like the real API would refuse them AND recorded in `violations`, so a test can assert its
 * client spoke the real contract.
 */

export interface CloudflareRequestRecord extends RequestRecord {
  /** spec.ts operation id, when the request matched one. */
  operation?: string;
}

export interface Violation {
  kind: 'unknown-endpoint' | 'malformed-request' | 'invalid-response';
  method: string;
  path: string;
  operation?: string;
  detail: string;
}

export interface CloudflareEmulatorOptions {
  token?: string;
  accountId?: string;
  zoneId?: string;
  plan?: Plan;
  /** Item capacity across all lists of the account (default 10,000). */
  maxItems?: number;
  /** Overrides the plan's list count. */
  maxLists?: number;
  maxCustomRules?: number;
  /** When list item writes complete (default: on the 2nd status poll, or after 1 s). */
  bulk?: BulkTiming;
  /** Default page size of list items (the real API pages too; small pages exercise cursors). */
  itemsPerPage?: number;
  /**
   * The global per-token limit (off by default). `GLOBAL_RATE_LIMIT` is the real one: 1,200 requests
   * per 5 minutes, then blocked for 5 minutes. Tests pass small numbers.
   */
  rateLimit?: { requests: number; windowMs: number; blockMs: number };
  now?: () => number;
}

export interface CloudflareEmulator {
  /** Includes `/client/v4`, like the real base URL. */
  baseUrl: string;
  token: string;
  accountId: string;
  zoneId: string;
  state: CloudflareState;
  faults: FaultScript;
  requests: CloudflareRequestRecord[];
  violations: Violation[];
  /** Token and base URL (runtime/env.ts names) plus account and zone ids (core/names.ts kit variables). */
  env(): Record<string, string>;
  /** Throws when any response failed our schema (call in afterEach). */
  assertResponsesValid(): void;
  /** Empties state, faults, the request log and violations. */
  reset(): void;
  stop(): Promise<void>;
}

const PREFIX = '/client/v4';
/** Cloudflare's global API limit per token (developers.cloudflare.com/fundamentals/api/reference/limits/). */
export const GLOBAL_RATE_LIMIT = { requests: 1200, windowMs: 5 * 60_000, blockMs: 5 * 60_000 } as const;
/** Code Cloudflare answers a throttled call with ("Please wait and consider throttling your request speed"). */
export const RATE_LIMITED_CODE = 971;
const DEFAULT_ACCOUNT = '0123456789abcdef0123456789abcdef';
const DEFAULT_ZONE = 'fedcba9876543210fedcba9876543210';

interface CompiledOperation extends Operation {
  segments: string[];
  literalCount: number;
  validateBody?: ValidateFunction;
  validateQuery?: ValidateFunction;
  validateResponse: ValidateFunction;
}

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
// ajv-formats is CommonJS: under NodeNext its function may arrive as the module or as `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
addFormats(ajv);
const validateFailure = ajv.compile(failureEnvelopeSchema);

/** Compiled once per process: every emulator instance shares the same spec. */
const compiled: CompiledOperation[] = OPERATIONS.map((op) => {
  const segments = op.path.split('/').filter(Boolean);
  const c: CompiledOperation = {
    ...op,
    segments,
    literalCount: segments.filter((s) => !s.startsWith('{')).length,
    validateResponse: ajv.compile(envelopeSchema(op.result, op.resultInfo)),
  };
  if (op.body) c.validateBody = ajv.compile(op.body);
  if (op.query) c.validateQuery = ajv.compile(op.query);
  return c;
}).sort((a, b) => b.literalCount - a.literalCount);

function matchOperation(method: string, path: string): { op: CompiledOperation; params: Record<string, string> } | { methodMismatch: boolean } {
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { methodMismatch: false };
  }
  let methodMismatch = false;
  for (const op of compiled) {
    if (op.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = op.segments.every((seg, i) => {
      const part = parts[i] ?? '';
      if (!seg.startsWith('{')) return seg === part;
      const name = seg.slice(1, -1);
      const allowed = op.params?.[name];
      if (allowed && !allowed.includes(part)) return false;
      params[name] = part;
      return part.length > 0;
    });
    if (!ok) continue;
    if (op.method !== method) {
      methodMismatch = true;
      continue;
    }
    return { op, params };
  }
  return { methodMismatch };
}

function envelope(result: unknown, resultInfo?: unknown) {
  return { success: true, errors: [], messages: [], result, ...(resultInfo === undefined ? {} : { result_info: resultInfo }) };
}

function failure(code: number, message: string) {
  return { success: false, errors: [{ code, message }], messages: [], result: null };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const ajvErrors = (v: ValidateFunction) => (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`).join('; ');

export async function startCloudflareEmulator(opts: CloudflareEmulatorOptions = {}): Promise<CloudflareEmulator> {
  const token = opts.token ?? `cf-emulator-${Math.random().toString(36).slice(2)}`;
  const accountId = opts.accountId ?? DEFAULT_ACCOUNT;
  const zoneId = opts.zoneId ?? DEFAULT_ZONE;
  const stateOpts: ConstructorParameters<typeof CloudflareState>[0] = { accountId, zoneId };
  if (opts.plan) stateOpts.plan = opts.plan;
  if (opts.maxItems !== undefined) stateOpts.maxItems = opts.maxItems;
  if (opts.maxLists !== undefined) stateOpts.maxLists = opts.maxLists;
  if (opts.maxCustomRules !== undefined) stateOpts.maxCustomRules = opts.maxCustomRules;
  if (opts.bulk) stateOpts.bulk = opts.bulk;
  if (opts.now) stateOpts.now = opts.now;
  const state = new CloudflareState(stateOpts);
  const faults = new FaultScript();
  const requests: CloudflareRequestRecord[] = [];
  const violations: Violation[] = [];
  const itemsPerPage = opts.itemsPerPage ?? 25;

  const handlers: Record<string, (p: Record<string, string>, q: Record<string, string>, body: unknown) => { result: unknown; resultInfo?: unknown }> = {
    'lists.create': (p, _q, b) => ({ result: listOut(state.createList(p['account_id']!, b as Parameters<CloudflareState['createList']>[1])) }),
    'lists.list': (p) => {
      if (p['account_id'] !== accountId) throw new CloudflareApiError(403, ERROR_CODES.authentication, 'Authentication error');
      state.advance();
      return { result: [...state.lists.values()].map(listOut) };
    },
    'lists.get': (p) => ({ result: listOut(state.getList(p['account_id']!, p['list_id']!)) }),
    'lists.update': (p, _q, b) => ({ result: listOut(state.updateList(p['account_id']!, p['list_id']!, b as { description?: string })) }),
    'lists.delete': (p) => {
      state.deleteList(p['account_id']!, p['list_id']!);
      return { result: { id: p['list_id']! } };
    },
    'lists.items.list': (p, q) => {
      const list = state.getList(p['account_id']!, p['list_id']!);
      const perPage = Math.min(Number(q['per_page'] ?? itemsPerPage), 500);
      let offset = 0;
      if (q['cursor'] !== undefined) offset = decodeCursor(q['cursor'], list.id);
      const search = q['search']?.toLowerCase();
      const all = search ? list.items.filter((i) => i.ip.includes(search) || (i.comment ?? '').toLowerCase().includes(search)) : list.items;
      const page = all.slice(offset, offset + perPage);
      const cursors: { after?: string; before?: string } = {};
      if (offset + perPage < all.length) cursors.after = encodeCursor(offset + perPage, list.id);
      if (offset > 0) cursors.before = encodeCursor(Math.max(0, offset - perPage), list.id);
      return { result: page.map((i) => ({ ...i })), resultInfo: { cursors } };
    },
    'lists.items.get': (p) => {
      const list = state.getList(p['account_id']!, p['list_id']!);
      const item = list.items.find((i) => i.id === p['item_id']);
      if (!item) throw new CloudflareApiError(404, ERROR_CODES.notFound, 'list item not found');
      return { result: { ...item } };
    },
    'lists.items.create': (p, _q, b) => ({ result: opOut(state.queueBulk(p['account_id']!, p['list_id']!, 'append', { items: b as { ip: string }[] })) }),
    'lists.items.update': (p, _q, b) => ({ result: opOut(state.queueBulk(p['account_id']!, p['list_id']!, 'replace', { items: b as { ip: string }[] })) }),
    'lists.items.delete': (p, _q, b) => ({
      result: opOut(state.queueBulk(p['account_id']!, p['list_id']!, 'delete', { ids: (b as { items: { id: string }[] }).items.map((i) => i.id) })),
    }),
    'lists.bulkOperations.get': (p) => ({ result: bulkOut(state.pollBulk(p['account_id']!, p['operation_id']!)) }),
    'rulesets.phases.get': (p) => ({ result: rulesetOut(state.getEntrypoint(p['zone_id']!, p['phase'] as SupportedPhase)) }),
    'rulesets.phases.update': (p, _q, b) => ({ result: rulesetOut(state.putEntrypoint(p['zone_id']!, p['phase'] as SupportedPhase, b as RulesetBody)) }),
    'rulesets.get': (p) => ({ result: rulesetOut(state.getRuleset(p['zone_id']!, p['ruleset_id']!)) }),
    'rulesets.update': (p, _q, b) => ({ result: rulesetOut(state.putRuleset(p['zone_id']!, p['ruleset_id']!, b as RulesetBody)) }),
    'rulesets.rules.create': (p, _q, b) => ({ result: rulesetOut(state.addRule(p['zone_id']!, p['ruleset_id']!, b as RuleInput)) }),
    'rulesets.rules.edit': (p, _q, b) => ({ result: rulesetOut(state.editRule(p['zone_id']!, p['ruleset_id']!, p['rule_id']!, b as RuleInput)) }),
    'rulesets.rules.delete': (p) => ({ result: rulesetOut(state.deleteRule(p['zone_id']!, p['ruleset_id']!, p['rule_id']!)) }),
    'workers.versions.list': (p, q) => {
      const script = state.getWorker(p['account_id']!, p['script_name']!);
      const page = Number(q['page'] ?? 1);
      const perPage = Math.min(Number(q['per_page'] ?? 10), 100);
      const items = script.versions.slice((page - 1) * perPage, page * perPage).map(versionOut);
      return { result: { items }, resultInfo: { page, per_page: perPage, count: items.length, total_count: script.versions.length } };
    },
    'workers.deployments.list': (p) => {
      const script = state.getWorker(p['account_id']!, p['script_name']!);
      return { result: { deployments: script.deployments.map((d) => structuredClone(d)) } };
    },
    'workers.deployments.create': (p, q, b) => {
      const body = b as { versions: { version_id: string; percentage: number }[]; annotations?: Record<string, string> };
      return { result: structuredClone(state.deployWorker(p['account_id']!, p['script_name']!, body, q['force'] === 'true')) };
    },
    'workers.secrets.update': (p, _q, b) => {
      const body = b as { name: string; text: string };
      state.putWorkerSecret(p['account_id']!, p['script_name']!, body.name, body.text);
      return { result: { name: body.name, type: 'secret_text' } };
    },
  };

  const unhandled = OPERATIONS.filter((op) => !handlers[op.id]).map((op) => op.id);
  if (unhandled.length > 0) throw new Error(`Cloudflare emulator: spec operations without a handler: ${unhandled.join(', ')}`);

  function listOut(l: ListRecord) {
    return {
      id: l.id,
      name: l.name,
      kind: l.kind,
      ...(l.description === undefined ? {} : { description: l.description }),
      num_items: l.items.length,
      num_referencing_filters: state.referencingRules(l.name),
      created_on: l.createdOn,
      modified_on: l.modifiedOn,
    };
  }

  // Sliding window of accepted request times; once over the limit every call is refused until the block ends.
  const window: number[] = [];
  let blockedUntil = 0;
  const clock = opts.now ?? Date.now;
  /** Milliseconds the caller must wait, or 0 when the request may proceed. */
  function throttle(): number {
    const limit = opts.rateLimit;
    if (!limit) return 0;
    const now = clock();
    if (now < blockedUntil) return blockedUntil - now;
    while (window.length > 0 && (window[0] ?? 0) <= now - limit.windowMs) window.shift();
    if (window.length >= limit.requests) {
      blockedUntil = now + limit.blockMs;
      window.length = 0;
      return limit.blockMs;
    }
    window.push(now);
    return 0;
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // A bug in the emulator itself: answer 500 so the client fails loudly rather than hangs.
      if (!res.headersSent) send(res, 500, failure(10500, `emulator internal error: ${err instanceof Error ? err.message : String(err)}`));
    });
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const rawPath = url.pathname;
    // Logged on arrival (status filled in on answer) so the log keeps arrival order and a request held
    // by a timeout fault cannot land in the log after a reset.
    const record: CloudflareRequestRecord = { method, path: rawPath, target: undefined, status: 0, faulted: false };
    requests.push(record);
    const finish = (status: number, body: unknown, headers?: Record<string, string>) => {
      record.status = status;
      send(res, status, body, headers);
    };

    const fault = await applyFault(faults, req, res);
    if (fault.handled) {
      record.status = res.headersSent ? res.statusCode : 0;
      record.faulted = true;
      return;
    }
    record.faulted = fault.faulted;
    const bodyText = await readBody(req);

    const path = rawPath.startsWith(PREFIX) ? rawPath.slice(PREFIX.length) : undefined;
    const match = path === undefined ? { methodMismatch: false } : matchOperation(method, path);
    if (!('op' in match)) {
      const detail = match.methodMismatch ? `method ${method} not supported here` : 'no such endpoint';
      violations.push({ kind: 'unknown-endpoint', method, path: rawPath, detail });
      return finish(match.methodMismatch ? 405 : 404, failure(7000, `emulator: no such endpoint: ${method} ${rawPath}`));
    }
    const { op, params } = match;
    record.operation = op.id;

    const auth = req.headers['authorization'];
    if (!auth) return finish(401, failure(ERROR_CODES.authentication, 'Authentication error: missing Authorization header'));
    if (auth !== `Bearer ${token}`) return finish(403, failure(ERROR_CODES.authentication, 'Authentication error'));
    const throttled = throttle();
    if (throttled > 0) {
      return finish(429, failure(RATE_LIMITED_CODE, 'Please wait and consider throttling your request speed'), { 'retry-after': String(Math.ceil(throttled / 1000)) });
    }

    const malformed = (detail: string) => {
      violations.push({ kind: 'malformed-request', method, path: rawPath, operation: op.id, detail });
      return finish(400, failure(ERROR_CODES.invalidRequest, `malformed request: ${detail}`));
    };
    const query: Record<string, string> = Object.fromEntries(url.searchParams);
    if (op.validateQuery ? !op.validateQuery(query) : Object.keys(query).length > 0) {
      return malformed(op.validateQuery ? `query ${ajvErrors(op.validateQuery)}` : `unexpected query ${url.search}`);
    }
    let body: unknown;
    if (bodyText.trim().length > 0) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        return malformed('body is not valid JSON');
      }
    }
    if (op.validateBody) {
      if (body === undefined) return malformed('missing JSON body');
      if (!op.validateBody(body)) return malformed(`body ${ajvErrors(op.validateBody)}`);
    } else if (body !== undefined && !(typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
      return malformed('unexpected request body');
    }

    let status = 200;
    let out: unknown;
    try {
      state.advance();
      const { result, resultInfo } = handlers[op.id]!(params, query, body);
      out = envelope(result, resultInfo);
      if (!op.validateResponse(out)) {
        const detail = ajvErrors(op.validateResponse);
        violations.push({ kind: 'invalid-response', method, path: rawPath, operation: op.id, detail });
        return finish(500, failure(10500, `emulator response failed its schema: ${detail}`));
      }
    } catch (err) {
      if (!(err instanceof CloudflareApiError)) throw err;
      status = err.status;
      out = failure(err.code, err.message);
      if (!validateFailure(out)) {
        violations.push({ kind: 'invalid-response', method, path: rawPath, operation: op.id, detail: ajvErrors(validateFailure) });
      }
    }
    return finish(status, out);
  }

  // Above 1 s: Node clients (undici, the SDKs) drop a socket whose server hint is `timeout=1`.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}${PREFIX}`;
  let stopped = false;

  return {
    baseUrl,
    token,
    accountId,
    zoneId,
    state,
    faults,
    requests,
    violations,
    env: () => ({
      [ENV.cloudflareToken]: token,
      [ENV.cloudflareBaseUrl]: baseUrl,
      [KIT_VARIABLES.cloudflareAccountId]: accountId,
      [KIT_VARIABLES.cloudflareZoneId]: zoneId,
    }),
    assertResponsesValid() {
      const bad = violations.filter((v) => v.kind === 'invalid-response');
      if (bad.length > 0) throw new Error(`Cloudflare emulator answered outside its spec:\n${bad.map((v) => `${v.method} ${v.path}: ${v.detail}`).join('\n')}`);
    },
    reset() {
      state.clear();
      window.length = 0;
      blockedUntil = 0;
      faults.clear();
      requests.length = 0;
      violations.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (stopped) return resolve();
        stopped = true;
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function encodeCursor(offset: number, listId: string): string {
  return Buffer.from(JSON.stringify({ o: offset, l: listId })).toString('base64url');
}

function decodeCursor(cursor: string, listId: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown; l?: unknown };
    if (typeof parsed.o === 'number' && parsed.o >= 0 && parsed.l === listId) return parsed.o;
  } catch {
    // fall through
  }
  throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, 'invalid cursor');
}

function opOut(op: BulkOperation) {
  return { operation_id: op.id };
}

function bulkOut(op: BulkOperation) {
  if (op.status === 'completed') return { id: op.id, status: op.status, completed: op.completed };
  if (op.status === 'failed') return { id: op.id, status: op.status, completed: op.completed, error: op.error };
  return { id: op.id, status: op.status };
}

function rulesetOut(rs: RulesetRecord) {
  const { zoneId: _zone, ...rest } = rs;
  return structuredClone(rest);
}

function versionOut(v: WorkerVersion) {
  return { id: v.id, number: v.number, metadata: { created_on: v.created_on, modified_on: v.created_on, source: v.source } };
}
