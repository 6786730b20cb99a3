import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
import { ProviderError } from '../../core/errors.js';
import type { AwsIdentityPort, CallerIdentity } from '../../core/ports/aws-identity.js';
import { isRetryableStatus, withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/** STS GetCallerIdentity needs no IAM permission, so it answers even for a role allowed nothing else. */
export class StsIdentity implements AwsIdentityPort {
  constructor(
    private readonly client: STSClient,
    private readonly sleep: Sleep,
  ) {}

  static fromConfig(config: STSClientConfig, sleep: Sleep): StsIdentity {
    // Our own retry decides what is transient; the SDK's would double the attempts.
    return new StsIdentity(new STSClient({ ...config, maxAttempts: 1 }), sleep);
  }

  async whoAmI(): Promise<CallerIdentity> {
    const out = await withRetry(
      async () => {
        try {
          return await this.client.send(new GetCallerIdentityCommand({}));
        } catch (error) {
          throw toProviderError(error);
        }
      },
      { attempts: 4, baseMs: 200, maxMs: 2_000, sleep: this.sleep, retryOn: (e) => e instanceof ProviderError && e.retryable },
    );
    if (!out.Account || !out.Arn) {
      throw new ProviderError('STS GetCallerIdentity returned no account or ARN', { provider: 'aws', operation: 'sts:GetCallerIdentity', retryable: false });
    }
    return { account: out.Account, arn: out.Arn, userId: out.UserId ?? '' };
  }
}

const CREDENTIAL_ERRORS = new Set(['CredentialsProviderError', 'ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'AccessDenied', 'UnrecognizedClientException']);

function toProviderError(error: unknown): ProviderError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name ?? 'Error';
  const credentials = CREDENTIAL_ERRORS.has(name);
  const network = status === undefined && !credentials;
  return new ProviderError(`sts:GetCallerIdentity failed: ${name}: ${e?.message ?? String(error)}`, {
    provider: 'aws',
    operation: 'sts:GetCallerIdentity',
    ...(status === undefined ? {} : { status }),
    retryable: !credentials && (network || isRetryableStatus(status) || e?.$retryable !== undefined || name === 'Throttling'),
    code: credentials ? 'AWS_CREDENTIALS' : 'PROVIDER_ERROR',
    hint: credentials
      ? 'No usable AWS credentials: in a workflow, check the configure-aws-credentials step, the id-token: write permission and the role trust policy (sub = repo:ORG/REPO:environment:ENV).'
      : 'STS did not answer; the call is read-only and safe to re-run.',
    cause: error,
  });
}
