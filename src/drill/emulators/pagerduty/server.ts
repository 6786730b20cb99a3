import { SpecSubset, readBody } from '../spec-subset.js';
import { startHttpEmulator, type HttpEmulator, type JsonReply } from '../http-emulator.js';

/**
 * PagerDuty Events API v2 (`POST /v2/enqueue`) and REST `GET /oncalls`, stateful: alerts by dedup
 * key (a re-sent trigger is the same alert; resolve closes it), checked against the committed subset
 * of PagerDuty/api-schema. `pages` counts triggers that OPENED an alert: what "paged once" means.
 */
export interface PagerDutyAlert {
  dedupKey: string;
  routingKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  severity: string;
  /** Every event received for this key, in order. */
  events: string[];
}

export interface PagerDutyEmulator extends HttpEmulator {
  alerts: Map<string, PagerDutyAlert>;
  /** Triggers that opened a new alert (a page), per dedup key. */
  pages: string[];
}

const SPEC = SpecSubset.load(new URL('./spec-subset.json', import.meta.url));

export async function startPagerDutyEmulator(opts: { routingKeys: string[]; apiToken: string; oncalls?: Array<{ policy: string; level: number; user: string }> }): Promise<PagerDutyEmulator> {
  const alerts = new Map<string, PagerDutyAlert>();
  const pages: string[] = [];
  const emu = await startHttpEmulator('pagerduty', async (req, url, violations): Promise<JsonReply> => {
    if (req.method === 'POST' && url.pathname === '/v2/enqueue') {
      const { json } = await readBody(req);
      const problems = SPEC.checkRequest('enqueue', json);
      if (problems.length) {
        violations.push(...problems.map((p) => `pagerduty enqueue: ${p}`));
        return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: problems } };
      }
      const e = json as { routing_key: string; event_action: 'trigger' | 'acknowledge' | 'resolve'; dedup_key?: string; payload?: { summary: string; severity: string } };
      if (!opts.routingKeys.includes(e.routing_key)) return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] } };
      const key = e.dedup_key ?? `auto-${alerts.size + 1}`;
      const existing = alerts.get(key);
      if (e.event_action === 'trigger') {
        if (!existing || existing.status === 'resolved') {
          alerts.set(key, { dedupKey: key, routingKey: e.routing_key, status: 'triggered', summary: e.payload?.summary ?? '', severity: e.payload?.severity ?? '', events: [...(existing?.events ?? []), 'trigger'] });
          pages.push(key);
        } else existing.events.push('trigger');
      } else if (existing) {
        existing.events.push(e.event_action);
        existing.status = e.event_action === 'resolve' ? 'resolved' : 'acknowledged';
      }
      const body = { status: 'success', message: 'Event processed', dedup_key: key };
      const bad = SPEC.checkResponse('enqueue', 202, body);
      if (bad.length) violations.push(...bad);
      return { status: 202, body };
    }
    if (req.method === 'GET' && url.pathname === '/oncalls') {
      if (req.headers.authorization !== `Token token=${opts.apiToken}`) return { status: 401, body: { error: { message: 'Unauthorized', code: 2006 } } };
      const ids = url.searchParams.getAll('escalation_policy_ids[]');
      const query: Record<string, unknown> = { 'escalation_policy_ids[]': ids, ...(url.searchParams.has('earliest') ? { earliest: url.searchParams.get('earliest') === 'true' } : {}) };
      const problems = SPEC.checkRequest('listOnCalls', undefined, query);
      if (problems.length) {
        violations.push(...problems.map((p) => `pagerduty oncalls: ${p}`));
        return { status: 400, body: { error: { message: 'Invalid Input Provided', code: 2001 } } };
      }
      const ref = (type: string, id: string, summary: string) => ({ id, type, summary, self: `https://api.pagerduty.com/${type}s/${id}`, html_url: `https://example.pagerduty.com/${id}` });
      const oncalls = (opts.oncalls ?? [])
        .filter((o) => ids.length === 0 || ids.includes(o.policy))
        .map((o, i) => ({ user: ref('user_reference', `PU${String(i).padStart(5, '0')}`, o.user), schedule: ref('schedule_reference', `PS${String(i).padStart(5, '0')}`, 'Primary rotation'), escalation_policy: ref('escalation_policy_reference', o.policy, o.policy), escalation_level: o.level, start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z' }));
      const body = { oncalls, limit: 25, offset: 0, more: false, total: null };
      const bad = SPEC.checkResponse('listOnCalls', 200, body);
      if (bad.length) violations.push(...bad.map((p) => `pagerduty oncalls response: ${p}`));
      return { status: 200, body };
    }
    return { status: 404, body: { error: { message: 'Not Found', code: 2100 } } };
  });
  return { ...emu, alerts, pages };
}
