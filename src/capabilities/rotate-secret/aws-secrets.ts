import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
  type SecretVersionsListEntry,
} from '@aws-sdk/client-secrets-manager';
import { InputError, ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import type { SecretDescription, SecretStore, SecretValue } from './ports.js';
import type { ValuePolicy } from './value-policy.js';

/**
 * Secrets Manager as a SecretStore, over the AWS SDK v3 with the SDK's own retries off: every call
 * goes through `withProviderRetry` (throttling, 5xx, timeouts), so attempt counts in reports are real.
 *
 * No value ever goes into an error message from here: Secrets Manager's own messages name the secret
 * and version, not the value, and we never append request parameters.
 */
export interface AwsSecretsOptions {
  client: SecretsManagerClient;
  /** The account the target's scope names: a secret found in another account is refused. */
  expectedAccount?: string | undefined;
  sleep: Sleep;
  random?: () => number;
  callAttempts?: number;
  onRetry?: (message: string) => void;
}

const TRANSIENT = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'InternalServiceError', 'InternalServiceErrorException', 'TimeoutError', 'RequestTimeout']);

export class AwsSecrets implements SecretStore {
  readonly kind = 'aws:secret';

  constructor(private readonly opts: AwsSecretsOptions) {}

  async describe(secretId: string): Promise<SecretDescription> {
    const d = await this.call(secretId, 'DescribeSecret', () => this.opts.client.send(new DescribeSecretCommand({ SecretId: secretId })));
    if (d.DeletedDate) {
      throw new InputError(`secret ${secretId} is scheduled for deletion`, { field: 'target', code: 'SECRET_DELETED', hint: 'Restore it (RestoreSecret) first, or rotate the secret that replaced it.' });
    }
    const arn = d.ARN ?? secretId;
    const account = /^arn:[\w-]+:secretsmanager:[\w-]+:(\d{12}):/.exec(arn)?.[1];
    if (this.opts.expectedAccount && account !== this.opts.expectedAccount) {
      throw new InputError(`secret ${secretId} is in account ${account ?? 'unknown'}, not ${this.opts.expectedAccount} as the target's scope says`, {
        field: 'target',
        code: 'TARGET_SCOPE_MISMATCH',
        hint: 'Run with credentials for the account in the scope, or fix the @account part of the target.',
      });
    }
    // ListSecretVersionIds is the authority on stages; DescribeSecret's map is a summary.
    const versions: SecretVersionsListEntry[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(secretId, 'ListSecretVersionIds', () =>
        this.opts.client.send(new ListSecretVersionIdsCommand({ SecretId: arn, ...(token ? { NextToken: token } : {}), MaxResults: 100 })),
      );
      versions.push(...(page.Versions ?? []));
      token = page.NextToken;
    } while (token);
    return {
      id: arn,
      name: d.Name ?? secretId,
      versions: versions.filter((v) => v.VersionId).map((v) => ({ id: v.VersionId!, stages: [...(v.VersionStages ?? [])] })),
    };
  }

  async readStage(secretId: string, stage: string): Promise<SecretValue> {
    const out = await this.call(secretId, 'GetSecretValue', () => this.opts.client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage })));
    if (out.SecretString === undefined) {
      throw new InputError(`secret ${secretId} holds binary data (SecretBinary); rotate-secret rotates text secrets`, { field: 'target', code: 'SECRET_BINARY' });
    }
    return { versionId: out.VersionId ?? '', text: out.SecretString };
  }

  async stage(secretId: string, versionId: string, text: string): Promise<void> {
    await this.call(secretId, 'PutSecretValue', () =>
      this.opts.client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: versionId, SecretString: text, VersionStages: ['AWSPENDING'] })),
    );
  }

  async moveLabel(secretId: string, label: string, toVersionId: string, fromVersionId: string | undefined): Promise<void> {
    await this.call(secretId, 'UpdateSecretVersionStage', () =>
      this.opts.client.send(
        new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: label, MoveToVersionId: toVersionId, ...(fromVersionId ? { RemoveFromVersionId: fromVersionId } : {}) }),
      ),
    );
  }

  async removeLabel(secretId: string, label: string, versionId: string): Promise<void> {
    await this.call(secretId, 'UpdateSecretVersionStage', () =>
      this.opts.client.send(new UpdateSecretVersionStageCommand({ SecretId: secretId, VersionStage: label, RemoveFromVersionId: versionId })),
    );
  }

  async randomValue(policy: ValuePolicy): Promise<string> {
    const out = await this.call('GetRandomPassword', 'GetRandomPassword', () =>
      this.opts.client.send(
        new GetRandomPasswordCommand({
          PasswordLength: policy.length,
          ...(policy.excludeCharacters ? { ExcludeCharacters: policy.excludeCharacters } : {}),
          ...(policy.excludePunctuation ? { ExcludePunctuation: true } : {}),
        }),
      ),
    );
    if (!out.RandomPassword || out.RandomPassword.length !== policy.length) {
      throw new ProviderError(`GetRandomPassword returned a value of the wrong length`, { provider: 'aws', operation: 'secretsmanager:GetRandomPassword', retryable: false });
    }
    return out.RandomPassword;
  }

  private call<T>(secretId: string, operation: string, fn: () => Promise<T>): Promise<T> {
    return withProviderRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw toProviderError(secretId, operation, error);
        }
      },
      {
        attempts: this.opts.callAttempts ?? 4,
        baseMs: 200,
        maxMs: 2_000,
        sleep: this.opts.sleep,
        ...(this.opts.random ? { random: this.opts.random } : {}),
        onRetry: ({ attempt, error }) => this.opts.onRetry?.(`${secretId}: ${operation} attempt ${attempt} failed (${(error as Error).message}); retrying`),
      },
    );
  }
}

function toProviderError(secretId: string, operation: string, error: unknown): Error {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  if (name === 'ResourceNotFoundException' && operation !== 'UpdateSecretVersionStage') {
    return new InputError(`secret ${secretId} does not exist (or this role may not see it)`, {
      field: 'target',
      code: 'SECRET_NOT_FOUND',
      hint: 'Check the name or ARN and the @account/region scope; the responder role only sees secrets carrying the kit tag.',
    });
  }
  if (name === 'AccessDeniedException') {
    return new ProviderError(`${operation} on ${secretId} was denied`, {
      provider: 'aws',
      operation: `secretsmanager:${operation}`,
      ...(status === undefined ? {} : { status }),
      retryable: false,
      code: 'PROVIDER_DENIED',
      hint: 'The responder role grants rotate-secret only on secrets tagged with the kit tag (infra: rotatableSecretTag). Tag the secret or use another role.',
    });
  }
  const retryable = TRANSIENT.has(name) || (status === undefined ? !name.endsWith('Exception') : isRetryableStatus(status) && status !== 400);
  const what = status === undefined ? name : `HTTP ${status} ${name}`;
  return new ProviderError(`${secretId}: ${operation} failed: ${what}: ${clipText(e?.message ?? String(error), 300)}`, {
    provider: 'aws',
    operation: `secretsmanager:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable,
    cause: error,
  });
}

