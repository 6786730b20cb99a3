import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault, FaultScript, type RequestRecord } from '../faults.js';
import { Builders } from './builders.js';
import { DOCS, HANDLERS, HttpError, type HandlerResult } from './handlers.js';
import { GIT_HANDLERS } from './handlers-git.js';
import { GitHubSpec, type SpecOperation } from './spec.js';
import { GitHubState } from './state.js';

/**
 * A stateful, in-process GitHub REST API for tests and drills. `@octokit/rest` reaches it through
 * `baseUrl`. Every request and every response is checked against the committed subset of GitHub's
 * OpenAPI description (openapi-subset.json):
 *
 * - a method + path outside the subset → 404 "emulator: no such endpoint in the spec subset";
 * - a request that breaks the spec (missing `encrypted_value`, wrong enum, bad query type) → 422;
 * - a response the emulator itself produces that breaks the spec → 500, and `stop()` rejects, so the
 *   emulator cannot drift from GitHub without a test failing.
 *
 * All three are recorded in `violations`. Faults (FaultScript) apply before anything else.
 */

export interface GitHubEmulatorOptions {
  owner?: string;
  repo?: string;
  token?: string;
  /** Login of the token's identity (the App bot); author of issues and comments. */
  actor?: string;
  defaultBranch?: string;
  /** Workflows that exist in the repository (`.github/workflows/x.yml`). */
  workflows?: { path: string; name?: string }[];
  /** Environments created up front (each with its own secret keypair). */
  environments?: string[];
  now?: () => Date;
}

export type ViolationKind = 'unknown-endpoint' | 'request' | 'response';

export interface Violation {
  kind: ViolationKind;
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  errors: string[];
}

export interface GitHubRequestRecord extends RequestRecord {
  operationId: string | undefined;
}

export interface GitHubEmulator {
  baseUrl: string;
  token: string;
  owner: string;
  repo: string;
  state: GitHubState;
  faults: FaultScript;
  requests: GitHubRequestRecord[];
  violations: Violation[];
  /** GITHUB_API_URL, FIREBREAK_GITHUB_TOKEN, GITHUB_TOKEN, GITHUB_REPOSITORY for `githubClient(env)`. */
  env(): Record<string, string>;
  /** Throws listing every violation; call in afterEach / at the end of a drill. */
  assertNoViolations(): void;
  /** Returns and clears the violations (for tests that provoke them on purpose). */
  takeViolations(): Violation[];
  /** Back to the seeded repository; clears faults, requests and violations. */
  reset(): void;
  /** Closes the server. Rejects when the emulator produced a response that breaks the spec. */
  stop(): Promise<void>;
}

export class EmulatorDriftError extends Error {
  readonly code = 'github-emulator-drift';
  constructor(readonly violations: Violation[]) {
    super(`GitHub emulator produced responses that break the OpenAPI subset:\n${violations.map(describeViolation).join('\n')}`);
    this.name = 'EmulatorDriftError';
  }
}

export class ViolationsError extends Error {
  readonly code = 'github-emulator-violations';
  constructor(readonly violations: Violation[]) {
    super(`GitHub emulator saw ${violations.length} spec violation(s):\n${violations.map(describeViolation).join('\n')}`);
    this.name = 'ViolationsError';
  }
}

function describeViolation(v: Violation): string {
  return `  [${v.kind}] ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ''} → ${v.status}: ${v.errors.join('; ')}`;
}

let sharedSpec: GitHubSpec | undefined;
/** Compiled validators are cached on the spec; share it across emulators in one process. */
function spec(): GitHubSpec {
  sharedSpec ??= GitHubSpec.load();
  return sharedSpec;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export async function startGitHubEmulator(opts: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  const owner = opts.owner ?? 'acme';
  const repo = opts.repo ?? 'shop';
  const token = opts.token ?? 'ghs_emulator_token';
  const state = await GitHubState.create({
    owner,
    repo,
    actor: opts.actor ?? 'firebreak-bot[bot]',
    defaultBranch: opts.defaultBranch ?? 'main',
    workflows: opts.workflows ?? [],
    environments: opts.environments ?? [],
    ...(opts.now ? { now: opts.now } : {}),
  });
  const faults = new FaultScript();
  const requests: GitHubRequestRecord[] = [];
  const violations: Violation[] = [];
  const gh = spec();
  let baseUrl = '';
  let build: Builders;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    const record: GitHubRequestRecord = { method, path, target: undefined, status: 0, faulted: false, operationId: undefined };
    requests.push(record);
    const { handled, faulted } = await applyFault(faults, req, res);
    record.faulted = faulted;
    if (handled) {
      record.status = res.statusCode;
      return;
    }
    const match = gh.match(method, path);
    record.operationId = match?.op.operationId;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}, op?: SpecOperation) => {
      let out = status;
      let payload = body;
      if (op) {
        const check = gh.checkResponse(op, status, body);
        if (check.errors.length > 0) {
          violations.push({ kind: 'response', method, path, operationId: op.operationId, status, errors: check.errors });
          out = 500;
          payload = { message: `emulator: response for ${op.operationId} breaks the spec: ${check.errors.join('; ')}`, documentation_url: DOCS };
        }
      }
      record.status = out;
      const text = payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(out, {
        ...(payload === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        'x-github-request-id': `EMU:${requests.length}`,
        'x-github-media-type': 'github.v3; format=json',
        ...headers,
      });
      res.end(text);
    };

    if (!match) {
      req.resume();
      const errors = [`${method} ${path} is not an operation in the spec subset`];
      violations.push({ kind: 'unknown-endpoint', method, path, operationId: undefined, status: 404, errors });
      send(404, { message: 'emulator: no such endpoint in the spec subset', documentation_url: DOCS, status: '404' });
      return;
    }
    const op = match.op;

    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!auth) {
      req.resume();
      send(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' }, {}, op);
      return;
    }
    if (auth[1] !== token) {
      req.resume();
      send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' }, {}, op);
      return;
    }

    let raw: string;
    try {
      raw = await readBody(req);
    } catch (error) {
      send(413, { message: (error as Error).message, documentation_url: DOCS, status: '413' }, {}, op);
      return;
    }
    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        violations.push({ kind: 'request', method, path, operationId: op.operationId, status: 400, errors: ['body is not JSON'] });
        send(400, { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' }, {}, op);
        return;
      }
    }

    // Repository paths name the one repository; organisation paths (`{org}`) are checked by their handlers.
    if ((match.params.owner !== undefined || match.params.repo !== undefined) && (String(match.params.owner).toLowerCase() !== owner.toLowerCase() || String(match.params.repo).toLowerCase() !== repo.toLowerCase())) {
      send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' }, {}, op);
      return;
    }

    const checked = gh.checkRequest(op, match.params, url.searchParams, body);
    if (checked.errors.length > 0) {
      violations.push({ kind: 'request', method, path, operationId: op.operationId, status: 422, errors: checked.errors });
      send(422, { message: `Invalid request.\n\n${checked.errors.join('\n')}`, documentation_url: DOCS, status: '422' }, {}, op);
      return;
    }

    const handler = HANDLERS[op.operationId] ?? GIT_HANDLERS[op.operationId];
    if (!handler) {
      const errors = [`no handler for ${op.operationId}`];
      violations.push({ kind: 'unknown-endpoint', method, path, operationId: op.operationId, status: 404, errors });
      send(404, { message: 'emulator: no such endpoint in the spec subset', documentation_url: DOCS, status: '404' });
      return;
    }
    let result: HandlerResult;
    try {
      result = handler({ params: checked.params, query: checked.query, body, state, build, url });
    } catch (error) {
      if (error instanceof HttpError) {
        send(error.status, error.toBody(), {}, op);
        return;
      }
      violations.push({ kind: 'response', method, path, operationId: op.operationId, status: 500, errors: [`handler threw: ${(error as Error).stack ?? String(error)}`] });
      send(500, { message: `emulator: handler for ${op.operationId} crashed: ${(error as Error).message}`, documentation_url: DOCS, status: '500' });
      return;
    }
    send(result.status, result.body, result.headers ?? {}, op);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `emulator: ${(error as Error).message}` }));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  build = new Builders(gh, state, baseUrl);
  let stopped = false;

  return {
    baseUrl,
    token,
    owner,
    repo,
    state,
    faults,
    requests,
    violations,
    env: () => ({
      GITHUB_API_URL: baseUrl,
      FIREBREAK_GITHUB_TOKEN: token,
      GITHUB_TOKEN: token,
      GITHUB_REPOSITORY: `${owner}/${repo}`,
    }),
    assertNoViolations() {
      if (violations.length > 0) throw new ViolationsError([...violations]);
    },
    takeViolations() {
      return violations.splice(0, violations.length);
    },
    reset() {
      state.reset();
      faults.clear();
      requests.length = 0;
      violations.length = 0;
    },
    async stop() {
      if (!stopped) {
        stopped = true;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      const drift = violations.filter((v) => v.kind === 'response');
      if (drift.length > 0) throw new EmulatorDriftError(drift);
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
