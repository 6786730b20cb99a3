import { ProviderError } from './errors.js';
import type { Sleep } from './runtime.js';

export interface RetryPolicy {
  /** Total attempts, including the first. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Names the exact transient failure worth retrying; anything else is thrown at once. */
  retryOn: (error: unknown, attempt: number) => boolean;
  sleep: Sleep;
  /** Returns a number in [0, 1); injected so tests are deterministic. */
  random?: () => number;
  /** Called before each wait: progress for a responder watching a slow provider. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Retries with full-jitter exponential backoff: delay = random(0, min(max, base * 2^n)). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const random = policy.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !policy.retryOn(error, attempt)) throw error;
      const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      const delayMs = Math.floor(random() * ceiling);
      policy.onRetry?.({ attempt, delayMs, error });
      await policy.sleep(delayMs);
    }
  }
}

/** The common predicate: a ProviderError that says it is retryable. */
export function isRetryableProviderError(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable;
}

/** HTTP statuses worth another try: throttling and server-side faults. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/**
 * `withRetry` for provider calls: retries ProviderErrors that say they are retryable and, when it
 * gives up, says after how many attempts, so a report's "gave up after 4 attempts" is true.
 */
export async function withProviderRetry<T>(fn: (attempt: number) => Promise<T>, policy: Omit<RetryPolicy, 'retryOn'>): Promise<T> {
  let attempts = 0;
  try {
    return await withRetry(
      (attempt) => {
        attempts = attempt;
        return fn(attempt);
      },
      { ...policy, retryOn: isRetryableProviderError },
    );
  } catch (error) {
    if (!(error instanceof ProviderError) || !error.retryable || attempts < 2) throw error;
    throw new ProviderError(`${error.message} (gave up after ${attempts} attempts)`, {
      provider: error.provider,
      operation: error.operation,
      ...(error.status === undefined ? {} : { status: error.status }),
      retryable: true,
      code: error.code,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      cause: error,
    });
  }
}
