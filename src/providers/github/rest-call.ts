import { ProviderError } from '../../core/errors.js';
import { DEFAULT_RETRY_BUDGET_MS, withRetry } from '../../core/retry.js';
import { systemClock, type Clock, type Sleep } from '../../core/runtime.js';
import { toProviderError } from './incident-ledger.js';

export interface GitHubCallOptions {
  sleep: Sleep;
  clock?: Clock;
  attempts?: number;
  retryBudgetMs?: number;
}

/**
 * One GitHub REST call as a typed ProviderError on failure. `retry: false` for writes whose
 * ambiguous failure must not be repeated blindly (a second deployment, a second pull request):
 * the step re-reads state on the next run instead.
 */
export function githubCall<T>(opts: GitHubCallOptions, operation: string, fn: () => Promise<T>, retry = true): Promise<T> {
  const clock = opts.clock ?? systemClock;
  const once = async () => {
    try {
      return await fn();
    } catch (error) {
      throw toProviderError(operation, error, clock.now());
    }
  };
  if (!retry) return once();
  return withRetry(once, {
    attempts: opts.attempts ?? 4,
    baseMs: 200,
    maxMs: 5_000,
    sleep: opts.sleep,
    budgetMs: opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
    clock,
    retryOn: (e) => e instanceof ProviderError && e.retryable,
  });
}

/** Whether a failed call was a 404 (the thing does not exist), as opposed to any other failure. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 404;
}
