import type { CloudflareRateSettings, WafRateSettings } from '../../core/edge/ports.js';
import { canonicalJson } from '../../core/canonical-json.js';
import type { Outcome } from '../../core/plan.js';
import { describeError } from './ip-block-targets.js';
import { CF_RATE_TARGET, notConfigured, WAF_RATE_TARGET, type EdgePorts, type EdgeTargetSelection } from './edge-support.js';

/** The rate-limit rules on both edges, as limit-rate and restore-rate see them. */

export interface RateTargets {
  waf: boolean;
  cloudflare: boolean;
}

export type RateValues = { [WAF_RATE_TARGET]?: WafRateSettings; [CF_RATE_TARGET]?: CloudflareRateSettings };

export function resolveRateTargets(selection: EdgeTargetSelection, ports: EdgePorts): RateTargets {
  const out = { waf: selection !== 'cloudflare', cloudflare: selection !== 'waf' };
  if (out.waf && !ports.waf?.ruleGroup) throw notConfigured('the WAF rule group (rate-based rule)', 'FIREBREAK_WAF_RULE_GROUP_ARN and FIREBREAK_WAF_RATE_RULE_NAME');
  if (out.cloudflare && !ports.cloudflare?.rateLimit) throw notConfigured('the Cloudflare rate-limiting rule', 'FIREBREAK_CLOUDFLARE_ZONE_ID, _RATELIMIT_RULESET_ID, _RATELIMIT_RULE_ID and CLOUDFLARE_API_TOKEN');
  return out;
}

export async function readRates(targets: RateTargets, ports: EdgePorts): Promise<RateValues> {
  const [waf, cf] = await Promise.all([targets.waf ? ports.waf!.ruleGroup!.readRate() : undefined, targets.cloudflare ? ports.cloudflare!.rateLimit!.read() : undefined]);
  return { ...(waf ? { [WAF_RATE_TARGET]: waf } : {}), ...(cf ? { [CF_RATE_TARGET]: cf } : {}) };
}

export function sameRate(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function describeRate(target: string, v: unknown): string {
  if (target === WAF_RATE_TARGET) {
    const w = v as WafRateSettings;
    return `${w.limit} per ${w.windowSec} s per IP${w.scopeDown ? ', scoped down' : ''}`;
  }
  const c = v as CloudflareRateSettings;
  return `${c.requestsPerPeriod} per ${c.period} s per IP (block ${c.mitigationTimeout} s)${c.expression ? ` where ${c.expression.length > 80 ? `${c.expression.slice(0, 77)}...` : c.expression}` : ''}`;
}

/** Writes one target's settings; one outcome. */
export async function writeRate(target: string, value: unknown, ports: EdgePorts, action: string): Promise<Outcome> {
  const subject = describeRate(target, value);
  try {
    if (target === WAF_RATE_TARGET) {
      const want = value as WafRateSettings;
      await ports.waf!.ruleGroup!.editRate((cur) => (sameRate(cur, want) ? null : structuredClone(want)));
    } else {
      await ports.cloudflare!.rateLimit!.write(value as CloudflareRateSettings);
    }
    return { target, action, subject, status: 'applied' };
  } catch (error) {
    const { reason, retryable } = describeError(error);
    return { target, action, subject, status: 'failed', reason, retryable };
  }
}

/** Downgrades outcomes whose target does not read back as written. */
export async function readBackRates(outcomes: Outcome[], wanted: RateValues, targets: RateTargets, ports: EdgePorts): Promise<Outcome[]> {
  const live = await readRates(targets, ports);
  return outcomes.map((o) => {
    if (o.status !== 'applied' || !(o.target in wanted)) return o;
    const want = wanted[o.target as keyof RateValues];
    const got = live[o.target as keyof RateValues];
    return sameRate(want, got) ? o : { ...o, status: 'failed' as const, reason: `read back: ${o.target} holds ${describeRate(o.target, got)}` };
  });
}
