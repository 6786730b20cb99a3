import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ProviderError } from '../../core/errors.js';
import { withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import { s3ProviderError } from './s3-error.js';

export interface EvidenceObjectsOptions {
  client: S3Client;
  bucket: string;
  /** FIREBREAK_EVIDENCE_PREFIX: the only prefix the responder role may write. */
  prefix: string;
  sleep: Sleep;
  callAttempts?: number;
}

/**
 * Evidence files in the kit's bucket (Object Lock), each written once: every put carries
 * `If-None-Match: *`, so a re-run that finds its file already there reports it as captured instead
 * of writing a second version, and nothing is ever overwritten. Retention is the bucket default.
 */
export class EvidenceObjects {
  constructor(private readonly o: EvidenceObjectsOptions) {}

  get location(): string {
    return `s3://${this.o.bucket}/`;
  }

  get prefix(): string {
    return this.o.prefix;
  }

  async putOnce(key: string, body: string): Promise<'written' | 'exists'> {
    if (!key.startsWith(this.o.prefix)) throw new ProviderError(`evidence key ${key} is outside the evidence prefix ${this.o.prefix}`, { provider: 'aws', operation: 's3:PutObject', retryable: false });
    try {
      await withProviderRetry(
        async () => {
          try {
            await this.o.client.send(new PutObjectCommand({ Bucket: this.o.bucket, Key: key, Body: Buffer.from(body, 'utf8'), ContentType: 'application/json', IfNoneMatch: '*' }));
          } catch (error) {
            throw s3ProviderError('evidence', 'PutObject', this.o.bucket, error);
          }
        },
        { attempts: this.o.callAttempts ?? 4, baseMs: 200, maxMs: 5_000, sleep: this.o.sleep },
      );
      return 'written';
    } catch (error) {
      // 412: an earlier run wrote this key. 409: a concurrent conditional put on it is in flight.
      if (error instanceof ProviderError && (error.status === 412 || error.status === 409)) return 'exists';
      throw error;
    }
  }
}
