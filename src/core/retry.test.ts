import { describe, expect, it } from 'vitest';
import { ProviderError, RetryLaterError } from './errors.js';
import { isRetryableProviderError, isRetryableStatus, parseRetryAfter, retryAfterFromHeaders, withProviderRetry, withRetry } from './retry.js';
import { manualClock } from './runtime.js';

const transient = () => new ProviderError('throttled', { provider: 'aws', operation: 'UpdateIPSet', status: 429, retryable: true });

describe('withRetry', () => {
  it('retries a named transient failure with full-jitter backoff capped at maxMs, then succeeds', async () => {
    const waits: number[] = [];
    const seen: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        seen.push(attempt);
        if (++calls < 5) throw transient();
        return 'ok';
      },
      { attempts: 5, baseMs: 100, maxMs: 300, retryOn: isRetryableProviderError, sleep: async (ms) => void waits.push(ms), random: () => 0.999 },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    // ceiling = min(300, 100 * 2^(n-1)) → 100, 200, 300, 300; delay = floor(0.999 * ceiling)
    expect(waits).toEqual([99, 199, 299, 299]);
  });

  it('draws each delay uniformly below the ceiling (full jitter)', async () => {
    const waits: number[] = [];
    await withRetry(
      async (a) => {
        if (a < 3) throw transient();
      },
      { attempts: 3, baseMs: 1000, maxMs: 10_000, retryOn: () => true, sleep: async (ms) => void waits.push(ms), random: () => 0 },
    );
    expect(waits).toEqual([0, 0]);
  });

  it('throws the last error after the attempts are used, reporting each retry', async () => {
    const retries: number[] = [];
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw transient();
        },
        { attempts: 3, baseMs: 1, maxMs: 1, retryOn: () => true, sleep: async () => {}, onRetry: (i) => retries.push(i.attempt) },
      ),
    ).rejects.toThrow('throttled');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('throws a non-retryable error at once without sleeping', async () => {
    let slept = false;
    let calls = 0;
    const fatal = new ProviderError('forbidden', { provider: 'aws', operation: 'x', status: 403, retryable: false });
    await expect(
      withRetry(
        async () => {
          calls++;
          throw fatal;
        },
        { attempts: 5, baseMs: 1, maxMs: 1, retryOn: isRetryableProviderError, sleep: async () => void (slept = true) },
      ),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);
    expect(slept).toBe(false);
  });
});

describe('retry predicates', () => {
  it('isRetryableStatus: throttling, timeouts, server faults and no status at all', () => {
    expect([undefined, 408, 429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 412, 422].some(isRetryableStatus)).toBe(false);
  });

  it('isRetryableProviderError only trusts ProviderError.retryable', () => {
    expect(isRetryableProviderError(transient())).toBe(true);
    expect(isRetryableProviderError(new Error('429'))).toBe(false);
    expect(isRetryableProviderError({ retryable: true })).toBe(false);
  });
});

describe('withProviderRetry', () => {
  const transient = () => new ProviderError('HTTP 503 from WAF', { provider: 'aws', operation: 'UpdateIPSet', status: 503, retryable: true });

  it('says after how many attempts it gave up on a retryable failure', async () => {
    let calls = 0;
    const err = await withProviderRetry(
      async () => {
        calls++;
        throw transient();
      },
      { attempts: 4, baseMs: 1, maxMs: 1, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toBe('HTTP 503 from WAF (gave up after 4 attempts)');
    expect((err as ProviderError).retryable).toBe(true);
    expect((err as ProviderError).status).toBe(503);
  });

  it('throws a permanent failure at once, unchanged', async () => {
    const permanent = new ProviderError('access denied', { provider: 'aws', operation: 'GetIPSet', status: 403, retryable: false });
    let calls = 0;
    await expect(
      withProviderRetry(
        async () => {
          calls++;
          throw permanent;
        },
        { attempts: 4, baseMs: 1, maxMs: 1, sleep: async () => {} },
      ),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('returns the value once a transient failure clears', async () => {
    let calls = 0;
    const v = await withProviderRetry(
      async () => {
        if (++calls < 3) throw transient();
        return 'ok';
      },
      { attempts: 4, baseMs: 1, maxMs: 1, sleep: async () => {} },
    );
    expect([v, calls]).toEqual(['ok', 3]);
  });
});

describe('provider back-off signals', () => {
  const limited = (retryAfterMs: number | undefined) =>
    new ProviderError('rate limited', { provider: 'cloudflare', operation: 'lists:items', status: 429, retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

  it('waits exactly what the provider asked for, not the jittered backoff', async () => {
    const waits: number[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        if (++calls === 1) throw limited(7_000);
        if (calls === 2) throw limited(undefined);
        return 'ok';
      },
      { attempts: 4, baseMs: 100, maxMs: 1_000, retryOn: isRetryableProviderError, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    expect(waits).toEqual([7_000, 100]);
  });

  it('fails fast with RetryLaterError when the hint does not fit the budget, saying when to retry', async () => {
    const clock = manualClock('2026-12-02T10:00:00Z');
    const waits: number[] = [];
    let calls = 0;
    const err = await withProviderRetry(
      async () => {
        calls++;
        throw limited(calls === 1 ? 20_000 : 3_600_000);
      },
      { attempts: 5, baseMs: 100, maxMs: 1_000, sleep: async (ms) => { waits.push(ms); await clock.sleep(ms); }, clock, budgetMs: 60_000 },
    ).then(() => expect.unreachable(), (e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect(waits).toEqual([20_000]);
    expect(calls).toBe(2);
    const later = err as RetryLaterError;
    expect(later.code).toBe('RETRY_LATER');
    expect(later.retryAt).toBe('2026-12-02T11:00:20.000Z');
    expect(later.message).toContain('retry after 2026-12-02T11:00:20.000Z');
    expect(later.hint).toContain('2026-12-02T11:00:20.000Z');
    expect(later.details).toMatchObject({ waitMs: 3_600_000, budgetLeftMs: 40_000 });
  });

  it('the budget also caps plain backoff: the last error is thrown once the next wait does not fit', async () => {
    const waits: number[] = [];
    await expect(
      withRetry(
        async () => {
          throw limited(undefined);
        },
        { attempts: 10, baseMs: 1_000, maxMs: 1_000, retryOn: () => true, sleep: async (ms) => void waits.push(ms), random: () => 0.999, budgetMs: 2_500 },
      ),
    ).rejects.toMatchObject({ code: 'PROVIDER_ERROR' });
    expect(waits).toEqual([999, 999]);
  });

  it('a hint past the end of JavaScript time is still a RetryLaterError with the wait, not a RangeError', async () => {
    const clock = manualClock('2026-12-02T10:00:00Z');
    const now = clock.now();
    for (const hint of [parseRetryAfter('99999999999999999999999', now)!, retryAfterFromHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999999999999' }, now)!]) {
      const err = await withProviderRetry(
        async () => {
          throw limited(hint);
        },
        { attempts: 3, baseMs: 1, maxMs: 1, sleep: async () => {}, clock, budgetMs: 60_000 },
      ).then(() => expect.unreachable(), (e: unknown) => e);
      expect(err).toBeInstanceOf(RetryLaterError);
      expect((err as RetryLaterError).retryAt).toBeUndefined();
      expect((err as RetryLaterError).message).toMatch(/asks to wait \S+ s, more than the 60 s left/);
    }
  });

  it('reads only the RFC 9110 date forms, not whatever Date.parse accepts', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    expect(parseRetryAfter('Wednesday, 02-Dec-26 10:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed Dec  2 10:01:30 2026', now)).toBe(90_000);
    for (const odd of ['x 2027', 'May 1', '1 a', '2026-12-02T10:01:30Z', 'Wed, 02 Dec 2026 10:01:30 +0100', '+10', '3.5', '1e3', '１０']) {
      expect(parseRetryAfter(odd, now), odd).toBeUndefined();
    }
  });

  it('reads Retry-After as seconds or an HTTP-date, and GitHub rate-limit reset headers', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 10:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(retryAfterFromHeaders({ 'Retry-After': '3' }, now)).toBe(3_000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '4' }), now)).toBe(4_000);
    const reset = String(now.getTime() / 1000 + 42);
    expect(retryAfterFromHeaders({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, now)).toBe(42_000);
    expect(retryAfterFromHeaders({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': reset }, now)).toBeUndefined();
    expect(retryAfterFromHeaders({ 'retry-after': '1', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, now)).toBe(1_000);
  });
});
