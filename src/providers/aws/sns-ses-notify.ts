import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { ProviderError } from '../../core/errors.js';
import type { EmailPort, SentMessage, SmsPort } from '../../core/ports/notify.js';
import { clipText } from '../../core/redact.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Clock, Sleep } from '../../core/runtime.js';

/**
 * SMS and topic fan-out through SNS `Publish`, e-mail through SES v2 `SendEmail`. Both throttle
 * with a 400 (`Throttling`, `TooManyRequestsException`): the name counts as well as the status.
 * Phone numbers and addresses pass through here and nowhere else: errors name the operation only.
 */
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'ThrottledException', 'KMSThrottlingException']);

export interface AwsNotifyOptions {
  sleep: Sleep;
  clock?: Clock;
  attempts?: number;
  retryBudgetMs?: number;
}

function awsError(service: string, operation: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return new ProviderError(`${service}:${operation} failed: ${status ? `HTTP ${status} ` : ''}${e?.name ?? 'Error'}: ${clipText(e?.message ?? '', 200)}`, {
    provider: 'aws',
    operation: `${service}:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable: THROTTLED.has(e?.name ?? '') || isRetryableStatus(status),
    cause: error,
  });
}

function call<T>(opts: AwsNotifyOptions, service: string, operation: string, fn: () => Promise<T>): Promise<T> {
  return withProviderRetry(
    async () => {
      try {
        return await fn();
      } catch (error) {
        throw awsError(service, operation, error);
      }
    },
    { attempts: opts.attempts ?? 4, baseMs: 500, maxMs: 10_000, sleep: opts.sleep, ...(opts.clock ? { clock: opts.clock } : {}), budgetMs: opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS },
  );
}

export class SnsNotifier implements SmsPort {
  constructor(
    private readonly client: SNSClient,
    private readonly opts: AwsNotifyOptions,
  ) {}

  async sendSms(args: { phoneNumber: string; text: string }): Promise<SentMessage> {
    const out = await call(this.opts, 'sns', 'Publish', () =>
      this.client.send(new PublishCommand({ PhoneNumber: args.phoneNumber, Message: args.text, MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } } })),
    );
    return { messageId: out.MessageId ?? 'unknown' };
  }

  async publishTopic(args: { topicArn: string; subject: string; text: string; dedupId: string }): Promise<SentMessage> {
    const fifo = args.topicArn.endsWith('.fifo');
    const out = await call(this.opts, 'sns', 'Publish', () =>
      this.client.send(
        new PublishCommand({
          TopicArn: args.topicArn,
          Subject: args.subject.replace(/[^\x20-\x7e]/g, ' ').slice(0, 100),
          Message: args.text,
          // A FIFO topic drops a re-published duplicate within 5 minutes by this id.
          ...(fifo ? { MessageDeduplicationId: args.dedupId, MessageGroupId: 'firebreak' } : {}),
        }),
      ),
    );
    return { messageId: out.MessageId ?? 'unknown' };
  }
}

export class SesEmailer implements EmailPort {
  constructor(
    private readonly client: SESv2Client,
    private readonly opts: AwsNotifyOptions,
  ) {}

  async send(args: { from: string; to: string; subject: string; text: string }): Promise<SentMessage> {
    const out = await call(this.opts, 'ses', 'SendEmail', () =>
      this.client.send(
        new SendEmailCommand({
          FromEmailAddress: args.from,
          Destination: { ToAddresses: [args.to] },
          Content: { Simple: { Subject: { Data: args.subject, Charset: 'UTF-8' }, Body: { Text: { Data: args.text, Charset: 'UTF-8' } } } },
        }),
      ),
    );
    return { messageId: out.MessageId ?? 'unknown' };
  }
}
