import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ProviderError } from '../../core/errors.js';
import type { BlockLedger, LedgerRecord } from '../../core/ip/ledger.js';
import { withRetry } from '../../core/retry.js';
import { s3ProviderError } from './s3-error.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * The block ledger in the kit's evidence bucket: `<prefix>runs/<expiresAt>_<id>.json`, one immutable
 * object per block-ips run; `<prefix>swept/<id>` marks a record sweep-expired has dealt with. Keys start with the expiry so a human listing the prefix sees what ends
 * first. Retries are ours (client built with maxAttempts 1).
 */
export interface S3BlockLedgerOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  sleep: Sleep;
  random?: () => number;
  callAttempts?: number;
}

export class S3BlockLedger implements BlockLedger {
  constructor(private readonly opts: S3BlockLedgerOptions) {}

  keyFor(record: Pick<LedgerRecord, 'id' | 'expiresAt'>): string {
    return `${this.opts.prefix}runs/${record.expiresAt.replace(/[:.]/g, '-')}_${record.id}.json`;
  }

  private tombstoneFor(id: string): string {
    return `${this.opts.prefix}swept/${id}`;
  }

  async put(record: LedgerRecord): Promise<void> {
    await this.call('PutObject', () =>
      this.opts.client.send(
        new PutObjectCommand({ Bucket: this.opts.bucket, Key: this.keyFor(record), Body: Buffer.from(JSON.stringify(record), 'utf8'), ContentType: 'application/json' }),
      ),
    );
  }

  /** Live records: every run object without a tombstone. */
  async list(): Promise<LedgerRecord[]> {
    const runs: string[] = [];
    const swept = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () =>
        this.opts.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: this.opts.prefix, ...(token ? { ContinuationToken: token } : {}) })),
      );
      for (const o of page.Contents ?? []) {
        if (!o.Key) continue;
        if (o.Key.startsWith(`${this.opts.prefix}swept/`)) swept.add(o.Key.slice(`${this.opts.prefix}swept/`.length));
        else if (o.Key.startsWith(`${this.opts.prefix}runs/`) && o.Key.endsWith('.json')) runs.push(o.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const live = runs.filter((k) => !swept.has(k.slice(k.lastIndexOf('_') + 1, -'.json'.length)));
    const records: LedgerRecord[] = [];
    for (const key of live) {
      const out = await this.call('GetObject', () => this.opts.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key })));
      const text = (await out.Body?.transformToString('utf8')) ?? '';
      try {
        records.push(JSON.parse(text) as LedgerRecord);
      } catch {
        throw new ProviderError(`block ledger object ${key} is not JSON`, { provider: 'aws', operation: 's3:GetObject', retryable: false, code: 'LEDGER_CORRUPT' });
      }
    }
    return records;
  }

  /**
   * Marks records as swept with a tombstone object instead of deleting them: the evidence bucket may
   * be under Object Lock, and the run objects stay as evidence of what was blocked and when.
   */
  async remove(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      await this.call('PutObject', () => this.opts.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: this.tombstoneFor(id), Body: new Uint8Array(0) })));
    }
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw s3ProviderError('block ledger', operation, this.opts.bucket, error);
        }
      },
      {
        attempts: this.opts.callAttempts ?? 4,
        baseMs: 200,
        maxMs: 2_000,
        sleep: this.opts.sleep,
        ...(this.opts.random ? { random: this.opts.random } : {}),
        retryOn: (e) => e instanceof ProviderError && e.retryable,
      },
    );
  }
}
