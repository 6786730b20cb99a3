/**
 * The cold-start benchmark's floor under the preflight action: the AWS SDK alone, bundled like
 * the actions (scripts/build.mjs's options), sending the same first request with a client built
 * the way src/runtime/clients.ts builds it. No firebreak code: what this costs above `node -e 0`
 * is what any action that calls AWS through SDK v3 pays before its first request.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const env = process.env;
const client = new STSClient({
  region: env.AWS_REGION ?? 'us-east-1',
  ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
  maxAttempts: 1,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
  requestHandler: { requestTimeout: 30_000, connectionTimeout: 5_000, throwOnRequestTimeout: true },
});
await client.send(new GetCallerIdentityCommand({}));
