import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, retryAfterFromHeaders, withProviderRetry } from '../../core/retry.js';
import { systemClock, type Clock, type Sleep } from '../../core/runtime.js';

/**
 * One JSON request over fetch with the project's retry policy: 408/429/5xx and network failures are
 * retried with backoff, a provider's Retry-After is obeyed (within the budget), anything else fails
 * at once with the provider's own error text (clipped). The URL is never put in an error: webhook
 * URLs carry their credential in the query string.
 */
export interface HttpCallOptions {
  provider: string;
  sleep: Sleep;
  clock?: Clock;
  attempts?: number;
  retryBudgetMs?: number;
  onRetry?: (message: string) => void;
}

export interface HttpRequest {
  operation: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON (a string is sent as it is). */
  body?: unknown;
}

export async function jsonCall<T>(opts: HttpCallOptions, req: HttpRequest): Promise<{ status: number; body: T }> {
  const clock = opts.clock ?? systemClock;
  return withProviderRetry(
    async () => {
      let res: Response;
      try {
        res = await fetch(req.url, {
          method: req.method,
          headers: { accept: 'application/json', ...(req.body === undefined ? {} : { 'content-type': 'application/json' }), ...req.headers },
          ...(req.body === undefined ? {} : { body: typeof req.body === 'string' ? req.body : JSON.stringify(req.body) }),
          redirect: 'error',
        });
      } catch (error) {
        throw new ProviderError(`${opts.provider} ${req.operation}: request failed (${(error as Error).message})`, { provider: opts.provider, operation: req.operation, retryable: true, cause: error });
      }
      const text = await res.text();
      let body: unknown = undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      if (!res.ok) {
        const retryAfterMs = retryAfterFromHeaders(res.headers, clock.now());
        throw new ProviderError(`${opts.provider} ${req.operation} answered ${res.status}: ${clipText(typeof body === 'string' ? body : JSON.stringify(body ?? ''), 300)}`, {
          provider: opts.provider,
          operation: req.operation,
          status: res.status,
          retryable: isRetryableStatus(res.status),
          ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        });
      }
      return { status: res.status, body: body as T };
    },
    {
      attempts: opts.attempts ?? 5,
      baseMs: 500,
      maxMs: 20_000,
      sleep: opts.sleep,
      clock,
      budgetMs: opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
      onRetry: ({ attempt, delayMs }) => opts.onRetry?.(`${opts.provider} ${req.operation}: attempt ${attempt} failed, retrying in ${delayMs} ms`),
    },
  );
}
