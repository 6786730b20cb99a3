import type { WafScope } from '../ports/waf.js';

/**
 * What the route and rate steps read and write at the edge, as ports. Adapters own the providers'
 * concurrency rules: WAF writes go under the LockToken and re-read on WAFOptimisticLockException
 * (the edit function is re-applied to the fresh state, so another writer's change survives);
 * Cloudflare rule edits send the whole rule back.
 */

export interface WafResourceRef {
  scope: WafScope;
  name: string;
  id: string;
}

/** Returns the new state, or null when the current one already is what we want. */
export type Edit<T> = (current: T) => T | null;

export interface EditResult<T> {
  before: T;
  after: T;
  written: boolean;
  rounds: number;
}

/** The kit's regex pattern set of disabled routes. */
export interface WafRegexSet {
  readonly id: string;
  read(): Promise<string[]>;
  edit(edit: Edit<string[]>): Promise<EditResult<string[]>>;
}

/** The rate-based rule's settings, as recorded and restored. */
export interface WafRateSettings {
  limit: number;
  windowSec: number;
  /** The scope-down statement as WAF holds it (plain JSON), or null for every request. */
  scopeDown: Record<string, unknown> | null;
}

/** The kill-switch rule's block response. */
export interface WafRouteResponse {
  status: number;
  retryAfterSeconds: number | null;
}

/** The kit's rule group: the rate-based rule and the kill-switch's response live there. */
export interface WafRuleGroup {
  readonly id: string;
  readRate(): Promise<WafRateSettings>;
  editRate(edit: Edit<WafRateSettings>): Promise<EditResult<WafRateSettings>>;
  readRouteResponse(): Promise<WafRouteResponse>;
  editRouteResponse(edit: Edit<WafRouteResponse>): Promise<EditResult<WafRouteResponse>>;
}

/** The Cloudflare kill-switch custom rule. */
export interface CloudflareRouteRuleState {
  expression: string;
  enabled: boolean;
  description: string;
}

export interface CloudflareRouteRule {
  readonly id: string;
  read(): Promise<CloudflareRouteRuleState>;
  write(next: CloudflareRouteRuleState): Promise<void>;
}

/** The Cloudflare rate-limiting rule's settings, as recorded and restored. */
export interface CloudflareRateSettings {
  requestsPerPeriod: number;
  period: number;
  mitigationTimeout: number;
  expression: string;
}

export interface CloudflareRateRule {
  readonly id: string;
  read(): Promise<CloudflareRateSettings>;
  write(next: CloudflareRateSettings): Promise<void>;
}

/**
 * One record per disable-routes / limit-rate run, never rewritten: what was changed, for which
 * incident, and (for rates) the values before and after, so the undo puts exactly them back.
 * Closing a record is a separate marker object.
 */
export interface EdgeRecord {
  id: string;
  kind: 'routes' | 'rate';
  createdAt: string;
  incidentId: string;
  actor: string;
  runUrl: string | null;
  reason: string;
  /** routes: canonical route texts per target id. */
  routes?: Record<string, string[]>;
  /** rate: per target id, the settings before and what this run set. */
  rate?: Record<string, { before: unknown; after: unknown }>;
}

export interface EdgeLedger {
  put(record: EdgeRecord): Promise<void>;
  /** Open records (not closed), oldest first. */
  list(kind: EdgeRecord['kind']): Promise<EdgeRecord[]>;
  close(id: string, by: { actor: string; at: string; runUrl: string | null }): Promise<void>;
}
