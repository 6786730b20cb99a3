import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/** Retry tuning shared by the IAM and Cognito adapters (SDK retries are off; ours are visible). */
export interface AwsCallOptions {
  sleep: Sleep;
  random?: (() => number) | undefined;
  callAttempts?: number | undefined;
  onRetry?: ((message: string) => void) | undefined;
}

const TRANSIENT = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'InternalFailure', 'ServiceFailure', 'ServiceUnavailable', 'InternalErrorException', 'TimeoutError', 'RequestTimeout']);

export interface AwsErrorShape {
  name: string;
  status: number | undefined;
  message: string;
}

export function awsErrorShape(error: unknown): AwsErrorShape {
  const e = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return { name: e?.name ?? e?.Code ?? 'Error', status: e?.$metadata?.httpStatusCode, message: e?.message ?? String(error) };
}

/**
 * One AWS call with our retry policy. `translate` may turn a known error into a typed one (not found
 * → InputError); anything else becomes a ProviderError naming the service, operation and subject.
 */
export function awsCall<T>(
  service: string,
  operation: string,
  subject: string,
  opts: AwsCallOptions,
  fn: () => Promise<T>,
  translate?: (shape: AwsErrorShape) => Error | undefined,
): Promise<T> {
  return withProviderRetry(
    async () => {
      try {
        return await fn();
      } catch (error) {
        const shape = awsErrorShape(error);
        const typed = translate?.(shape);
        if (typed) throw typed;
        const denied = shape.name === 'AccessDenied' || shape.name === 'AccessDeniedException' || shape.name === 'NotAuthorizedException';
        const retryable = !denied && (TRANSIENT.has(shape.name) || (shape.status === undefined ? !/Exception$|^NoSuch/.test(shape.name) : isRetryableStatus(shape.status) && shape.status !== 400));
        throw new ProviderError(`${service}:${operation} on ${subject} failed: ${shape.status === undefined ? shape.name : `HTTP ${shape.status} ${shape.name}`}: ${clipText(shape.message, 300)}`, {
          provider: 'aws',
          operation: `${service}:${operation}`,
          ...(shape.status === undefined ? {} : { status: shape.status }),
          retryable,
          ...(denied ? { code: 'PROVIDER_DENIED', hint: `The responder role needs ${service}:${operation}; see docs/operators/least-privilege.md.` } : {}),
          cause: error,
        });
      }
    },
    {
      attempts: opts.callAttempts ?? 4,
      baseMs: 200,
      maxMs: 2_000,
      sleep: opts.sleep,
      ...(opts.random ? { random: opts.random } : {}),
      onRetry: ({ attempt, error }) => opts.onRetry?.(`${subject}: ${service}:${operation} attempt ${attempt} failed (${(error as Error).message}); retrying`),
    },
  );
}
