import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags } from './aws-context.js';

/** Rule names inside the rule group; the steps find rules by these names. */
export const WAF_RULE_NAMES = {
  blockIpv4: 'firebreak-block-ipv4',
  blockIpv6: 'firebreak-block-ipv6',
  routeKillSwitch: 'firebreak-route-kill-switch',
  rateLimit: 'firebreak-rate-limit',
} as const;

/** Key of the custom response body the route kill-switch returns. */
export const ROUTE_DISABLED_BODY_KEY = 'firebreak-route-disabled';

/** Index of the rate-based rule in `rules`; ignoreChanges names it by position. */
const RATE_RULE_INDEX = 3;
/** Index of the route kill-switch in `rules`. */
const ROUTE_RULE_INDEX = 2;

/**
 * WCUs reserved for the rule group. Capacity cannot change after creation, so it leaves room:
 * 2 IP-set references (1 each), one regex-set reference with two text transformations
 * (25 + 2 × 10) and one rate-based rule (2) use 49.
 */
export const WAF_RULE_GROUP_CAPACITY = 100;

export interface WafBreakGlassArgs {
  /** `REGIONAL` (ALB, API Gateway, AppSync, Cognito) or `CLOUDFRONT` (created in us-east-1). */
  scope: 'REGIONAL' | 'CLOUDFRONT';
  /** Prefix of the WAF resource names; defaults to the component name. Unique per account and Region. */
  namePrefix?: string;
  /** Requests per evaluation window per client IP before the rate rule blocks. */
  rateLimit: number;
  /** Evaluation window of the rate rule: 60, 120, 300 or 600 seconds. */
  rateWindowSeconds?: 60 | 120 | 300 | 600;
  /** Status the route kill-switch answers with (200–599). */
  routeResponseStatus?: number;
  /** Route regexes present from the start (normally none: disable-routes adds them). */
  initialRoutePatterns?: string[];
  /** An existing web ACL to attach the rule group to; without it the rule group stands alone. */
  webAclArn?: pulumi.Input<string>;
  /** Priority of the rule group inside that web ACL; lower runs first. */
  webAclPriority?: number;
  tags?: Record<string, string>;
}

/**
 * The WAFv2 half of the break-glass kit: two IP sets (one per address family, as WAF requires),
 * a regex pattern set of disabled routes, and one rule group that blocks both sets, answers the
 * disabled routes with a custom response and rate-limits per IP.
 *
 * IP set addresses, regex patterns and the rate limit are changed by the steps at run time, so
 * this component ignores them after creation; `pulumi up` never sends a stale list back.
 */
export class WafBreakGlass extends pulumi.ComponentResource {
  public readonly scope: pulumi.Output<string>;
  public readonly region: pulumi.Output<string | undefined>;
  public readonly ipv4SetArn: pulumi.Output<string>;
  public readonly ipv4SetId: pulumi.Output<string>;
  public readonly ipv4SetName: pulumi.Output<string>;
  public readonly ipv6SetArn: pulumi.Output<string>;
  public readonly ipv6SetId: pulumi.Output<string>;
  public readonly ipv6SetName: pulumi.Output<string>;
  public readonly routeRegexSetArn: pulumi.Output<string>;
  public readonly routeRegexSetId: pulumi.Output<string>;
  public readonly routeRegexSetName: pulumi.Output<string>;
  public readonly ruleGroupArn: pulumi.Output<string>;
  public readonly ruleGroupId: pulumi.Output<string>;
  public readonly ruleGroupName: pulumi.Output<string>;
  public readonly rateRuleName: pulumi.Output<string>;
  public readonly associationId: pulumi.Output<string | undefined>;

  constructor(name: string, args: WafBreakGlassArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:WafBreakGlass', name, {}, opts);
    const prefix = args.namePrefix ?? name;
    validateWafArgs(args, prefix);
    // CLOUDFRONT-scoped WAF objects exist only in us-east-1, whatever the provider's region.
    const region = args.scope === 'CLOUDFRONT' ? 'us-east-1' : undefined;
    const tags = kitTags('waf', args.tags);
    const child = { parent: this };

    const ipv4 = new aws.wafv2.IpSet(
      `${name}-ipv4`,
      {
        name: `${prefix}-blocked-ipv4`,
        description: 'firebreak: IPv4 addresses blocked during an incident (managed by block-ips)',
        scope: args.scope,
        ipAddressVersion: 'IPV4',
        addresses: [],
        region,
        tags,
      },
      { ...child, ignoreChanges: ['addresses'] },
    );
    const ipv6 = new aws.wafv2.IpSet(
      `${name}-ipv6`,
      {
        name: `${prefix}-blocked-ipv6`,
        description: 'firebreak: IPv6 addresses blocked during an incident (managed by block-ips)',
        scope: args.scope,
        ipAddressVersion: 'IPV6',
        addresses: [],
        region,
        tags,
      },
      { ...child, ignoreChanges: ['addresses'] },
    );
    const routes = new aws.wafv2.RegexPatternSet(
      `${name}-routes`,
      {
        name: `${prefix}-disabled-routes`,
        description: 'firebreak: URI path regexes answered by the route kill-switch (managed by disable-routes)',
        scope: args.scope,
        regularExpressions: (args.initialRoutePatterns ?? []).map((regexString) => ({ regexString })),
        region,
        tags,
      },
      { ...child, ignoreChanges: ['regularExpressions'] },
    );

    const metric = (suffix: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${prefix}-${suffix}`,
    });
    const ruleGroupName = `${prefix}-break-glass`;
    const rules: aws.types.input.wafv2.RuleGroupRule[] = [
      {
        name: WAF_RULE_NAMES.blockIpv4,
        priority: 0,
        action: { block: {} },
        statement: { ipSetReferenceStatement: { arn: ipv4.arn } },
        visibilityConfig: metric('block-ipv4'),
      },
      {
        name: WAF_RULE_NAMES.blockIpv6,
        priority: 1,
        action: { block: {} },
        statement: { ipSetReferenceStatement: { arn: ipv6.arn } },
        visibilityConfig: metric('block-ipv6'),
      },
      {
        name: WAF_RULE_NAMES.routeKillSwitch,
        priority: 2,
        action: {
          block: {
            customResponse: {
              responseCode: args.routeResponseStatus ?? 503,
              customResponseBodyKey: ROUTE_DISABLED_BODY_KEY,
              responseHeaders: [{ name: 'retry-after', value: '300' }],
            },
          },
        },
        statement: {
          regexPatternSetReferenceStatement: {
            arn: routes.arn,
            fieldToMatch: { uriPath: {} },
            // Decode and normalise first, so /%61dmin or //admin/./ cannot slip past /admin.
            textTransformations: [
              { priority: 0, type: 'URL_DECODE' },
              { priority: 1, type: 'NORMALIZE_PATH' },
            ],
          },
        },
        visibilityConfig: metric('route-kill-switch'),
      },
      {
        name: WAF_RULE_NAMES.rateLimit,
        priority: 3,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: args.rateLimit,
            aggregateKeyType: 'IP',
            evaluationWindowSec: args.rateWindowSeconds ?? 300,
          },
        },
        visibilityConfig: metric('rate-limit'),
      },
    ];
    const ruleGroup = new aws.wafv2.RuleGroup(
      `${name}-rules`,
      {
        name: ruleGroupName,
        description: 'firebreak: block lists, route kill-switch and per-IP rate limit',
        scope: args.scope,
        capacity: WAF_RULE_GROUP_CAPACITY,
        customResponseBodies: [
          {
            key: ROUTE_DISABLED_BODY_KEY,
            contentType: 'APPLICATION_JSON',
            content: JSON.stringify({ error: 'route temporarily disabled during incident response' }),
          },
        ],
        rules,
        visibilityConfig: metric('break-glass'),
        region,
        tags,
      },
      // limit-rate changes the rate rule's limit, window and scope-down at run time; disable-routes
      // puts the kill-switch's response back to firebreak.yml routes.waf_response.
      {
        ...child,
        ignoreChanges: [
          `rules[${RATE_RULE_INDEX}].statement.rateBasedStatement.limit`,
          `rules[${RATE_RULE_INDEX}].statement.rateBasedStatement.evaluationWindowSec`,
          `rules[${RATE_RULE_INDEX}].statement.rateBasedStatement.scopeDownStatement`,
          `rules[${ROUTE_RULE_INDEX}].action`,
        ],
      },
    );

    let association: aws.wafv2.WebAclRuleGroupAssociation | undefined;
    if (args.webAclArn !== undefined) {
      association = new aws.wafv2.WebAclRuleGroupAssociation(
        `${name}-association`,
        {
          webAclArn: args.webAclArn,
          ruleName: ruleGroupName,
          priority: args.webAclPriority ?? 0,
          ruleGroupReference: { arn: ruleGroup.arn },
          overrideAction: 'none',
          visibilityConfig: metric('association'),
          region,
        },
        child,
      );
    }

    this.scope = pulumi.output(args.scope);
    this.region = pulumi.output(region);
    this.ipv4SetArn = ipv4.arn;
    this.ipv4SetId = ipv4.id;
    this.ipv4SetName = ipv4.name;
    this.ipv6SetArn = ipv6.arn;
    this.ipv6SetId = ipv6.id;
    this.ipv6SetName = ipv6.name;
    this.routeRegexSetArn = routes.arn;
    this.routeRegexSetId = routes.id;
    this.routeRegexSetName = routes.name;
    this.ruleGroupArn = ruleGroup.arn;
    this.ruleGroupId = ruleGroup.id;
    this.ruleGroupName = ruleGroup.name;
    this.rateRuleName = pulumi.output(WAF_RULE_NAMES.rateLimit);
    this.associationId = association ? association.id : pulumi.output(undefined);
    this.registerOutputs({
      scope: this.scope,
      ipv4SetArn: this.ipv4SetArn,
      ipv6SetArn: this.ipv6SetArn,
      routeRegexSetArn: this.routeRegexSetArn,
      ruleGroupArn: this.ruleGroupArn,
      associationId: this.associationId,
    });
  }
}

function validateWafArgs(args: WafBreakGlassArgs, prefix: string): void {
  // WAF accepts 10..2,000,000,000 for rate-based limits.
  if (!Number.isInteger(args.rateLimit) || args.rateLimit < 10 || args.rateLimit > 2_000_000_000) {
    throw new Error(`WafBreakGlass: rateLimit must be an integer from 10 to 2000000000, got ${args.rateLimit}`);
  }
  const status = args.routeResponseStatus ?? 503;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new Error(`WafBreakGlass: routeResponseStatus must be 200-599, got ${status}`);
  }
  if (!/^[\w-]{1,100}$/.test(prefix)) {
    throw new Error(`WafBreakGlass: name prefix may hold letters, digits, '_' and '-' only, got "${prefix}"`);
  }
}
