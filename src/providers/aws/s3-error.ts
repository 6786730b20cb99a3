import { ProviderError } from '../../core/errors.js';
import { isRetryableStatus } from '../../core/retry.js';
import { clipText } from '../../core/redact.js';

/**
 * An S3 SDK failure as the ProviderError a responder reads: what (`block ledger`, `evidence
 * bucket`), which call, which bucket, the HTTP status, and the provider's message cut (and marked)
 * so a long echo cannot flood a log; whether a re-run may succeed follows from the status.
 */
export function s3ProviderError(what: string, operation: string, bucket: string, error: unknown): ProviderError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return new ProviderError(`${what} s3:${operation} on ${bucket} failed: ${status ? `HTTP ${status} ` : ''}${e?.name ?? 'Error'}: ${clipText(e?.message ?? '', 200)}`, {
    provider: 'aws',
    operation: `s3:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable: isRetryableStatus(status),
    cause: error,
  });
}
