import * as cloudflare from '@pulumi/cloudflare';
import * as pulumi from '@pulumi/pulumi';

/** Stable rule refs; the steps find the rules by ref, never by position. */
export const CLOUDFLARE_RULE_REFS = {
  blockIps: 'firebreak_block_ips',
  routeKillSwitch: 'firebreak_route_kill_switch',
  rateLimit: 'firebreak_rate_limit',
} as const;

/**
 * Expression of the kill-switch while no route is disabled. disable-routes replaces it with the
 * real paths and enables the rule; the placeholder keeps the rule valid while it is off.
 */
export const ROUTE_KILL_SWITCH_PLACEHOLDER = 'http.request.uri.path eq "/__firebreak_no_route_disabled__"';

export interface CloudflareRateLimitArgs {
  /** Requests per period per client IP and data centre. */
  requestsPerPeriod: number;
  /** Counting period in seconds (Free plan: 10; paid plans also 60, 120, 300, 600, 3600). */
  period: number;
  /** Seconds a client stays blocked once over the limit (Free plan: 10). */
  mitigationTimeout: number;
  /** Which requests count. The default matches every path using only fields the Free plan allows. */
  expression?: string;
}

/** Every request, written with the path field (the Free plan allows only Path and Verified Bot). */
export const RATE_LIMIT_ALL_REQUESTS = '(http.request.uri.path contains "/")';

export interface CloudflareBreakGlassArgs {
  accountId: pulumi.Input<string>;
  zoneId: pulumi.Input<string>;
  /** Account IP list name: `^[a-z0-9_]+$`, at most 50 characters. */
  listName: string;
  rateLimit: CloudflareRateLimitArgs;
  /** Status of the kill-switch's block response; Cloudflare allows 400–499 for block. */
  routeResponseStatus?: number;
}

/**
 * The Cloudflare half of the kit: one account IP list, the zone's custom-rules entry point with a
 * block rule over that list and a route kill-switch (disabled by default), and the zone's
 * rate-limiting entry point with one per-IP rule.
 *
 * Each Ruleset owns its phase's entry point: rules added there by hand are removed by `pulumi up`.
 * List items, the kill-switch's expression and enabled flag, and the rate limit are changed by
 * the steps at run time and ignored here after creation.
 */
export class CloudflareBreakGlass extends pulumi.ComponentResource {
  public readonly accountId: pulumi.Output<string>;
  public readonly zoneId: pulumi.Output<string>;
  public readonly listId: pulumi.Output<string>;
  public readonly listName: pulumi.Output<string>;
  public readonly customRulesetId: pulumi.Output<string>;
  public readonly routeRuleId: pulumi.Output<string>;
  public readonly rateLimitRulesetId: pulumi.Output<string>;
  public readonly rateLimitRuleId: pulumi.Output<string>;

  constructor(name: string, args: CloudflareBreakGlassArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:cloudflare:CloudflareBreakGlass', name, {}, opts);
    validateCloudflareArgs(args);
    const child = { parent: this };

    const list = new cloudflare.List(
      `${name}-list`,
      {
        accountId: args.accountId,
        name: args.listName,
        kind: 'ip',
        description: 'firebreak: addresses blocked during an incident (managed by block-ips)',
      },
      { ...child, ignoreChanges: ['items'] },
    );

    const custom = new cloudflare.Ruleset(
      `${name}-custom-rules`,
      {
        zoneId: args.zoneId,
        kind: 'zone',
        phase: 'http_request_firewall_custom',
        name: 'firebreak custom rules',
        description: 'firebreak: block listed addresses; route kill-switch',
        rules: [
          {
            ref: CLOUDFLARE_RULE_REFS.blockIps,
            description: 'firebreak: block addresses on the incident list',
            expression: `ip.src in $${args.listName}`,
            action: 'block',
            enabled: true,
          },
          {
            ref: CLOUDFLARE_RULE_REFS.routeKillSwitch,
            description: 'firebreak: route kill-switch (enabled by disable-routes)',
            expression: ROUTE_KILL_SWITCH_PLACEHOLDER,
            action: 'block',
            actionParameters: {
              response: {
                statusCode: args.routeResponseStatus ?? 403,
                contentType: 'application/json',
                content: JSON.stringify({ error: 'route temporarily disabled during incident response' }),
              },
            },
            enabled: false,
          },
        ],
      },
      // The list must exist before a rule can reference `$name`.
      // disable-routes keeps the route list in the rule's description, beside the expression it rebuilds.
      { ...child, dependsOn: [list], ignoreChanges: ['rules[1].expression', 'rules[1].enabled', 'rules[1].description'] },
    );

    const rate = new cloudflare.Ruleset(
      `${name}-rate-limit`,
      {
        zoneId: args.zoneId,
        kind: 'zone',
        phase: 'http_ratelimit',
        name: 'firebreak rate limit',
        description: 'firebreak: per-IP rate limit (tuned by limit-rate)',
        rules: [
          {
            ref: CLOUDFLARE_RULE_REFS.rateLimit,
            description: 'firebreak: per-IP rate limit',
            expression: args.rateLimit.expression ?? RATE_LIMIT_ALL_REQUESTS,
            action: 'block',
            ratelimit: {
              // Cloudflare counts per data centre; cf.colo.id is mandatory in characteristics.
              characteristics: ['ip.src', 'cf.colo.id'],
              period: args.rateLimit.period,
              requestsPerPeriod: args.rateLimit.requestsPerPeriod,
              mitigationTimeout: args.rateLimit.mitigationTimeout,
            },
            enabled: true,
          },
        ],
      },
      // limit-rate changes the count, the period and (with a scope) the expression.
      { ...child, ignoreChanges: ['rules[0].ratelimit.requestsPerPeriod', 'rules[0].ratelimit.period', 'rules[0].expression'] },
    );

    this.accountId = pulumi.output(args.accountId);
    this.zoneId = pulumi.output(args.zoneId);
    this.listId = list.id;
    this.listName = list.name;
    this.customRulesetId = custom.id;
    this.routeRuleId = ruleIdByRef(custom, CLOUDFLARE_RULE_REFS.routeKillSwitch);
    this.rateLimitRulesetId = rate.id;
    this.rateLimitRuleId = ruleIdByRef(rate, CLOUDFLARE_RULE_REFS.rateLimit);
    this.registerOutputs({
      listId: this.listId,
      customRulesetId: this.customRulesetId,
      routeRuleId: this.routeRuleId,
      rateLimitRulesetId: this.rateLimitRulesetId,
      rateLimitRuleId: this.rateLimitRuleId,
    });
  }
}

function ruleIdByRef(ruleset: cloudflare.Ruleset, ref: string): pulumi.Output<string> {
  return ruleset.rules.apply((rules) => {
    const id = rules?.find((r) => r.ref === ref)?.id;
    if (!id) throw new Error(`CloudflareBreakGlass: ruleset has no rule with ref ${ref}`);
    return id;
  });
}

function validateCloudflareArgs(args: CloudflareBreakGlassArgs): void {
  if (!/^[a-z0-9_]{1,50}$/.test(args.listName)) {
    throw new Error(`CloudflareBreakGlass: listName must match ^[a-z0-9_]+$ and be at most 50 characters, got "${args.listName}"`);
  }
  const status = args.routeResponseStatus ?? 403;
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    throw new Error(`CloudflareBreakGlass: routeResponseStatus must be 400-499 for a block action, got ${status}`);
  }
  const { requestsPerPeriod, period, mitigationTimeout } = args.rateLimit;
  for (const [field, value] of Object.entries({ requestsPerPeriod, period, mitigationTimeout })) {
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`CloudflareBreakGlass: rateLimit.${field} must be a positive integer, got ${value}`);
    }
  }
}
