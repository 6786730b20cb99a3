import { ErrorCode, LogLevel, WebClient, type WebAPICallResult } from '@slack/web-api';
import { ProviderError } from '../../core/errors.js';
import type { SentMessage, SlackPort } from '../../core/ports/notify.js';
import { clipText } from '../../core/redact.js';
import { DEFAULT_RETRY_BUDGET_MS, withProviderRetry } from '../../core/retry.js';
import type { Clock, Sleep } from '../../core/runtime.js';

/**
 * Slack over the official @slack/web-api client with its own retries off (`retries: 0`,
 * `rejectRateLimitedCalls`): a 429 comes back with `retryAfter` and our policy waits exactly that
 * long within the budget, so a report says how many calls were made. Slack's per-method tiers
 * (chat.postMessage ~1/s per channel, conversations.* tier 2–3) are honoured by that Retry-After.
 * Errors Slack returns for "already so" (`already_in_channel`, `already_pinned`,
 * `already_archived`, `name_taken`) are outcomes, not failures.
 */
export interface SlackOptions {
  token: string;
  apiUrl?: string;
  sleep: Sleep;
  clock?: Clock;
  attempts?: number;
  retryBudgetMs?: number;
}

const ALREADY = new Set(['already_in_channel', 'already_pinned', 'already_archived', 'is_archived']);
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

export class SlackNotifier implements SlackPort {
  private readonly client: WebClient;
  constructor(private readonly opts: SlackOptions) {
    this.client = new WebClient(opts.token, {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/` } : {}),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });
  }

  private async call<T extends WebAPICallResult>(method: string, fn: () => Promise<T>): Promise<T | { ok: false; already: string }> {
    return withProviderRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          const e = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
          const slackError = e.data?.error;
          if (e.code === ErrorCode.PlatformError && slackError && ALREADY.has(slackError)) return { ok: false as const, already: slackError };
          if (e.code === ErrorCode.RateLimitedError) {
            throw new ProviderError(`slack ${method}: rate limited`, { provider: 'slack', operation: method, status: 429, retryable: true, retryAfterMs: (e.retryAfter ?? 1) * 1000, cause: error });
          }
          const retryable = e.code === ErrorCode.RequestError || (e.code === ErrorCode.HTTPError && (e.statusCode ?? 500) >= 500) || (slackError !== undefined && TRANSIENT.has(slackError));
          throw new ProviderError(`slack ${method} failed: ${slackError ?? clipText(e.message ?? 'error', 200)}`, { provider: 'slack', operation: method, ...(e.statusCode ? { status: e.statusCode } : {}), retryable, code: slackError ? `SLACK_${slackError.toUpperCase()}` : 'PROVIDER_ERROR', cause: error });
        }
      },
      { attempts: this.opts.attempts ?? 5, baseMs: 1000, maxMs: 30_000, sleep: this.opts.sleep, ...(this.opts.clock ? { clock: this.opts.clock } : {}), budgetMs: this.opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS },
    );
  }

  private blocks(title: string, parts: string[]): Array<Record<string, unknown>> {
    return [{ type: 'header', text: { type: 'plain_text', text: clipText(title, 140) } }, ...parts.map((p) => ({ type: 'section', text: { type: 'mrkdwn', text: p } }))];
  }

  private async findChannel(name: string): Promise<string | undefined> {
    let cursor: string | undefined;
    do {
      const res = await this.call('conversations.list', () => this.client.conversations.list({ exclude_archived: true, limit: 200, types: 'public_channel', ...(cursor ? { cursor } : {}) }));
      if ('already' in res) return undefined;
      const hit = res.channels?.find((c) => c.name === name);
      if (hit?.id) return hit.id;
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return undefined;
  }

  async openIncidentChannel(args: Parameters<SlackPort['openIncidentChannel']>[0]): Promise<SentMessage> {
    let channel = args.existing;
    let outcome: 'created' | 'already' = 'already';
    if (!channel) {
      try {
        const created = await this.call('conversations.create', () => this.client.conversations.create({ name: args.name, is_private: false }));
        if (!('already' in created)) {
          channel = created.channel?.id;
          outcome = 'created';
        }
      } catch (error) {
        // A re-run after a crash between create and post: the channel exists under the same name.
        if ((error as ProviderError).code !== 'SLACK_NAME_TAKEN') throw error;
      }
      channel ??= await this.findChannel(args.name);
      if (!channel) throw new ProviderError(`slack conversations.create: #${args.name} exists but is not visible to the bot (archived or private?)`, { provider: 'slack', operation: 'conversations.create', retryable: false });
    }
    if (args.users.length) await this.call('conversations.invite', () => this.client.conversations.invite({ channel: channel!, users: args.users.join(',') }));
    await this.call('conversations.setTopic', () => this.client.conversations.setTopic({ channel: channel!, topic: clipText(args.topic, 250) }));
    const posted = await this.call('chat.postMessage', () => this.client.chat.postMessage({ channel: channel!, text: clipText(`${args.title}\n${args.parts.join('\n')}`, 39_000), blocks: this.blocks(args.title, args.parts) as never }));
    const ts = 'already' in posted ? undefined : posted.ts;
    if (!ts) throw new ProviderError('slack chat.postMessage returned no ts', { provider: 'slack', operation: 'chat.postMessage', retryable: false });
    await this.call('pins.add', () => this.client.pins.add({ channel: channel!, timestamp: ts }));
    return { messageId: ts, thread: channel, outcome };
  }

  async post(args: { channel: string; title: string; parts: string[] }): Promise<SentMessage> {
    const posted = await this.call('chat.postMessage', () => this.client.chat.postMessage({ channel: args.channel, text: clipText(`${args.title}\n${args.parts.join('\n')}`, 39_000), blocks: this.blocks(args.title, args.parts) as never }));
    if ('already' in posted || !posted.ts) throw new ProviderError(`slack chat.postMessage failed${'already' in posted ? `: ${posted.already}` : ''}`, { provider: 'slack', operation: 'chat.postMessage', retryable: false });
    return { messageId: posted.ts, thread: args.channel };
  }

  async archive(channel: string): Promise<SentMessage> {
    const res = await this.call('conversations.archive', () => this.client.conversations.archive({ channel }));
    return { messageId: channel, thread: channel, outcome: 'already' in res ? 'already' : 'created' };
  }
}
