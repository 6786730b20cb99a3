import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ProviderError } from '../../core/errors.js';
import { withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import { s3ProviderError } from './s3-error.js';

/**
 * Evidence objects in the kit's evidence bucket (Object Lock, COMPLIANCE by default). Writes are
 * `If-None-Match: *`: a key is written once, so a re-run never replaces what an earlier one kept,
 * and retention comes from the bucket's default (the writer never sets or shortens it). Each put
 * carries the SHA-256 the manifest records, in metadata and as S3's own checksum, so S3 refuses a
 * body that was damaged on the way.
 */
export interface StoredObject {
  key: string;
  size: number;
}

export interface EvidenceObjectsOptions {
  client: S3Client;
  bucket: string;
  sleep: Sleep;
  callAttempts?: number;
}

export class EvidenceObjects {
  constructor(private readonly opts: EvidenceObjectsOptions) {}

  get bucket(): string {
    return this.opts.bucket;
  }

  uri(key: string): string {
    return `s3://${this.opts.bucket}/${key}`;
  }

  /** Every object under `prefix`, by key. */
  async list(prefix: string): Promise<Map<string, StoredObject>> {
    const out = new Map<string, StoredObject>();
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () =>
        this.opts.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })),
      );
      for (const o of page.Contents ?? []) if (o.Key) out.set(o.Key, { key: o.Key, size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** Writes `body` at `key` unless the key exists; `exists` means an earlier run kept it (the caller re-hashes it). */
  async putIfAbsent(key: string, body: Buffer, sha256hex: string, contentType = 'application/octet-stream'): Promise<'stored' | 'exists'> {
    try {
      await this.call('PutObject', () =>
        this.opts.client.send(
          new PutObjectCommand({
            Bucket: this.opts.bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            IfNoneMatch: '*',
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: Buffer.from(sha256hex, 'hex').toString('base64'),
            Metadata: { 'firebreak-sha256': sha256hex },
          }),
        ),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ProviderError && (error.status === 412 || error.status === 409)) return 'exists';
      throw error;
    }
  }

  /** Size and SHA-256 of the stored bytes (streamed, never held whole); undefined when the key is absent. */
  async hash(key: string): Promise<{ size: number; sha256: string } | undefined> {
    let body: Readable;
    try {
      const out = await this.call('GetObject', () => this.opts.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key })));
      body = out.Body as Readable;
    } catch (error) {
      if (error instanceof ProviderError && error.status === 404) return undefined;
      throw error;
    }
    const h = createHash('sha256');
    let size = 0;
    for await (const chunk of body) {
      const b = chunk as Buffer;
      size += b.length;
      h.update(b);
    }
    return { size, sha256: h.digest('hex') };
  }

  async readText(key: string): Promise<string> {
    const out = await this.call('GetObject', () => this.opts.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key })));
    return (await out.Body?.transformToString('utf8')) ?? '';
  }

  /** The object as a stream (triage reads evidence this way). */
  async open(key: string): Promise<Readable> {
    const out = await this.call('GetObject', () => this.opts.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key })));
    return out.Body as Readable;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw s3ProviderError('evidence bucket', operation, this.opts.bucket, error);
        }
      },
      { attempts: this.opts.callAttempts ?? 4, baseMs: 200, maxMs: 2_000, sleep: this.opts.sleep, retryOn: (e) => e instanceof ProviderError && e.retryable },
    );
  }
}

