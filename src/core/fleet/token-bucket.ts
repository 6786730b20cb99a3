import type { Clock, Sleep } from '../runtime.js';

/**
 * Token buckets keyed by account and region: provider write limits are per account and region (WAF
 * about one Create/Put/Update per second), so a fleet run can be wide and still polite — 200
 * targets in 200 account/regions write at once; two targets sharing one wait their turn.
 *
 * Each key starts with `burst` tokens and refills `ratePerSecond`. `take` reserves a slot before
 * sleeping, so concurrent callers on one key are spaced out rather than all waking together.
 */
export class KeyedTokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly opts: { ratePerSecond: number; burst: number; clock: Clock; sleep: Sleep },
  ) {
    if (!(opts.ratePerSecond > 0) || !(opts.burst >= 1)) throw new RangeError('ratePerSecond must be > 0 and burst >= 1');
  }

  /** Resolves when a call on `key` may go; returns how long it waited (ms). */
  async take(key: string): Promise<number> {
    const now = this.opts.clock.now().getTime();
    const b = this.buckets.get(key) ?? { tokens: this.opts.burst, at: now };
    const refilled = Math.min(this.opts.burst, b.tokens + ((now - b.at) / 1000) * this.opts.ratePerSecond);
    const tokens = refilled - 1;
    this.buckets.set(key, { tokens, at: now });
    if (tokens >= 0) return 0;
    const wait = Math.ceil((-tokens / this.opts.ratePerSecond) * 1000);
    await this.opts.sleep(wait);
    return wait;
  }
}
