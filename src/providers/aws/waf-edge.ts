import {
  GetRegexPatternSetCommand,
  GetRuleGroupCommand,
  UpdateRegexPatternSetCommand,
  UpdateRuleGroupCommand,
  WAFV2Client,
  type GetRuleGroupCommandOutput,
  type Rule,
} from '@aws-sdk/client-wafv2';
import type { Edit, EditResult, WafRateSettings, WafRegexSet, WafResourceRef, WafRouteResponse, WafRuleGroup } from '../../core/edge/ports.js';
import { ConflictError, ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, withProviderRetry, withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * The kit's WAF regex pattern set and rule group over the AWS SDK v3 (no domain decisions here).
 * Every write is read-modify-write under the LockToken: on WAFOptimisticLockException the adapter
 * reads again and re-applies the step's pure edit to the fresh state, so another writer's change
 * survives; after `lockRounds` lost races it gives up with nothing written by this call.
 */
export interface WafEdgeOptions {
  client: WAFV2Client;
  sleep: Sleep;
  random?: () => number;
  callAttempts?: number;
  lockRounds?: number;
  onRetry?: (message: string) => void;
  retryBudgetMs?: number;
}

class LockConflict extends Error {}

abstract class LockedResource {
  constructor(
    protected readonly ref: WafResourceRef,
    protected readonly opts: WafEdgeOptions,
    private readonly what: string,
  ) {}

  get id(): string {
    return this.ref.id;
  }

  protected label(): string {
    return `waf:${this.ref.scope}:${this.what} (${this.ref.name})`;
  }

  protected async locked<S, T>(get: () => Promise<S & { lockToken: string }>, view: (s: S) => T, put: (s: S & { lockToken: string }, next: T) => Promise<void>, edit: Edit<T>): Promise<EditResult<T>> {
    try {
      return await withRetry(
        async (round) => {
          const snap = await get();
          const before = view(snap);
          const next = edit(structuredClone(before));
          if (next === null) return { before, after: before, written: false, rounds: round };
          await put(snap, next);
          return { before, after: next, written: true, rounds: round };
        },
        {
          attempts: this.opts.lockRounds ?? 12,
          baseMs: 50,
          maxMs: 1_000,
          sleep: this.opts.sleep,
          ...(this.opts.random ? { random: this.opts.random } : {}),
          retryOn: (e) => e instanceof LockConflict,
          onRetry: ({ attempt }) => this.opts.onRetry?.(`${this.label()}: another writer changed it; re-reading and re-applying (round ${attempt + 1})`),
        },
      );
    } catch (error) {
      if (error instanceof LockConflict) {
        throw new ConflictError(`${this.label()}: it kept changing under us (WAFOptimisticLockException on every round)`, {
          code: 'WAF_LOCK_CONFLICT',
          hint: 'Nothing from this run was written to it. Re-run: it converges.',
        });
      }
      throw error;
    }
  }

  protected call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withProviderRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          if ((error as { name?: string })?.name === 'WAFOptimisticLockException') throw new LockConflict();
          throw wafError(this.label(), operation, error);
        }
      },
      {
        attempts: this.opts.callAttempts ?? 4,
        baseMs: 200,
        maxMs: 2_000,
        budgetMs: this.opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
        sleep: this.opts.sleep,
        ...(this.opts.random ? { random: this.opts.random } : {}),
        onRetry: ({ attempt, error }) => this.opts.onRetry?.(`${this.label()}: ${operation} attempt ${attempt} failed (${(error as Error).message}); retrying`),
      },
    );
  }
}

interface RegexSnapshot {
  patterns: string[];
  description: string | undefined;
  lockToken: string;
}

export class AwsWafRegexSet extends LockedResource implements WafRegexSet {
  constructor(ref: WafResourceRef, opts: WafEdgeOptions) {
    super(ref, opts, 'route-regex-set');
  }

  async read(): Promise<string[]> {
    return (await this.get()).patterns;
  }

  edit(edit: Edit<string[]>): Promise<EditResult<string[]>> {
    return this.locked(
      () => this.get(),
      (s) => s.patterns,
      (s, next) =>
        this.call('UpdateRegexPatternSet', () =>
          this.opts.client.send(
            new UpdateRegexPatternSetCommand({
              Name: this.ref.name,
              Scope: this.ref.scope,
              Id: this.ref.id,
              RegularExpressionList: next.map((RegexString) => ({ RegexString })),
              LockToken: s.lockToken,
              // Update resets omitted fields: send the description back unchanged.
              ...(s.description !== undefined ? { Description: s.description } : {}),
            }),
          ),
        ).then(() => undefined),
      edit,
    );
  }

  private async get(): Promise<RegexSnapshot> {
    const out = await this.call('GetRegexPatternSet', () => this.opts.client.send(new GetRegexPatternSetCommand({ Name: this.ref.name, Scope: this.ref.scope, Id: this.ref.id })));
    if (!out.RegexPatternSet || !out.LockToken) throw new ProviderError(`${this.label()}: GetRegexPatternSet returned no set or lock token`, { provider: 'aws', operation: 'wafv2:GetRegexPatternSet', retryable: true });
    return { patterns: (out.RegexPatternSet.RegularExpressionList ?? []).map((r) => r.RegexString ?? ''), description: out.RegexPatternSet.Description, lockToken: out.LockToken };
  }
}

interface GroupSnapshot {
  group: NonNullable<GetRuleGroupCommandOutput['RuleGroup']>;
  lockToken: string;
}

export class AwsWafRuleGroup extends LockedResource implements WafRuleGroup {
  constructor(
    ref: WafResourceRef,
    opts: WafEdgeOptions,
    private readonly names: { rateRule: string; routeRule: string },
  ) {
    super(ref, opts, 'rule-group');
  }

  async readRate(): Promise<WafRateSettings> {
    return this.rateOf(await this.get());
  }

  editRate(edit: Edit<WafRateSettings>): Promise<EditResult<WafRateSettings>> {
    return this.locked(
      () => this.get(),
      (s) => this.rateOf(s),
      (s, next) => this.put(s, this.names.rateRule, (rule) => {
        const rate = rule.Statement!.RateBasedStatement!;
        rate.Limit = next.limit;
        rate.EvaluationWindowSec = next.windowSec;
        if (next.scopeDown) rate.ScopeDownStatement = next.scopeDown as never;
        else delete rate.ScopeDownStatement;
      }),
      edit,
    );
  }

  async readRouteResponse(): Promise<WafRouteResponse> {
    return this.responseOf(await this.get());
  }

  editRouteResponse(edit: Edit<WafRouteResponse>): Promise<EditResult<WafRouteResponse>> {
    return this.locked(
      () => this.get(),
      (s) => this.responseOf(s),
      (s, next) => this.put(s, this.names.routeRule, (rule) => {
        const response = rule.Action?.Block?.CustomResponse;
        if (!response) throw this.misconfigured(`rule ${this.names.routeRule} has no custom block response`);
        response.ResponseCode = next.status;
        const others = (response.ResponseHeaders ?? []).filter((h) => h.Name?.toLowerCase() !== 'retry-after');
        response.ResponseHeaders = next.retryAfterSeconds === null ? others : [...others, { Name: 'retry-after', Value: String(next.retryAfterSeconds) }];
      }),
      edit,
    );
  }

  private rule(s: GroupSnapshot, name: string): Rule {
    const rule = (s.group.Rules ?? []).find((r) => r.Name === name);
    if (!rule) throw this.misconfigured(`no rule named ${name} (the kit names it; was the rule group changed by hand?)`);
    return rule;
  }

  private rateOf(s: GroupSnapshot): WafRateSettings {
    const rate = this.rule(s, this.names.rateRule).Statement?.RateBasedStatement;
    if (!rate || rate.Limit === undefined) throw this.misconfigured(`rule ${this.names.rateRule} is not a rate-based rule`);
    return { limit: Number(rate.Limit), windowSec: Number(rate.EvaluationWindowSec ?? 300), scopeDown: rate.ScopeDownStatement ? (prune(rate.ScopeDownStatement) as Record<string, unknown>) : null };
  }

  private responseOf(s: GroupSnapshot): WafRouteResponse {
    const response = this.rule(s, this.names.routeRule).Action?.Block?.CustomResponse;
    if (!response?.ResponseCode) throw this.misconfigured(`rule ${this.names.routeRule} has no custom block response`);
    const retry = response.ResponseHeaders?.find((h) => h.Name?.toLowerCase() === 'retry-after')?.Value;
    return { status: response.ResponseCode, retryAfterSeconds: retry === undefined ? null : Number(retry) };
  }

  private misconfigured(why: string): ProviderError {
    return new ProviderError(`${this.label()}: ${why}`, { provider: 'aws', operation: 'wafv2:GetRuleGroup', retryable: false, code: 'WAF_RULE_GROUP_MISCONFIGURED' });
  }

  private async get(): Promise<GroupSnapshot> {
    const out = await this.call('GetRuleGroup', () => this.opts.client.send(new GetRuleGroupCommand({ Name: this.ref.name, Scope: this.ref.scope, Id: this.ref.id })));
    if (!out.RuleGroup || !out.LockToken) throw new ProviderError(`${this.label()}: GetRuleGroup returned no rule group or lock token`, { provider: 'aws', operation: 'wafv2:GetRuleGroup', retryable: true });
    return { group: out.RuleGroup, lockToken: out.LockToken };
  }

  /** UpdateRuleGroup replaces the group's rules and settings: send everything back, one rule changed. */
  private async put(s: GroupSnapshot, name: string, change: (rule: Rule) => void): Promise<void> {
    const rules = (prune(s.group.Rules ?? []) as Rule[]).map((r) => r);
    const rule = rules.find((r) => r.Name === name);
    if (!rule) throw this.misconfigured(`no rule named ${name}`);
    change(rule);
    const g = s.group;
    await this.call('UpdateRuleGroup', () =>
      this.opts.client.send(
        new UpdateRuleGroupCommand({
          Name: this.ref.name,
          Scope: this.ref.scope,
          Id: this.ref.id,
          LockToken: s.lockToken,
          Rules: rules,
          VisibilityConfig: g.VisibilityConfig!,
          ...(g.Description !== undefined ? { Description: g.Description } : {}),
          ...(g.CustomResponseBodies ? { CustomResponseBodies: g.CustomResponseBodies } : {}),
        }),
      ),
    );
  }
}

/** A deep copy without null/undefined members (what Get returns and Update must not echo). */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = prune(v);
    return out;
  }
  return value;
}

const TRANSIENT = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'WAFInternalErrorException', 'TimeoutError', 'RequestTimeout']);

function wafError(label: string, operation: string, error: unknown): ProviderError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name ?? 'Error';
  const retryable = TRANSIENT.has(name) || (status === undefined ? !name.endsWith('Exception') : isRetryableStatus(status) && status !== 400);
  return new ProviderError(`${label}: ${operation} failed: ${status === undefined ? name : `HTTP ${status} ${name}`}: ${clipText(e?.message ?? String(error), 300)}`, {
    provider: 'aws',
    operation: `wafv2:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable,
    cause: error,
  });
}

/** Scope, name and id from a WAF ARN (`…:regional/regexpatternset/NAME/ID`, `…/rulegroup/NAME/ID`). */
export function parseWafArn(arn: string, kind: 'regexpatternset' | 'rulegroup'): WafResourceRef | undefined {
  const m = new RegExp(`^arn:aws[\\w-]*:wafv2:[\\w-]*:\\d*:(regional|global)/${kind}/([\\w-]+)/([\\w-]+)$`).exec(arn.trim());
  if (!m) return undefined;
  return { scope: m[1] === 'global' ? 'CLOUDFRONT' : 'REGIONAL', name: m[2]!, id: m[3]! };
}
