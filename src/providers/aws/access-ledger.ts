import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { principalKey, type AccessRecord, type RestoreMark } from '../../core/access/revocation.js';
import { ProviderError } from '../../core/errors.js';
import type { AccessLedger } from '../../core/ports/access.js';
import { withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import { s3ProviderError } from './s3-error.js';

/**
 * The access ledger in the kit's evidence bucket, beside the block ledger:
 *
 *   <prefix><principal-hash>/records/<record-id>.json    one per principal and revocation
 *   <prefix><principal-hash>/restored/<record-id>.json   the restore mark (who, when, why)
 *
 * A record is written before the revocation changes anything and rewritten with each change's
 * outcome after; restore marks are new objects, so records stay as evidence of what was revoked.
 */
export interface S3AccessLedgerOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  sleep: Sleep;
  random?: () => number;
  callAttempts?: number;
}

export class S3AccessLedger implements AccessLedger {
  constructor(private readonly opts: S3AccessLedgerOptions) {}

  get location(): string {
    return `s3://${this.opts.bucket}/${this.opts.prefix}`;
  }

  private folder(principal: string): string {
    return `${this.opts.prefix}${principalKey(principal)}/`;
  }

  async get(principal: string, id: string): Promise<{ record: AccessRecord; restored: boolean } | undefined> {
    // Listed, not read blindly: a GetObject of a missing key is a 403 without s3:ListBucket, and the
    // listing says whether the record was restored in the same call.
    const { records, restored } = await this.list(principal);
    if (!records.includes(id)) return undefined;
    const record = await this.read(`${this.folder(principal)}records/${id}.json`);
    return record ? { record, restored: restored.has(id) } : undefined;
  }

  async put(record: AccessRecord): Promise<void> {
    await this.write(`${this.folder(record.principal)}records/${record.id}.json`, record);
  }

  async open(principal: string): Promise<AccessRecord[]> {
    const { records, restored } = await this.list(principal);
    const out: AccessRecord[] = [];
    for (const id of records.filter((r) => !restored.has(r))) {
      const r = await this.read(`${this.folder(principal)}records/${id}.json`);
      // The folder is a hash of the principal: check the record really is this principal's.
      if (r && r.principal.toLowerCase() === principal.toLowerCase()) out.push(r);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  private async list(principal: string): Promise<{ records: string[]; restored: Set<string> }> {
    const folder = this.folder(principal);
    const records: string[] = [];
    const restored = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', () => this.opts.client.send(new ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: folder, ...(token ? { ContinuationToken: token } : {}) })));
      for (const o of page.Contents ?? []) {
        const m = /^(records|restored)\/([0-9a-f]{32})\.json$/.exec(o.Key?.slice(folder.length) ?? '');
        if (!m) continue;
        if (m[1] === 'records') records.push(m[2]!);
        else restored.add(m[2]!);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { records, restored };
  }

  async restored(principal: string): Promise<RestoreMark[]> {
    const { restored } = await this.list(principal);
    const marks: RestoreMark[] = [];
    for (const id of restored) {
      const m = await this.read<RestoreMark>(`${this.folder(principal)}restored/${id}.json`);
      if (m) marks.push(m);
    }
    return marks.sort((a, b) => a.restoredAt.localeCompare(b.restoredAt));
  }

  async markRestored(principal: string, mark: RestoreMark): Promise<void> {
    await this.write(`${this.folder(principal)}restored/${mark.id}.json`, mark);
  }

  private async read<T = AccessRecord>(key: string): Promise<T | undefined> {
    let text: string;
    try {
      const out = await this.call('GetObject', () => this.opts.client.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key })));
      text = (await out.Body?.transformToString('utf8')) ?? '';
    } catch (e) {
      if (e instanceof ProviderError && e.status === 404) return undefined;
      throw e;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(`access ledger object ${key} is not JSON`, { provider: 'aws', operation: 's3:GetObject', retryable: false, code: 'LEDGER_CORRUPT' });
    }
  }

  private async write(key: string, value: unknown): Promise<void> {
    await this.call('PutObject', () =>
      this.opts.client.send(new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: Buffer.from(JSON.stringify(value), 'utf8'), ContentType: 'application/json' })),
    );
  }

  private call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw s3ProviderError('access ledger', operation, this.opts.bucket, error);
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
