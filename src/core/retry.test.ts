import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.js';
import { isRetryableProviderError, isRetryableStatus, withProviderRetry, withRetry } from './retry.js';

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
