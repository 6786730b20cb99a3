import { randomBytes, randomUUID } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';
import { parseExpression, referencedLists, type Node } from './expression.js';
import type { SupportedPhase } from './spec.js';

/**
 * In-memory Cloudflare account + zone behind the emulator. Every provider rule the emulator enforces
 * lives here (and its numbers in PLAN_LIMITS / IP_RULES), so tests can both drive it through the SDK
 * and inspect it directly.
 */

export type Plan = 'free' | 'pro' | 'business' | 'enterprise';

/** Per-plan limits from Cloudflare's Lists and custom-rules docs (PROVIDERS.md, 2026). */
export const PLAN_LIMITS: Record<Plan, { lists: number; items: number; customRules: number; ratelimitRules: number }> = {
  free: { lists: 1, items: 10_000, customRules: 5, ratelimitRules: 1 },
  pro: { lists: 10, items: 10_000, customRules: 20, ratelimitRules: 2 },
  business: { lists: 10, items: 10_000, customRules: 100, ratelimitRules: 5 },
  enterprise: { lists: 1_000, items: 500_000, customRules: 1_000, ratelimitRules: 100 },
};

/** Accepted IP list item prefixes (developers.cloudflare.com/waf/tools/lists/custom-lists/#ip-lists). */
export const IP_RULES = { ipv4MinPrefix: 8, ipv6MinPrefix: 4, ipv6MaxPrefix: 64 } as const;

/** How many past versions a Workers deployment may roll back to. */
export const WORKER_ROLLBACK_WINDOW = 100;

/**
 * Error codes. Verified against public sources: 10000 (authentication), 10003 (404 "could not find
 * entrypoint ruleset in the <phase> phase"), 10220 (Workers rollback across a secrets change, the code
 * wrangler checks); 971 (global rate limit) is in server.ts. Cloudflare does not document the others; they are
 * emulator stand-ins kept in one place so a test can name them, never something to match in
 * production code (which must go by HTTP status).
 */
export const ERROR_CODES = {
  authentication: 10000,
  notFound: 10001,
  invalidRequest: 10002,
  entrypointNotFound: 10003,
  /** HTTP 429, as documented ("a write operation is still being processed … you will receive a 429"). */
  bulkOperationPending: 10429,
  listLimit: 10004,
  listNameInvalid: 10005,
  listNameTaken: 10006,
  listInUse: 10007,
  invalidItem: 10008,
  unknownList: 10009,
  invalidExpression: 10010,
  ruleLimit: 10011,
  versionNotEligible: 10218,
  secretsChanged: 10220,
  /** Stand-in: Cloudflare documents the refusal (bound resources changed), not its code. */
  bindingsChanged: 10221,
} as const;

export class CloudflareApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CloudflareApiError';
  }
}

const hexId = () => randomBytes(16).toString('hex');

export interface ListRecord {
  id: string;
  accountId: string;
  name: string;
  kind: 'ip' | 'redirect' | 'hostname' | 'asn';
  description?: string;
  createdOn: string;
  modifiedOn: string;
  items: ListItemRecord[];
}

export interface ListItemRecord {
  id: string;
  ip: string;
  comment?: string;
  created_on: string;
  modified_on: string;
}

export type BulkKind = 'append' | 'replace' | 'delete';
export type BulkStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface BulkOperation {
  id: string;
  accountId: string;
  listId: string;
  kind: BulkKind;
  /** Normalised items (append/replace) or item ids (delete). */
  items: { ip: string; comment?: string }[];
  ids: string[];
  status: BulkStatus;
  polls: number;
  createdAt: number;
  completed?: string;
  error?: string;
}

export interface RuleRecord {
  id: string;
  ref: string;
  version: string;
  last_updated: string;
  action: string;
  expression: string;
  enabled: boolean;
  description?: string;
  action_parameters?: Record<string, unknown>;
  ratelimit?: Record<string, unknown>;
  logging?: { enabled: boolean };
}

export interface RulesetRecord {
  id: string;
  zoneId: string;
  name: string;
  description?: string;
  kind: 'zone';
  phase: SupportedPhase;
  version: string;
  last_updated: string;
  rules: RuleRecord[];
}

export interface WorkerVersion {
  id: string;
  number: number;
  created_on: string;
  source: string;
  /** Secrets generation the version was created under: a rollback across a change needs `force`. */
  secretsEpoch: number;
  /** Bindings generation (KV, D1, … resources) it was created under: a rollback across a change is refused. */
  bindingsEpoch: number;
}

export interface WorkerDeployment {
  id: string;
  created_on: string;
  source: string;
  strategy: 'percentage';
  versions: { version_id: string; percentage: number }[];
  annotations?: Record<string, string>;
}

export interface WorkerScript {
  name: string;
  versions: WorkerVersion[];
  deployments: WorkerDeployment[];
  secrets: Map<string, string>;
  secretsEpoch: number;
  bindingsEpoch: number;
}

export interface BulkTiming {
  /** Status polls before an operation completes (the earlier polls answer `running`). Default 2. */
  pollsToComplete?: number;
  /** Also complete once this much time has passed, polled or not (default 1000 ms; Infinity = never). */
  completeAfterMs?: number;
}

export interface CloudflareStateOptions {
  accountId: string;
  zoneId: string;
  plan?: Plan;
  /** Overrides the plan's list count. */
  maxLists?: number;
  /** Overrides the plan's item capacity across all lists of the account (default 10,000). */
  maxItems?: number;
  maxCustomRules?: number;
  bulk?: BulkTiming;
  now?: () => number;
}

/** One ruleset reference `$name` per match. */
const LIST_REF = /\$([A-Za-z0-9_]+)/g;

export class CloudflareState {
  readonly accountId: string;
  readonly zoneId: string;
  readonly limits: { lists: number; items: number; customRules: number; ratelimitRules: number };
  readonly bulk: Required<BulkTiming>;
  readonly lists = new Map<string, ListRecord>();
  /** Every bulk operation ever accepted, oldest first. */
  readonly operations: BulkOperation[] = [];
  readonly rulesets = new Map<string, RulesetRecord>();
  readonly workers = new Map<string, WorkerScript>();
  private failNext: string[] = [];
  private readonly now: () => number;

  constructor(private readonly opts: CloudflareStateOptions) {
    this.accountId = opts.accountId;
    this.zoneId = opts.zoneId;
    const plan = PLAN_LIMITS[opts.plan ?? 'pro'];
    this.limits = {
      lists: opts.maxLists ?? plan.lists,
      items: opts.maxItems ?? 10_000,
      customRules: opts.maxCustomRules ?? plan.customRules,
      ratelimitRules: plan.ratelimitRules,
    };
    this.bulk = { pollsToComplete: opts.bulk?.pollsToComplete ?? 2, completeAfterMs: opts.bulk?.completeAfterMs ?? 1000 };
    this.now = opts.now ?? Date.now;
  }

  /** Empties everything (keeps limits and timing). */
  clear(): void {
    this.lists.clear();
    this.operations.length = 0;
    this.rulesets.clear();
    this.workers.clear();
    this.failNext = [];
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  // ---------------------------------------------------------------- inspection helpers for tests

  /** Current items of a list (after completed operations only). */
  listItems(listId: string): ListItemRecord[] {
    this.advance();
    return [...(this.lists.get(listId)?.items ?? [])];
  }

  listByName(name: string): ListRecord | undefined {
    return [...this.lists.values()].find((l) => l.name === name);
  }

  /** The zone's entry point ruleset for a phase, if created. */
  entrypoint(phase: SupportedPhase, zoneId = this.zoneId): RulesetRecord | undefined {
    return [...this.rulesets.values()].find((r) => r.zoneId === zoneId && r.phase === phase);
  }

  /** Completes every pending operation now (what a long wait would do). */
  settle(): void {
    for (const op of this.operations) if (op.status === 'pending' || op.status === 'running') this.finish(op);
  }

  /** The next accepted bulk operation fails with this error when it completes (nothing changes). */
  failNextBulkOperation(error: string): void {
    this.failNext.push(error);
  }

  // ---------------------------------------------------------------- lists

  private assertAccount(accountId: string): void {
    if (accountId !== this.accountId) throw new CloudflareApiError(403, ERROR_CODES.authentication, 'Authentication error');
  }

  createList(accountId: string, body: { name: string; kind: ListRecord['kind']; description?: string }): ListRecord {
    this.assertAccount(accountId);
    if (!/^[a-z0-9_]+$/.test(body.name) || body.name.length > 50) {
      throw new CloudflareApiError(400, ERROR_CODES.listNameInvalid, 'list name must match ^[a-z0-9_]+$ and be at most 50 characters');
    }
    if (this.listByName(body.name)) throw new CloudflareApiError(409, ERROR_CODES.listNameTaken, `a list named ${body.name} already exists`);
    if (this.lists.size >= this.limits.lists) {
      throw new CloudflareApiError(400, ERROR_CODES.listLimit, `exceeded the maximum number of lists (${this.limits.lists}) for this plan`);
    }
    const at = this.iso();
    const list: ListRecord = { id: hexId(), accountId, name: body.name, kind: body.kind, createdOn: at, modifiedOn: at, items: [] };
    if (body.description !== undefined) list.description = body.description;
    this.lists.set(list.id, list);
    return list;
  }

  getList(accountId: string, listId: string): ListRecord {
    this.assertAccount(accountId);
    this.advance();
    const list = this.lists.get(listId);
    if (!list) throw new CloudflareApiError(404, ERROR_CODES.notFound, 'list not found');
    return list;
  }

  updateList(accountId: string, listId: string, body: { description?: string }): ListRecord {
    const list = this.getList(accountId, listId);
    if (body.description !== undefined) list.description = body.description;
    list.modifiedOn = this.iso();
    return list;
  }

  deleteList(accountId: string, listId: string): void {
    const list = this.getList(accountId, listId);
    const refs = this.referencingRules(list.name);
    if (refs > 0) throw new CloudflareApiError(409, ERROR_CODES.listInUse, `list ${list.name} is referenced by ${refs} rule(s) and cannot be deleted`);
    this.lists.delete(listId);
  }

  /** Rules in any ruleset whose expression names the list. */
  referencingRules(listName: string): number {
    let n = 0;
    for (const rs of this.rulesets.values()) for (const rule of rs.rules) if (listRefs(rule.expression).includes(listName)) n++;
    return n;
  }

  /** Validates and normalises one IP item the way the Lists API does; throws a 400 otherwise. */
  normaliseIp(raw: string): string {
    const value = raw.trim().toLowerCase();
    const [addr = '', prefixText, extra] = value.split('/');
    const bad = (why: string) => new CloudflareApiError(400, ERROR_CODES.invalidItem, `invalid list item ip "${raw}": ${why}`);
    if (extra !== undefined) throw bad('not an IP address or CIDR');
    if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) throw bad('invalid prefix length');
    const prefix = prefixText === undefined ? undefined : Number(prefixText);
    if (isIPv4(addr)) {
      if (prefix === undefined || prefix === 32) return prefix === undefined ? addr : `${addr}/32`;
      if (prefix < IP_RULES.ipv4MinPrefix || prefix > 32) throw bad(`IPv4 prefixes must be /${IP_RULES.ipv4MinPrefix}–/32`);
      const network = ipaddr.IPv4.networkAddressFromCIDR(`${addr}/${prefix}`).toString();
      if (network !== addr) throw bad(`host bits set (network is ${network}/${prefix})`);
      return `${addr}/${prefix}`;
    }
    if (isIPv6(addr)) {
      // A single IPv6 address is stored as its /64; anything narrower than /64 is refused.
      const p = prefix ?? IP_RULES.ipv6MaxPrefix;
      if (prefix !== undefined && (prefix < IP_RULES.ipv6MinPrefix || prefix > IP_RULES.ipv6MaxPrefix)) {
        throw bad(`IPv6 prefixes must be /${IP_RULES.ipv6MinPrefix}–/${IP_RULES.ipv6MaxPrefix}`);
      }
      const network = ipaddr.IPv6.networkAddressFromCIDR(`${addr}/${p}`).toString();
      if (prefix !== undefined && network !== ipaddr.IPv6.parse(addr).toString()) throw bad(`host bits set (network is ${network}/${p})`);
      return `${network}/${p}`;
    }
    throw bad('not an IP address or CIDR');
  }

  /** Queues an item write; the change lands when the operation completes. */
  queueBulk(accountId: string, listId: string, kind: BulkKind, payload: { items?: { ip: string; comment?: string }[]; ids?: string[] }): BulkOperation {
    const list = this.getList(accountId, listId);
    if (this.operations.some((o) => o.accountId === accountId && (o.status === 'pending' || o.status === 'running'))) {
      throw new CloudflareApiError(429, ERROR_CODES.bulkOperationPending, 'a bulk operation is still being processed for this account; submit the request again later');
    }
    const items = (payload.items ?? []).map((i) => {
      if (list.kind !== 'ip') throw new CloudflareApiError(400, ERROR_CODES.invalidItem, `list ${list.name} is of kind ${list.kind}, not ip`);
      const item: { ip: string; comment?: string } = { ip: this.normaliseIp(i.ip) };
      if (i.comment !== undefined) item.comment = i.comment;
      return item;
    });
    const op: BulkOperation = { id: hexId(), accountId, listId, kind, items, ids: payload.ids ?? [], status: 'pending', polls: 0, createdAt: this.now() };
    this.operations.push(op);
    return op;
  }

  /** A status poll: advances the operation by one step (see BulkTiming). */
  pollBulk(accountId: string, operationId: string): BulkOperation {
    this.assertAccount(accountId);
    this.advance();
    const op = this.operations.find((o) => o.id === operationId && o.accountId === accountId);
    if (!op) throw new CloudflareApiError(404, ERROR_CODES.notFound, 'bulk operation not found');
    if (op.status === 'pending' || op.status === 'running') {
      op.polls++;
      if (op.polls >= this.bulk.pollsToComplete) this.finish(op);
      else op.status = 'running';
    }
    return op;
  }

  /** Completes operations whose time has come. Called on every request (no timers to leak). */
  advance(): void {
    const now = this.now();
    for (const op of this.operations) {
      if ((op.status === 'pending' || op.status === 'running') && now - op.createdAt >= this.bulk.completeAfterMs) this.finish(op);
    }
  }

  private finish(op: BulkOperation): void {
    const fail = (error: string) => {
      op.status = 'failed';
      op.error = error;
      op.completed = this.iso();
    };
    const list = this.lists.get(op.listId);
    if (!list) return fail('list was deleted before the operation ran');
    const injected = this.failNext.shift();
    if (injected !== undefined) return fail(injected);
    const at = this.iso();
    let next: ListItemRecord[];
    if (op.kind === 'delete') {
      const drop = new Set(op.ids);
      next = list.items.filter((i) => !drop.has(i.id));
    } else {
      next = op.kind === 'replace' ? [] : list.items.map((i) => ({ ...i }));
      // Indexed by IP: lists hold up to 10,000+ items and a linear search per item would be quadratic.
      const byIp = new Map(next.map((i) => [i.ip, i]));
      for (const item of op.items) {
        const existing = byIp.get(item.ip);
        if (existing) {
          // Appending an existing IP overwrites its comment.
          if (item.comment === undefined) delete existing.comment;
          else existing.comment = item.comment;
          existing.modified_on = at;
        } else {
          const rec: ListItemRecord = { id: hexId(), ip: item.ip, created_on: at, modified_on: at };
          if (item.comment !== undefined) rec.comment = item.comment;
          next.push(rec);
          byIp.set(rec.ip, rec);
        }
      }
    }
    const others = [...this.lists.values()].filter((l) => l.accountId === op.accountId && l.id !== list.id).reduce((n, l) => n + l.items.length, 0);
    if (others + next.length > this.limits.items) {
      return fail(`exceeded the maximum number of list items for this account (${this.limits.items})`);
    }
    list.items = next;
    list.modifiedOn = at;
    op.status = 'completed';
    op.completed = at;
  }

  // ---------------------------------------------------------------- rulesets

  private assertZone(zoneId: string): void {
    if (zoneId !== this.zoneId) throw new CloudflareApiError(403, ERROR_CODES.authentication, 'Authentication error');
  }

  getEntrypoint(zoneId: string, phase: SupportedPhase): RulesetRecord {
    this.assertZone(zoneId);
    const rs = this.entrypoint(phase, zoneId);
    if (!rs) throw new CloudflareApiError(404, ERROR_CODES.entrypointNotFound, `could not find entrypoint ruleset in the ${phase} phase`);
    return rs;
  }

  getRuleset(zoneId: string, rulesetId: string): RulesetRecord {
    this.assertZone(zoneId);
    const rs = this.rulesets.get(rulesetId);
    if (!rs || rs.zoneId !== zoneId) throw new CloudflareApiError(404, ERROR_CODES.notFound, 'ruleset not found');
    return rs;
  }

  /** PUT of an entry point (created when missing): rules not sent are dropped. */
  putEntrypoint(zoneId: string, phase: SupportedPhase, body: RulesetBody): RulesetRecord {
    this.assertZone(zoneId);
    let rs = this.entrypoint(phase, zoneId);
    if (!rs) {
      rs = { id: hexId(), zoneId, name: body.name ?? `default`, kind: 'zone', phase, version: '0', last_updated: this.iso(), rules: [] };
      this.replaceRules(rs, body);
      this.rulesets.set(rs.id, rs);
      return rs;
    }
    return this.replaceRules(rs, body);
  }

  putRuleset(zoneId: string, rulesetId: string, body: RulesetBody): RulesetRecord {
    return this.replaceRules(this.getRuleset(zoneId, rulesetId), body);
  }

  private replaceRules(rs: RulesetRecord, body: RulesetBody): RulesetRecord {
    const at = this.iso();
    const rules = body.rules.map((input) => {
      const prev = input.id ? rs.rules.find((r) => r.id === input.id) : undefined;
      if (input.id && !prev) throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, `rule ${input.id} is not in ruleset ${rs.id}`);
      return this.buildRule(rs.phase, input, prev, at);
    });
    this.checkRules(rs.phase, rules);
    rs.rules = rules;
    if (body.name !== undefined) rs.name = body.name;
    if (body.description !== undefined) rs.description = body.description;
    return this.bump(rs, at);
  }

  addRule(zoneId: string, rulesetId: string, input: RuleInput): RulesetRecord {
    const rs = this.getRuleset(zoneId, rulesetId);
    const at = this.iso();
    const rule = this.buildRule(rs.phase, { ...input, id: undefined }, undefined, at);
    const rules = [...rs.rules];
    rules.splice(this.positionIndex(rules, input.position, rules.length), 0, rule);
    this.checkRules(rs.phase, rules);
    rs.rules = rules;
    return this.bump(rs, at);
  }

  /** PATCH of one rule: the rule becomes exactly what was sent (fields not sent are dropped). */
  editRule(zoneId: string, rulesetId: string, ruleId: string, input: RuleInput): RulesetRecord {
    const rs = this.getRuleset(zoneId, rulesetId);
    const index = rs.rules.findIndex((r) => r.id === ruleId);
    const prev = rs.rules[index];
    if (!prev) throw new CloudflareApiError(404, ERROR_CODES.notFound, `rule ${ruleId} not found in ruleset ${rulesetId}`);
    const at = this.iso();
    const rule = this.buildRule(rs.phase, { ...input, id: ruleId, ref: input.ref ?? prev.ref }, prev, at);
    const rules = rs.rules.filter((r) => r.id !== ruleId);
    rules.splice(input.position ? this.positionIndex(rules, input.position, index) : index, 0, rule);
    this.checkRules(rs.phase, rules);
    rs.rules = rules;
    return this.bump(rs, at);
  }

  deleteRule(zoneId: string, rulesetId: string, ruleId: string): RulesetRecord {
    const rs = this.getRuleset(zoneId, rulesetId);
    if (!rs.rules.some((r) => r.id === ruleId)) throw new CloudflareApiError(404, ERROR_CODES.notFound, `rule ${ruleId} not found in ruleset ${rulesetId}`);
    rs.rules = rs.rules.filter((r) => r.id !== ruleId);
    return this.bump(rs, this.iso());
  }

  private positionIndex(rules: RuleRecord[], position: RuleInput['position'], fallback: number): number {
    if (!position) return fallback;
    if ('index' in position) return Math.min(position.index - 1, rules.length);
    const anchor = 'before' in position ? position.before : position.after;
    const i = rules.findIndex((r) => r.id === anchor);
    if (i < 0) throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, `position refers to unknown rule ${anchor}`);
    return 'before' in position ? i : i + 1;
  }

  private buildRule(phase: SupportedPhase, input: RuleInput, prev: RuleRecord | undefined, at: string): RuleRecord {
    this.checkExpression(input.expression);
    if (phase === 'http_ratelimit' && !input.ratelimit) {
      throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, 'rules in the http_ratelimit phase need a ratelimit object');
    }
    if (phase !== 'http_ratelimit' && input.ratelimit) {
      throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, `ratelimit is not allowed in the ${phase} phase`);
    }
    if (input.action_parameters?.['response'] && input.action !== 'block') {
      throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, 'a custom response is only allowed with the block action');
    }
    const id = prev?.id ?? hexId();
    const rule: RuleRecord = {
      id,
      ref: input.ref ?? prev?.ref ?? id,
      version: prev ? String(Number(prev.version) + 1) : '1',
      last_updated: at,
      action: input.action,
      expression: input.expression,
      enabled: input.enabled ?? true,
    };
    if (input.description !== undefined) rule.description = input.description;
    if (input.action_parameters !== undefined) rule.action_parameters = structuredClone(input.action_parameters);
    if (input.ratelimit !== undefined) rule.ratelimit = structuredClone(input.ratelimit);
    if (input.logging !== undefined) rule.logging = { ...input.logging };
    if (prev && sameRule(prev, rule)) {
      rule.version = prev.version;
      rule.last_updated = prev.last_updated;
    }
    return rule;
  }

  private checkExpression(expression: string): void {
    // Fields, functions and operators as Cloudflare documents them (expression.ts).
    let node: Node;
    try {
      node = parseExpression(expression, { allowRegex: this.opts.plan === 'business' || this.opts.plan === 'enterprise' });
    } catch (error) {
      throw new CloudflareApiError(400, ERROR_CODES.invalidExpression, `${(error as Error).message} in "${expression}"`);
    }
    for (const name of referencedLists(node)) {
      if (!this.listByName(name)) throw new CloudflareApiError(400, ERROR_CODES.unknownList, `filter parsing error: unknown list $${name}`);
    }
  }

  private checkRules(phase: SupportedPhase, rules: RuleRecord[]): void {
    const max = phase === 'http_ratelimit' ? this.limits.ratelimitRules : this.limits.customRules;
    if (rules.length > max) throw new CloudflareApiError(400, ERROR_CODES.ruleLimit, `exceeded the maximum of ${max} rules in the ${phase} phase for this plan`);
    const refs = new Set<string>();
    for (const r of rules) {
      if (refs.has(r.ref)) throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, `duplicate rule ref ${r.ref}`);
      refs.add(r.ref);
    }
  }

  private bump(rs: RulesetRecord, at: string): RulesetRecord {
    rs.version = String(Number(rs.version) + 1);
    rs.last_updated = at;
    return rs;
  }

  // ---------------------------------------------------------------- workers

  /** Creates a script with `versions` versions, the newest deployed at 100% (test and drill setup). */
  seedWorker(name: string, versions = 1): WorkerScript {
    const script: WorkerScript = { name, versions: [], deployments: [], secrets: new Map(), secretsEpoch: 0, bindingsEpoch: 0 };
    this.workers.set(name, script);
    for (let i = 0; i < versions; i++) this.addWorkerVersion(name);
    const latest = script.versions[0];
    if (latest) this.recordDeployment(script, [{ version_id: latest.id, percentage: 100 }], 'api');
    return script;
  }

  /** Uploads a new version (not deployed), as `wrangler versions upload` does. */
  addWorkerVersion(name: string, source = 'wrangler'): WorkerVersion {
    const script = this.getWorker(this.accountId, name);
    const version: WorkerVersion = { id: randomUUID(), number: (script.versions[0]?.number ?? 0) + 1, created_on: this.iso(), source, secretsEpoch: script.secretsEpoch, bindingsEpoch: script.bindingsEpoch };
    script.versions.unshift(version);
    return version;
  }

  getWorker(accountId: string, name: string): WorkerScript {
    this.assertAccount(accountId);
    const script = this.workers.get(name);
    if (!script) throw new CloudflareApiError(404, ERROR_CODES.notFound, `worker ${name} not found`);
    return script;
  }

  /** Setting a secret creates and deploys a new version; older versions now predate the change. */
  putWorkerSecret(accountId: string, name: string, secret: string, text: string): void {
    const script = this.getWorker(accountId, name);
    script.secrets.set(secret, text);
    script.secretsEpoch++;
    const version = this.addWorkerVersion(name, 'api');
    this.recordDeployment(script, [{ version_id: version.id, percentage: 100 }], 'api');
  }

  /**
   * A new version with changed bindings (a KV namespace or D1 database replaced), deployed. Cloudflare
   * documents that a Worker cannot be rolled back to a version whose bound resources were deleted or
   * changed since: earlier versions are refused, `force` or not.
   */
  changeWorkerBindings(name: string): WorkerVersion {
    const script = this.getWorker(this.accountId, name);
    script.bindingsEpoch++;
    const version = this.addWorkerVersion(name, 'wrangler');
    this.recordDeployment(script, [{ version_id: version.id, percentage: 100 }], 'wrangler');
    return version;
  }

  deployWorker(
    accountId: string,
    name: string,
    body: { versions: { version_id: string; percentage: number }[]; annotations?: Record<string, string> },
    force: boolean,
  ): WorkerDeployment {
    const script = this.getWorker(accountId, name);
    const total = body.versions.reduce((n, v) => n + v.percentage, 0);
    if (body.versions.length > 2 || total !== 100) {
      throw new CloudflareApiError(400, ERROR_CODES.invalidRequest, 'a deployment needs one version at 100% or two versions adding up to 100%');
    }
    const eligible = script.versions.slice(0, WORKER_ROLLBACK_WINDOW);
    for (const v of body.versions) {
      const version = eligible.find((e) => e.id === v.version_id);
      if (!version) {
        throw new CloudflareApiError(400, ERROR_CODES.versionNotEligible, `version ${v.version_id} is not one of the last ${WORKER_ROLLBACK_WINDOW} versions of ${name}`);
      }
      if (version.bindingsEpoch !== script.bindingsEpoch) {
        throw new CloudflareApiError(400, ERROR_CODES.bindingsChanged, `bindings of ${name} changed since version ${version.number}; it cannot be deployed again`);
      }
      if (!force && version.secretsEpoch !== script.secretsEpoch) {
        throw new CloudflareApiError(400, ERROR_CODES.secretsChanged, `secrets of ${name} changed since version ${version.number}; deploy with ?force=true to roll back anyway`);
      }
    }
    return this.recordDeployment(script, body.versions, 'api', body.annotations);
  }

  private recordDeployment(script: WorkerScript, versions: WorkerDeployment['versions'], source: string, annotations?: Record<string, string>): WorkerDeployment {
    const d: WorkerDeployment = { id: randomUUID(), created_on: this.iso(), source, strategy: 'percentage', versions: versions.map((v) => ({ ...v })) };
    if (annotations) d.annotations = { ...annotations };
    script.deployments.unshift(d);
    return d;
  }

  /** The version serving 100% of traffic now, if the latest deployment has a single version. */
  activeWorkerVersion(name: string): WorkerVersion | undefined {
    const script = this.workers.get(name);
    const d = script?.deployments[0];
    if (!d || d.versions.length !== 1) return undefined;
    return script.versions.find((v) => v.id === d.versions[0]?.version_id);
  }
}

export interface RuleInput {
  id?: string | undefined;
  ref?: string;
  action: string;
  expression: string;
  description?: string;
  enabled?: boolean;
  action_parameters?: Record<string, unknown>;
  ratelimit?: Record<string, unknown>;
  logging?: { enabled: boolean };
  position?: { before: string } | { after: string } | { index: number };
}

export interface RulesetBody {
  name?: string;
  description?: string;
  rules: RuleInput[];
}

export function listRefs(expression: string): string[] {
  // A `$` inside a string literal is text, not a list reference.
  const unquoted = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...unquoted.matchAll(LIST_REF)].map((m) => m[1] ?? '');
}

function sameRule(a: RuleRecord, b: RuleRecord): boolean {
  const strip = ({ version: _v, last_updated: _l, ...rest }: RuleRecord) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
