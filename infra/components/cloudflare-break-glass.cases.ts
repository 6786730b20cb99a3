import { beforeAll, describe, expect, it } from 'vitest';
import { settle, valueOf, type MockRecorder } from '../testing/mocks.js';

/** Cases for cloudflare-break-glass.ts; run by components.test.ts under one set of strict mocks. */
export function cloudflareBreakGlassCases(mocks: MockRecorder): void {
  let mod: typeof import('./cloudflare-break-glass.js');
  const accountId = '0123456789abcdef0123456789abcdef';
  const zoneId = 'fedcba9876543210fedcba9876543210';
  const rateLimit = { requestsPerPeriod: 100, period: 10, mitigationTimeout: 10 };

  beforeAll(async () => {
    mod = await import('./cloudflare-break-glass.js');
  });

  describe('CloudflareBreakGlass', () => {
    it('blocks the account list in the zone, ships the kill-switch disabled and rate-limits per IP', async () => {
      const cf = new mod.CloudflareBreakGlass('cf', { accountId, zoneId, listName: 'firebreak_blocked', rateLimit });
      const [listId, routeRuleId, rateRuleId] = await Promise.all([valueOf(cf.listId), valueOf(cf.routeRuleId), valueOf(cf.rateLimitRuleId)]);
      await settle();

      expect(mocks.named('cf').type).toBe('firebreak:cloudflare:CloudflareBreakGlass');
      const list = mocks.named('cf-list');
      expect(list.type).toBe('cloudflare:index/list:List');
      expect(list.inputs).toMatchObject({ accountId, kind: 'ip', name: 'firebreak_blocked' });
      expect(list.inputs['items']).toBeUndefined();
      expect(listId).toBe('firebreak_blocked-id');

      const custom = mocks.named('cf-custom-rules');
      expect(custom.inputs).toMatchObject({ zoneId, kind: 'zone', phase: 'http_request_firewall_custom' });
      const [block, kill] = custom.inputs['rules'] as any[];
      expect(block).toMatchObject({ ref: mod.CLOUDFLARE_RULE_REFS.blockIps, action: 'block', enabled: true, expression: 'ip.src in $firebreak_blocked' });
      expect(kill).toMatchObject({ ref: mod.CLOUDFLARE_RULE_REFS.routeKillSwitch, action: 'block', enabled: false });
      expect(kill.expression).toBe(mod.ROUTE_KILL_SWITCH_PLACEHOLDER);
      expect(kill.actionParameters.response.statusCode).toBe(403);
      expect(routeRuleId).toBe('cf-custom-rules-rule-1');

      const rate = mocks.named('cf-rate-limit');
      expect(rate.inputs).toMatchObject({ zoneId, kind: 'zone', phase: 'http_ratelimit' });
      const [rule] = rate.inputs['rules'] as any[];
      expect(rule.ratelimit).toMatchObject({ characteristics: ['ip.src', 'cf.colo.id'], period: 10, requestsPerPeriod: 100, mitigationTimeout: 10 });
      expect(rule.action).toBe('block');
      expect(rule.expression).toBe(mod.RATE_LIMIT_ALL_REQUESTS);
      expect(rateRuleId).toBe('cf-rate-limit-rule-0');
    });

    it('refuses names and statuses Cloudflare would reject', () => {
      expect(() => new mod.CloudflareBreakGlass('bad1', { accountId, zoneId, listName: 'Blocked-IPs', rateLimit })).toThrow(/listName must match/);
      expect(() => new mod.CloudflareBreakGlass('bad2', { accountId, zoneId, listName: 'ok', rateLimit, routeResponseStatus: 503 })).toThrow(/400-499/);
      expect(() => new mod.CloudflareBreakGlass('bad3', { accountId, zoneId, listName: 'ok', rateLimit: { ...rateLimit, period: 0 } })).toThrow(
        /rateLimit.period must be a positive integer/,
      );
      expect(mocks.resources.filter((r) => r.custom && r.name.startsWith('bad'))).toEqual([]);
    });
  });
}
