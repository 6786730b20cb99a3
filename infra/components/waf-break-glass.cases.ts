import { beforeAll, describe, expect, it } from 'vitest';
import { settle, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for waf-break-glass.ts; run by components.test.ts under one set of strict mocks. */
export function wafBreakGlassCases(mocks: MockRecorder): void {
  let mod: typeof import('./waf-break-glass.js');

  beforeAll(async () => {
    mod = await import('./waf-break-glass.js');
  });

  describe('WafBreakGlass', () => {
    it('creates one IP set per family, a route regex set and a rule group whose rules reference them', async () => {
      const waf = new mod.WafBreakGlass('edge', { scope: 'REGIONAL', rateLimit: 2000, webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/app/abc' });
      const [v4, v6, routes, group] = await Promise.all([waf.ipv4SetArn, waf.ipv6SetArn, waf.routeRegexSetArn, waf.ruleGroupArn].map(valueOf));
      await settle();

      const component = mocks.named('edge');
      expect(component.type).toBe('firebreak:aws:WafBreakGlass');
      expect(component.custom).toBe(false);

      const sets = mocks.ofType('aws:wafv2/ipSet:IpSet');
      expect(sets.map((s) => [s.name, s.inputs['ipAddressVersion'], s.inputs['scope']])).toEqual([
        ['edge-ipv4', 'IPV4', 'REGIONAL'],
        ['edge-ipv6', 'IPV6', 'REGIONAL'],
      ]);
      expect(sets.every((s) => Array.isArray(s.inputs['addresses']) && s.inputs['addresses'].length === 0)).toBe(true);

      const rg = mocks.named('edge-rules');
      expect(rg.type).toBe('aws:wafv2/ruleGroup:RuleGroup');
      const rules = rg.inputs['rules'] as any[];
      const byName = Object.fromEntries(rules.map((r) => [r.name, r]));
      expect(byName[mod.WAF_RULE_NAMES.blockIpv4].statement.ipSetReferenceStatement.arn).toBe(v4);
      expect(byName[mod.WAF_RULE_NAMES.blockIpv6].statement.ipSetReferenceStatement.arn).toBe(v6);
      expect(byName[mod.WAF_RULE_NAMES.blockIpv4].action).toEqual({ block: {} });

      const kill = byName[mod.WAF_RULE_NAMES.routeKillSwitch];
      expect(kill.statement.regexPatternSetReferenceStatement.arn).toBe(routes);
      expect(kill.statement.regexPatternSetReferenceStatement.fieldToMatch).toEqual({ uriPath: {} });
      expect(kill.action.block.customResponse.responseCode).toBe(503);
      const bodyKey = kill.action.block.customResponse.customResponseBodyKey;
      expect((rg.inputs['customResponseBodies'] as any[]).map((b) => b.key)).toContain(bodyKey);

      const rate = byName[mod.WAF_RULE_NAMES.rateLimit];
      expect(rate.statement.rateBasedStatement).toMatchObject({ limit: 2000, aggregateKeyType: 'IP' });
      expect(rules.map((r) => r.priority)).toEqual([0, 1, 2, 3]);
      // ignoreChanges names the rate rule by index: the index must still point at it.
      expect(rules[3].name).toBe(mod.WAF_RULE_NAMES.rateLimit);
      expect(rules[2].name).toBe(mod.WAF_RULE_NAMES.routeKillSwitch);

      const assoc = mocks.named('edge-association');
      expect(assoc.inputs['ruleGroupReference'].arn).toBe(group);
      expect(assoc.inputs['webAclArn']).toContain('webacl/app');
      expect(assoc.inputs['overrideAction']).toBe('none');
      expect(await valueOf(waf.rateRuleName)).toBe(mod.WAF_RULE_NAMES.rateLimit);
    });

    it('puts CLOUDFRONT-scoped objects in us-east-1 and skips the association without a web ACL', async () => {
      const before = mocks.resources.length;
      const waf = new mod.WafBreakGlass('cdn', { scope: 'CLOUDFRONT', rateLimit: 500, rateWindowSeconds: 60 });
      await valueOf(waf.ruleGroupArn);
      await settle();
      const created = mocks.resources.slice(before).filter((r) => r.custom);
      expect(created.map((r) => r.name).sort()).toEqual(['cdn-ipv4', 'cdn-ipv6', 'cdn-routes', 'cdn-rules']);
      expect(created.every((r) => r.inputs['region'] === 'us-east-1' && r.inputs['scope'] === 'CLOUDFRONT')).toBe(true);
      expect(await valueOf(waf.region)).toBe('us-east-1');
    });

    it('refuses a rate limit WAF would reject, before creating anything', () => {
      const before = mocks.resources.length;
      expect(() => new mod.WafBreakGlass('bad', { scope: 'REGIONAL', rateLimit: 5 })).toThrow(/rateLimit must be an integer from 10/);
      expect(() => new mod.WafBreakGlass('bad2', { scope: 'REGIONAL', rateLimit: 100, routeResponseStatus: 700 })).toThrow(/200-599/);
      expect(mocks.resources.slice(before).filter((r) => r.custom)).toEqual([]);
    });
  });
}
