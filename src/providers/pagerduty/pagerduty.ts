import { ProviderError } from '../../core/errors.js';
import type { PagerDutyPort, SentMessage } from '../../core/ports/notify.js';
import { jsonCall, type HttpCallOptions } from '../http/json-call.js';

/**
 * PagerDuty over fetch: Events API v2 (`POST /v2/enqueue`) to page, and REST v2 (`GET /oncalls`)
 * to read who is on call. PagerDuty's JS client (@pagerduty/pdjs) is a thin fetch wrapper without
 * retries or types for the responses; fetch with our retry policy is as short and says exactly what
 * happens on a 429. A dedup key makes a re-sent trigger the same alert, so a retried call is safe.
 */
export interface PagerDutyOptions extends Omit<HttpCallOptions, 'provider'> {
  eventsUrl?: string;
  restUrl?: string;
  apiToken?: string | undefined;
}

export class PagerDutyClient implements PagerDutyPort {
  private readonly events: string;
  private readonly rest: string;
  constructor(private readonly opts: PagerDutyOptions) {
    this.events = (opts.eventsUrl ?? 'https://events.pagerduty.com').replace(/\/$/, '');
    this.rest = (opts.restUrl ?? 'https://api.pagerduty.com').replace(/\/$/, '');
  }

  async event(args: Parameters<PagerDutyPort['event']>[0]): Promise<SentMessage> {
    const body: Record<string, unknown> = { routing_key: args.routingKey, event_action: args.action, dedup_key: args.dedupKey };
    if (args.action === 'trigger') {
      body.payload = { summary: args.summary, source: args.source, severity: args.severity };
      if (args.link) body.links = [{ href: args.link, text: 'Incident issue' }];
    }
    const res = await jsonCall<{ status?: string; dedup_key?: string; message?: string }>({ ...this.opts, provider: 'pagerduty' }, { operation: `events ${args.action}`, method: 'POST', url: `${this.events}/v2/enqueue`, body });
    return { messageId: res.body.dedup_key ?? args.dedupKey, thread: args.dedupKey };
  }

  async onCall(escalationPolicyIds: string[]): Promise<Array<{ policy: string; level: number; user: string }>> {
    if (escalationPolicyIds.length === 0) return [];
    if (!this.opts.apiToken) throw new ProviderError('pagerduty oncalls: no REST API token configured (notify.channels.<pagerduty>.api_token_env)', { provider: 'pagerduty', operation: 'list oncalls', retryable: false });
    const q = new URLSearchParams();
    for (const id of escalationPolicyIds) q.append('escalation_policy_ids[]', id);
    q.set('earliest', 'true');
    const res = await jsonCall<{ oncalls?: Array<{ escalation_policy?: { id?: string }; escalation_level?: number; user?: { summary?: string; id?: string } }> }>(
      { ...this.opts, provider: 'pagerduty' },
      { operation: 'list oncalls', method: 'GET', url: `${this.rest}/oncalls?${q.toString()}`, headers: { authorization: `Token token=${this.opts.apiToken}`, accept: 'application/vnd.pagerduty+json;version=2' } },
    );
    return (res.body.oncalls ?? []).map((o) => ({ policy: o.escalation_policy?.id ?? '', level: o.escalation_level ?? 0, user: o.user?.summary ?? o.user?.id ?? 'unknown' }));
  }
}
