import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signBody } from '../../core/notify/signature.js';
import type { SentMessage, WebhookPort } from '../../core/ports/notify.js';
import { systemClock } from '../../core/runtime.js';
import { jsonCall, type HttpCallOptions } from '../http/json-call.js';

/** POSTs a JSON body signed with HMAC-SHA256 over `<timestamp>.<body>` (src/core/notify/signature.ts). */
export class SignedWebhook implements WebhookPort {
  constructor(private readonly opts: Omit<HttpCallOptions, 'provider'>) {}

  async post(args: Parameters<WebhookPort['post']>[0]): Promise<SentMessage> {
    const clock = this.opts.clock ?? systemClock;
    // Signed once: a retry re-sends the same delivery id and signature (receivers allow 5 minutes).
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    await jsonCall({ ...this.opts, provider: 'webhook' }, {
      operation: 'post',
      method: 'POST',
      url: args.url,
      headers: { [SIGNATURE_HEADER]: signBody(args.secret, timestamp, args.body), [TIMESTAMP_HEADER]: String(timestamp), [DELIVERY_HEADER]: args.deliveryId },
      body: args.body,
    });
    return { messageId: args.deliveryId };
  }
}
