import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { EdgeLedger, EdgeRecord } from '../../core/edge/ports.js';
import { ProviderError } from '../../core/errors.js';
import { withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import { s3ProviderError } from './s3-error.js';

/**
 * The edge ledger in the kit's evidence bucket: `<prefix><kind>/<createdAt>_<id>.json`, one
 * immutable object per disable-routes / limit-rate run, and `<prefix>closed/<id>.json` once
 * enable-routes / restore-rate has undone it. Never rewritten, never deleted: the bucket may be under
 * Object Lock, and the records are evidence of what was switched off and when.
 */
export interface S3EdgeLedgerOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  sleep: Sleep;
  random?: () => number;
}

export class S3EdgeLedger implements EdgeLedger {
  constructor(private readonly opts: S3EdgeLedgerOptions) {}

  async put(record: EdgeRecord): Promise<void> {
    const key = `${this.opts.prefix}${record.kind}/${record.createdAt.replace(/[:.]/g, '-')}_${record.id}.json`;
    await this.call('PutObject', () => this.opts.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: JSON.stringify(record), ContentType: 'application/json' })));
  }

  async list(kind: EdgeRecord['kind']): Promise<EdgeRecord[]> {
    const closed = new Set((await this.keys(`${this.opts.prefix}closed/`)).map((k) => k.slice(k.lastIndexOf('/') + 1, -'.json'.length)));
    const keys = (await this.keys(`${this.opts.prefix}${kind}/`)).filter((k) => k.endsWith('.json') && !closed.has(k.slice(k.lastIndexOf('_') + 1, -'.json'.length))).sort();
    const out: EdgeRecord[] = [];
    for (const key of keys) {
      const obj = await this.call('GetObject', () => this.opts.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key })));
      const text = (await obj.Body?.transformToString('utf8')) ?? '';
      try {
        out.push(JSON.parse(text) as EdgeRecord);
      } catch {
        throw new ProviderError(`edge ledger object ${key} is not JSON`, { provider: 'aws', operation: 's3:GetObject', retryable: false, code: 'LEDGER_CORRUPT' });
      }
    }
    return out;
  }

  async close(id: string, by: { actor: string; at: string; runUrl: string | null }): Promise<void> {
    await this.call('PutObject', () => this.opts.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: `${this.opts.prefix}closed/${id}.json`, Body: JSON.stringify(by), ContentType: 'application/json' })));
  }

  private async keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () => this.opts.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })));
      for (const o of page.Contents ?? []) if (o.Key) out.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw s3ProviderError('edge ledger', operation, this.opts.bucket, error);
        }
      },
      { attempts: 4, baseMs: 200, maxMs: 2_000, sleep: this.opts.sleep, ...(this.opts.random ? { random: this.opts.random } : {}), retryOn: (e) => e instanceof ProviderError && e.retryable },
    );
  }
}
