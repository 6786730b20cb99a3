import { ProviderError, RetryLaterError } from './errors.js';
import type { Clock, Sleep } from './runtime.js';

/** Default total time one provider call may spend waiting between attempts (configurable per provider). */
export const DEFAULT_RETRY_BUDGET_MS = 120_000;

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
  /**
   * Total time the retries may take, in ms. Measured on `clock` when given (calls included), else
   * as the sum of waits. A provider hint that does not fit fails fast with RetryLaterError.
   */
  budgetMs?: number;
  clock?: Clock;
  /** The provider's own wait for an error, in ms; default: `ProviderError.retryAfterMs`. */
  retryAfterMs?: (error: unknown) => number | undefined;
}

/**
 * Retries with full-jitter exponential backoff: delay = random(0, min(max, base * 2^n)). When the
 * provider says how long to wait (Retry-After, rate-limit reset), that wait is used instead: asking
 * again sooner only burns the rate limit. Every wait fits the budget or the call fails fast.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const random = policy.random ?? Math.random;
  const hintOf = policy.retryAfterMs ?? ((e: unknown) => (e instanceof ProviderError ? e.retryAfterMs : undefined));
  const started = policy.clock?.now().getTime();
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !policy.retryOn(error, attempt)) throw error;
      const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      const hint = hintOf(error);
      const delayMs = hint !== undefined && Number.isFinite(hint) ? Math.max(0, Math.ceil(hint)) : Math.floor(random() * ceiling);
      if (policy.budgetMs !== undefined) {
        // The larger of both: a fake sleep does not move a real clock, a slow call is not a wait.
        const spent = Math.max(waited, started !== undefined && policy.clock ? policy.clock.now().getTime() - started : 0);
        const left = policy.budgetMs - spent;
        if (delayMs > left) {
          if (error instanceof ProviderError && hint !== undefined) {
            // A hint past the end of JavaScript time (a provider saying "wait 10^23 s") has no date.
            const at = policy.clock ? new Date(policy.clock.now().getTime() + delayMs) : undefined;
            throw new RetryLaterError(error, delayMs, left, at && Number.isFinite(at.getTime()) ? at : undefined);
          }
          throw error;
        }
      }
      policy.onRetry?.({ attempt, delayMs, error });
      await policy.sleep(delayMs);
      waited += delayMs;
    }
  }
}

const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
/** RFC 9110 §5.6.7 HTTP-date: IMF-fixdate, the obsolete RFC 850 form and asctime. Nothing else. */
const HTTP_DATE = new RegExp(
  `^(?:${DAY}, \\d{2} ${MONTH} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \\d{2}-${MONTH}-\\d{2} \\d{2}:\\d{2}:\\d{2} GMT|${DAY} ${MONTH} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\d{4})$`,
);

/**
 * A Retry-After header value in ms: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined
 * when absent or unreadable; a date in the past is 0. Only the RFC's date forms are read:
 * Date.parse alone takes "x 2027" (a month away) or "May 1" (long past) as dates.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!HTTP_DATE.test(text)) return undefined;
  // asctime carries no zone; HTTP-dates are always GMT (Date.parse would read it as local time).
  const at = Date.parse(text.endsWith(' GMT') ? text : `${text} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

type HeaderBag = { get(name: string): string | null } | Readonly<Record<string, string | number | undefined | null>> | undefined;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  const bag = headers as Readonly<Record<string, string | number | undefined | null>>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : bag[key];
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * A provider's back-off signal from response headers, in ms: `retry-after` first, then GitHub's
 * `x-ratelimit-remaining: 0` with `x-ratelimit-reset` (epoch seconds).
 */
export function retryAfterFromHeaders(headers: HeaderBag, now: Date): number | undefined {
  const after = parseRetryAfter(header(headers, 'retry-after'), now);
  if (after !== undefined) return after;
  const reset = header(headers, 'x-ratelimit-reset');
  if (header(headers, 'x-ratelimit-remaining') === '0' && reset !== undefined && /^\d+$/.test(reset.trim())) {
    return Math.max(0, Number(reset) * 1000 - now.getTime());
  }
  return undefined;
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
    if (!(error instanceof ProviderError) || error instanceof RetryLaterError || !error.retryable || attempts < 2) throw error;
    throw new ProviderError(`${error.message} (gave up after ${attempts} attempts)`, {
      provider: error.provider,
      operation: error.operation,
      ...(error.status === undefined ? {} : { status: error.status }),
      retryable: true,
      code: error.code,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      cause: error,
    });
  }
}
