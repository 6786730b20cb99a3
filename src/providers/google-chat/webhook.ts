import type { GoogleChatPort, SentMessage } from '../../core/ports/notify.js';
import { jsonCall, type HttpCallOptions } from '../http/json-call.js';

/**
 * Google Chat incoming webhook (`spaces.messages.create` with the webhook's key and token). One
 * thread per incident: `threadKey` is the incident id and `messageReplyOption=
 * REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD` starts it on the first message and replies afterwards.
 * `requestId` makes a retried create return the same message instead of a second one.
 */
export class GoogleChatWebhook implements GoogleChatPort {
  constructor(private readonly opts: Omit<HttpCallOptions, 'provider'>) {}

  async post(args: Parameters<GoogleChatPort['post']>[0]): Promise<SentMessage> {
    const url = new URL(args.webhookUrl);
    url.searchParams.set('threadKey', args.threadKey);
    url.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
    url.searchParams.set('requestId', args.requestId);
    const res = await jsonCall<{ name?: string; thread?: { name?: string } }>({ ...this.opts, provider: 'google-chat' }, { operation: 'spaces.messages.create', method: 'POST', url: url.toString(), body: { text: args.text, thread: { threadKey: args.threadKey } } });
    return { messageId: res.body.name ?? 'unknown', thread: res.body.thread?.name };
  }
}
