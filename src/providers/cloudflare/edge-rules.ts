import type { Rulesets } from 'cloudflare/resources/rulesets/rulesets';
import type { PartialCloudflare } from 'cloudflare/tree-shakable';
import type { CloudflareRateRule, CloudflareRateSettings, CloudflareRouteRule, CloudflareRouteRuleState } from '../../core/edge/ports.js';
import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, retryAfterFromHeaders, withProviderRetry } from '../../core/retry.js';
import { systemClock, type Clock, type Sleep } from '../../core/runtime.js';

/** The part of the Cloudflare SDK these ports call: zone rulesets and their rules. */
export type CloudflareRulesetsClient = PartialCloudflare<{ rulesets: Rulesets }>;

export interface CloudflareRuleOptions {
  client: CloudflareRulesetsClient;
  zoneId: string;
  rulesetId: string;
  ruleId: string;
  sleep: Sleep;
  clock?: Clock;
  random?: () => number;
  callAttempts?: number;
  retryBaseMs?: number;
  onRetry?: (message: string) => void;
}

/** A rule as the rulesets API returns it (the SDK's union is wider than what firebreak reads). */
interface RuleView {
  id: string;
  ref?: string;
  action: string;
  expression: string;
  enabled: boolean;
  description?: string;
  action_parameters?: Record<string, unknown>;
  ratelimit?: { characteristics: string[]; period: number; requests_per_period?: number; mitigation_timeout?: number; [k: string]: unknown };
  logging?: { enabled: boolean };
}

/**
 * One rule of a zone ruleset over the official SDK. A PATCH of one rule must send every field to
 * keep (PROVIDERS.md): `write` reads the rule, changes only what it owns, and sends the rest back.
 */
abstract class OneRule {
  constructor(protected readonly opts: CloudflareRuleOptions) {}

  get id(): string {
    return this.opts.ruleId;
  }

  protected async rule(): Promise<RuleView> {
    const rs = (await this.call('rulesets.get', () => this.opts.client.rulesets.get(this.opts.rulesetId, { zone_id: this.opts.zoneId }))) as unknown as { rules?: RuleView[] };
    const rule = rs.rules?.find((r) => r.id === this.opts.ruleId);
    if (!rule) {
      throw new ProviderError(`Cloudflare ruleset ${this.opts.rulesetId} has no rule ${this.opts.ruleId} (removed by hand, or the kit variables are stale)`, {
        provider: 'cloudflare',
        operation: 'rulesets.get',
        retryable: false,
        code: 'CLOUDFLARE_RULE_MISSING',
      });
    }
    return rule;
  }

  protected async patch(rule: RuleView): Promise<void> {
    const { id: _id, ...rest } = rule;
    const body = { ...rest, ruleset_id: this.opts.rulesetId, zone_id: this.opts.zoneId };
    await this.call('rulesets.rules.edit', () => this.opts.client.rulesets.rules.edit(this.opts.ruleId, body as never));
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const clock = this.opts.clock ?? systemClock;
    return withProviderRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw cloudflareError(operation, error, clock.now());
        }
      },
      {
        attempts: this.opts.callAttempts ?? 5,
        budgetMs: DEFAULT_RETRY_BUDGET_MS,
        clock,
        baseMs: this.opts.retryBaseMs ?? 250,
        maxMs: 4_000,
        sleep: this.opts.sleep,
        ...(this.opts.random ? { random: this.opts.random } : {}),
        onRetry: ({ attempt, error }) => this.opts.onRetry?.(`Cloudflare ${operation} attempt ${attempt} failed (${(error as Error).message}); retrying`),
      },
    );
  }
}

export class CloudflareKillSwitchRule extends OneRule implements CloudflareRouteRule {
  async read(): Promise<CloudflareRouteRuleState> {
    const r = await this.rule();
    return { expression: r.expression, enabled: r.enabled, description: r.description ?? '' };
  }

  async write(next: CloudflareRouteRuleState): Promise<void> {
    const r = await this.rule();
    await this.patch({ ...r, expression: next.expression, enabled: next.enabled, description: next.description });
  }
}

export class CloudflareRateLimitRule extends OneRule implements CloudflareRateRule {
  async read(): Promise<CloudflareRateSettings> {
    const r = await this.rule();
    if (!r.ratelimit || r.ratelimit.requests_per_period === undefined) {
      throw new ProviderError(`Cloudflare rule ${this.opts.ruleId} is not a request-count rate-limiting rule`, { provider: 'cloudflare', operation: 'rulesets.get', retryable: false, code: 'CLOUDFLARE_RULE_MISCONFIGURED' });
    }
    return { requestsPerPeriod: r.ratelimit.requests_per_period, period: r.ratelimit.period, mitigationTimeout: r.ratelimit.mitigation_timeout ?? 0, expression: r.expression };
  }

  async write(next: CloudflareRateSettings): Promise<void> {
    const r = await this.rule();
    await this.patch({
      ...r,
      expression: next.expression,
      ratelimit: { ...r.ratelimit!, requests_per_period: next.requestsPerPeriod, period: next.period, mitigation_timeout: next.mitigationTimeout },
    });
  }
}

function cloudflareError(operation: string, error: unknown, now: Date): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { name?: string; message?: string; status?: number; headers?: Headers | Record<string, string>; errors?: Array<{ code?: number; message?: string }> };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const retryAfterMs = status !== undefined && isRetryableStatus(status) ? retryAfterFromHeaders(e.headers, now) : undefined;
  const apiCode = e?.errors?.[0]?.code;
  const detail = e?.errors?.[0]?.message ?? e?.message ?? String(error);
  return new ProviderError(`Cloudflare ${operation} failed: ${status === undefined ? (e?.name ?? 'connection error') : `HTTP ${status}${apiCode ? ` (code ${apiCode})` : ''}`}: ${clipText(String(detail), 300)}`, {
    provider: 'cloudflare',
    operation,
    ...(status === undefined ? {} : { status }),
    retryable: status === undefined || isRetryableStatus(status),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    cause: error,
  });
}
