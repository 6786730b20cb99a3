import { Lists } from 'cloudflare/resources/rules/lists/lists';
import { Rulesets } from 'cloudflare/resources/rulesets/rulesets';
import { createClient } from 'cloudflare/tree-shakable';
import { InputError } from '../core/errors.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, nonEmpty, type ClientOptions, type Env } from './clients.js';
import type { CloudflareListsClient } from '../providers/cloudflare/ip-list.js';
import type { CloudflareRulesetsClient } from '../providers/cloudflare/edge-rules.js';
import { ENV } from './env.js';

// Apart from clients.ts so that only the bundles that talk to Cloudflare load its SDK (see clients.ts).

/**
 * The official Cloudflare SDK with CLOUDFLARE_API_TOKEN, pointed at CLOUDFLARE_BASE_URL when set.
 * Its tree-shakable client with only the resources firebreak calls (account lists, with their items
 * and bulk operations): `new Cloudflare()` registers every resource of the API, ~650 KB of bundle
 * that each run of block-ips would compile before its first request.
 */
export function cloudflareClient(env: Env, opts: ClientOptions & { maxRetries?: number } = {}): CloudflareListsClient {
  const apiToken = nonEmpty(env[ENV.cloudflareToken]);
  if (!apiToken) {
    throw new InputError(`no Cloudflare token: set ${ENV.cloudflareToken}`, { field: ENV.cloudflareToken, code: 'CLOUDFLARE_TOKEN_MISSING' });
  }
  const baseURL = nonEmpty(env[ENV.cloudflareBaseUrl]);
  return createClient({
    resources: [Lists],
    apiToken,
    // An explicit null stops the SDK from falling back to process.env.CLOUDFLARE_BASE_URL behind our back.
    baseURL: baseURL ?? null,
    // The SDK also reads CLOUDFLARE_API_KEY/EMAIL from process.env; pin them off so only the token is used.
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    maxRetries: opts.maxRetries ?? 0,
    timeout: opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  });
}

/** The same client with zone rulesets only (route kill-switch and rate-limiting rules). */
export function cloudflareRulesetsClient(env: Env, opts: ClientOptions & { maxRetries?: number } = {}): CloudflareRulesetsClient {
  const apiToken = nonEmpty(env[ENV.cloudflareToken]);
  if (!apiToken) {
    throw new InputError(`no Cloudflare token: set ${ENV.cloudflareToken}`, { field: ENV.cloudflareToken, code: 'CLOUDFLARE_TOKEN_MISSING' });
  }
  const baseURL = nonEmpty(env[ENV.cloudflareBaseUrl]);
  return createClient({
    resources: [Rulesets],
    apiToken,
    baseURL: baseURL ?? null,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    maxRetries: opts.maxRetries ?? 0,
    timeout: opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  });
}
