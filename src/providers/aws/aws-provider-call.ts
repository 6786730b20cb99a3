import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/** Error names AWS services use for throttling, answered with 400 (so the status alone misses them). */
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'TooManyRequestsException', 'ThrottledException']);

/** Any AWS SDK v3 failure as a ProviderError naming service, operation and subject. */
export function awsProviderError(service: string, operation: string, subject: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return new ProviderError(`${service}:${operation} on ${subject} failed: ${status ? `HTTP ${status} ` : ''}${e?.name ?? 'Error'}: ${clipText(e?.message ?? '', 200)}`, {
    provider: 'aws',
    operation: `${service}:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable: THROTTLED.has(e?.name ?? '') || isRetryableStatus(status),
    cause: error,
  });
}

export interface AwsCallOptions {
  sleep: Sleep;
  random?: (() => number) | undefined;
  /** Attempts per call for transient failures (default 4). */
  callAttempts?: number | undefined;
}

/**
 * One AWS call with the project's retry rule (transient failures only, full jitter, a budget).
 * `retry: false` for calls that are not safe to repeat after an ambiguous failure.
 */
export function awsCall<T>(opts: AwsCallOptions, service: string, operation: string, subject: string, fn: () => Promise<T>, retry = true): Promise<T> {
  const once = async () => {
    try {
      return await fn();
    } catch (error) {
      throw awsProviderError(service, operation, subject, error);
    }
  };
  if (!retry) return once();
  return withProviderRetry(once, {
    attempts: opts.callAttempts ?? 4,
    baseMs: 200,
    maxMs: 5_000,
    sleep: opts.sleep,
    budgetMs: DEFAULT_RETRY_BUDGET_MS,
    ...(opts.random ? { random: opts.random } : {}),
  });
}

/** The AWS error name of a ProviderError's cause (`InvalidGroup.NotFound`, …). */
export function awsErrorName(error: unknown): string | undefined {
  const cause = (error as { cause?: { name?: string } })?.cause;
  return cause?.name;
}
