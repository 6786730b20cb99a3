import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { awsClientConfig, githubRepository } from './clients.js';
import { cloudflareClient } from './cloudflare-client.js';
import { githubClient } from './github-client.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

describe('client builders', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let status = 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      if (req.url?.includes('/hang')) return; // never answers: exercises the timeout
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ success: status < 400, errors: [], messages: [], result: { id: 'z1' }, full_name: 'o/r', message: 'x' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('awsClientConfig points at AWS_ENDPOINT_URL with explicit credentials and no SDK retries', () => {
    const config = awsClientConfig({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'k',
      AWS_SECRET_ACCESS_KEY: 's',
    });
    expect(config).toMatchObject({
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:5000',
      maxAttempts: 1,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
      requestHandler: { requestTimeout: 30_000, throwOnRequestTimeout: true },
    });
  });

  it('awsClientConfig falls back to the default chain, region and endpoint', () => {
    const config = awsClientConfig({ AWS_ENDPOINT_URL: '' }, { maxAttempts: 3, timeoutMs: 2000 });
    expect(config.region).toBe('us-east-1');
    expect(config.endpoint).toBeUndefined();
    expect(config.credentials).toBeUndefined();
    expect(config.maxAttempts).toBe(3);
    expect(config.requestHandler).toMatchObject({ requestTimeout: 2000, connectionTimeout: 2000 });
  });

  it('githubClient sends the firebreak token to GITHUB_API_URL, preferring FIREBREAK_GITHUB_TOKEN', async () => {
    seen.length = 0;
    const octokit = githubClient({ GITHUB_API_URL: `${base}/`, FIREBREAK_GITHUB_TOKEN: 'app-token', GITHUB_TOKEN: 'wf-token' });
    const { data } = await octokit.rest.repos.get({ owner: 'o', repo: 'r' });
    expect(data.full_name).toBe('o/r');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/repos/o/r' });
    expect(seen[0]?.headers.authorization).toBe('token app-token');
    expect(seen[0]?.headers['user-agent']).toMatch(/^firebreak/);
    const fallback = githubClient({ GITHUB_API_URL: base, GITHUB_TOKEN: 'wf-token' });
    await fallback.rest.repos.get({ owner: 'o', repo: 'r' });
    expect(seen[1]?.headers.authorization).toBe('token wf-token');
  });

  it('githubClient fails fast without a token and times out a hung request', async () => {
    expect(() => githubClient({ GITHUB_API_URL: base })).toThrow(InputError);
    const octokit = githubClient({ GITHUB_API_URL: base, GITHUB_TOKEN: 't' }, { timeoutMs: 200 });
    await expect(octokit.request('GET /hang')).rejects.toThrow();
  });

  it('githubRepository parses owner/repo and rejects anything else', () => {
    expect(githubRepository({ GITHUB_REPOSITORY: 'acme/shop' })).toEqual({ owner: 'acme', repo: 'shop' });
    expect(() => githubRepository({ GITHUB_REPOSITORY: 'acme' })).toThrow(/owner\/repo/);
    expect(() => githubRepository({})).toThrow(InputError);
  });

  it('cloudflareClient uses the bearer token and base URL without SDK retries', async () => {
    seen.length = 0;
    status = 503;
    const cf = cloudflareClient({ CLOUDFLARE_API_TOKEN: 'cf-token', CLOUDFLARE_BASE_URL: base });
    await expect(cf.rules.lists.get('l1', { account_id: 'a1' })).rejects.toThrow();
    status = 200;
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('/accounts/a1/rules/lists/l1');
    expect(seen[0]?.headers.authorization).toBe('Bearer cf-token');
    expect(() => cloudflareClient({ CLOUDFLARE_BASE_URL: base })).toThrow(/CLOUDFLARE_API_TOKEN/);
  });
});
