import { Octokit } from '@octokit/rest';
import { DEFAULT_GITHUB_API_URL, DEFAULT_REQUEST_TIMEOUT_MS, githubToken, nonEmpty, type ClientOptions, type Env } from './clients.js';
import { ENV } from './env.js';

// Apart from clients.ts so that only the code that talks to GitHub loads Octokit (see clients.ts).

/** Octokit against GITHUB_API_URL (the runner sets it; the emulator's URL in tests). */
export function githubClient(env: Env, opts: ClientOptions = {}): Octokit {
  const timeout = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return new Octokit({
    auth: githubToken(env),
    baseUrl: (nonEmpty(env[ENV.githubApiUrl]) ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'firebreak',
    // Octokit logs every failed request to the console; entry points own output and turn the thrown
    // RequestError into a typed error, so keep only warnings (API deprecations).
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
    request: { fetch: fetchWithTimeout(timeout) },
  });
}

function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(input, { ...init, signal });
  };
}
