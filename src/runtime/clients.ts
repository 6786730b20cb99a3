import { InputError } from '../core/errors.js';
import { ENV } from './env.js';

/**
 * Client builders for entry points (actions, CLI, drill). The SDK-bound ones are in
 * github-client.ts and cloudflare-client.ts, and this module imports no SDK: every bundle that
 * reaches it (all actions, the CLI) loads what it imports, since esbuild keeps or drops an import
 * for all entries of the one build at once. The Cloudflare SDK (650 KB) serves only the IP-block
 * steps, and Octokit (100 KB) only the code that talks to GitHub.
 * Each reads only the variables named in `env.ts`, from the `env` object it is given (never
 * `process.env` directly), so a test can point a real client at an emulator by passing the
 * emulator's `env()`.
 *
 * Retry policy: SDK-level retries are OFF by default (AWS `maxAttempts: 1`, Cloudflare
 * `maxRetries: 0`, Octokit without the retry plugin). Providers wrap each call in `withRetry`
 * (src/core/retry.ts) with a predicate naming the transient failure, so there is one policy, it is
 * visible in tests (injected sleep), and retries never multiply (SDK 3 × ours 5 = 15 calls during an
 * outage, each counting against the provider's rate limit). Callers that really want the SDK's own
 * retries can pass `maxAttempts` / `maxRetries`.
 *
 * Providers' own back-off signals are honoured by that one policy, not by SDK timers: Cloudflare's
 * `Retry-After` (seconds or HTTP-date) and GitHub's rate limits (403/429 with `retry-after`, or
 * `x-ratelimit-remaining: 0` + `x-ratelimit-reset`; the same rules as @octokit/plugin-throttling,
 * without its real-time timers) become `ProviderError.retryAfterMs`, and `withRetry` waits exactly
 * that long through the injected sleep, within a total budget per call; a wait that does not fit
 * fails fast with RETRY_LATER saying when to retry. AWS sends no such hint: its calls keep their
 * backoff, capped by the same budget.
 *
 * Timeouts are always set: a hung connection must fail the step, not the runner's 6-hour job limit.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export interface ClientOptions {
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
  /**
   * An SDK request handler shared by many clients (a fleet run: one connection pool for every
   * target, instead of new sockets and TLS handshakes per account and region). Its owner destroys it.
   */
  sharedRequestHandler?: AwsSharedRequestHandler | undefined;
}

/** An AWS SDK v3 request handler instance (`client.config.requestHandler`). */
export type AwsSharedRequestHandler = { handle: (...args: never[]) => unknown };

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_AWS_REGION = 'us-east-1';

export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean } | AwsSharedRequestHandler;
}

/**
 * Shared config for every AWS SDK v3 client: `new WAFV2Client(awsClientConfig(env))`.
 * `AWS_ENDPOINT_URL` (moto in tests and drills) overrides every service's endpoint. Credentials are
 * taken from `env` when it carries them (tests pass moto's dummy keys); otherwise the SDK's default
 * chain applies (OIDC-assumed role in Actions, profile on a laptop).
 */
export function awsClientConfig(env: Env, opts: ClientOptions & { maxAttempts?: number } = {}): AwsClientConfig {
  const endpoint = nonEmpty(env[ENV.awsEndpoint]);
  const accessKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN);
  const timeout = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return {
    region: nonEmpty(env[ENV.awsRegion]) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? DEFAULT_AWS_REGION,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: opts.maxAttempts ?? 1,
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
    requestHandler: opts.sharedRequestHandler ?? {
      requestTimeout: timeout,
      connectionTimeout: Math.min(DEFAULT_CONNECT_TIMEOUT_MS, timeout),
      throwOnRequestTimeout: true,
    },
  };
}

/** The token used for GitHub writes: the App token when given, else the workflow's GITHUB_TOKEN. */
export function githubToken(env: Env): string {
  const token = nonEmpty(env[ENV.githubToken]) ?? nonEmpty(env[ENV.githubDefaultToken]);
  if (!token) {
    throw new InputError(`no GitHub token: set ${ENV.githubToken} (a GitHub App token) or ${ENV.githubDefaultToken}`, {
      field: ENV.githubToken,
      code: 'GITHUB_TOKEN_MISSING',
      hint: 'Secrets and variables need an App installation token; GITHUB_TOKEN only covers issues and deployments.',
    });
  }
  return token;
}

/** `owner/repo` from GITHUB_REPOSITORY (set by the runner). */
export function githubRepository(env: Env): { owner: string; repo: string } {
  const value = nonEmpty(env[ENV.githubRepository]);
  const match = value ? /^([^/\s]+)\/([^/\s]+)$/.exec(value) : null;
  if (!match?.[1] || !match[2]) {
    throw new InputError(`${ENV.githubRepository} must be "owner/repo", got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, {
      field: ENV.githubRepository,
      code: 'GITHUB_REPOSITORY_INVALID',
    });
  }
  return { owner: match[1], repo: match[2] };
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
