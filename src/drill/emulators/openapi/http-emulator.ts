import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault, FaultScript, type RequestRecord } from '../faults.js';
import { GitHubSpec, type SpecOperation } from '../github/spec.js';

/**
 * The HTTP shell the Vault and Atlas emulators share: route by the committed OpenAPI subset, check
 * the request against it (unknown endpoint 404, bad request 400/422), run the provider's handler,
 * check the handler's response against it (a drift answers 500 and makes `stop()` reject). The
 * provider decides the auth check, the error envelope and how a response body maps to the schema
 * (Vault's schemas describe the `data` member of its envelope).
 */

export interface SpecViolation {
  kind: 'unknown-endpoint' | 'request' | 'response';
  method: string;
  path: string;
  operationId: string | undefined;
  errors: string[];
}

export interface EmulatorRequestRecord extends RequestRecord {
  operationId: string | undefined;
  /** The parsed JSON body the client sent (emulator-side only: tests read what was written). */
  body?: unknown;
}

export interface HandlerInput<S> {
  op: SpecOperation;
  params: Record<string, unknown>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingMessage['headers'];
  state: S;
}

export interface HandlerOutput {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class EmulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export interface ProviderShape<S> {
  name: string;
  spec: GitHubSpec;
  /** URL prefix stripped before routing (`/v1` for Vault). */
  prefix: string;
  state: S;
  handlers: Record<string, (input: HandlerInput<S>) => HandlerOutput | Promise<HandlerOutput>>;
  /** Returns an error response when the request is not authorised, else undefined. */
  authorise(req: IncomingMessage, op: SpecOperation, state: S): HandlerOutput | undefined;
  /** The provider's error envelope. */
  error(status: number, message: string): unknown;
  /** The part of a response body the spec's schema describes. */
  schemaBody(op: SpecOperation, status: number, body: unknown): unknown;
  /** Routes outside the spec the provider serves (Atlas's OAuth token endpoint). */
  extraRoutes?: Record<string, (req: IncomingMessage, raw: string, state: S) => HandlerOutput>;
  /** A declared response without a schema leaves the body unchecked (Vault), instead of requiring none. */
  undescribedResponsesMayHaveBody?: boolean;
  /** Checks beyond the schema, e.g. Atlas's versioned Accept header. */
  preCheck?(req: IncomingMessage, op: SpecOperation): HandlerOutput | undefined;
}

export interface RunningEmulator<S> {
  baseUrl: string;
  state: S;
  faults: FaultScript;
  requests: EmulatorRequestRecord[];
  violations: SpecViolation[];
  takeViolations(): SpecViolation[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function loadSubset(url: URL, greedy?: readonly string[]): GitHubSpec {
  return new GitHubSpec(JSON.parse(readFileSync(url, 'utf8')) as GitHubSpec['raw'], greedy ? { greedy } : {});
}

export async function startHttpEmulator<S>(shape: ProviderShape<S>): Promise<RunningEmulator<S>> {
  const faults = new FaultScript();
  const requests: EmulatorRequestRecord[] = [];
  const violations: SpecViolation[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const record: EmulatorRequestRecord = { method, path: url.pathname, target: undefined, status: 0, faulted: false, operationId: undefined };
    requests.push(record);
    const { handled, faulted } = await applyFault(faults, req, res);
    record.faulted = faulted;
    if (handled) {
      record.status = res.statusCode;
      return;
    }
    const send = (out: HandlerOutput, op?: SpecOperation) => {
      let status = out.status;
      let body = out.body;
      const declared = op?.responses.get(String(status));
      // Vault's generated description declares many responses without a schema: "not described", not "no body".
      if (op && declared !== undefined && !(declared === null && shape.undescribedResponsesMayHaveBody)) {
        const check = shape.spec.checkResponse(op, status, shape.schemaBody(op, status, body));
        if (check.errors.length > 0) {
          violations.push({ kind: 'response', method, path: url.pathname, operationId: op.operationId, errors: check.errors });
          status = 500;
          body = shape.error(500, `emulator: response for ${op.operationId} breaks the spec: ${check.errors.join('; ')}`);
        }
      }
      record.status = status;
      res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...out.headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      send({ status: 413, body: shape.error(413, 'request body too large') });
      return;
    }
    const extra = shape.extraRoutes?.[`${method} ${url.pathname}`];
    if (extra) {
      send(extra(req, raw, shape.state));
      return;
    }
    const path = url.pathname.startsWith(shape.prefix) ? url.pathname.slice(shape.prefix.length) : url.pathname;
    const match = shape.spec.match(method, path);
    record.operationId = match?.op.operationId;
    if (!match || !shape.handlers[match.op.operationId]) {
      violations.push({ kind: 'unknown-endpoint', method, path: url.pathname, operationId: match?.op.operationId, errors: [`${method} ${path} is not an operation in the ${shape.name} spec subset`] });
      send({ status: 404, body: shape.error(404, `emulator: ${method} ${path} is not in the ${shape.name} spec subset`) });
      return;
    }
    const op = match.op;
    const denied = shape.authorise(req, op, shape.state);
    if (denied) {
      send(denied, op);
      return;
    }
    const pre = shape.preCheck?.(req, op);
    if (pre) {
      violations.push({ kind: 'request', method, path: url.pathname, operationId: op.operationId, errors: [`precondition: HTTP ${pre.status}`] });
      send(pre, op);
      return;
    }
    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        violations.push({ kind: 'request', method, path: url.pathname, operationId: op.operationId, errors: ['body is not JSON'] });
        send({ status: 400, body: shape.error(400, 'failed to parse JSON input') }, op);
        return;
      }
    }
    record.body = body;
    const checked = shape.spec.checkRequest(op, match.params, url.searchParams, body);
    if (checked.errors.length > 0) {
      violations.push({ kind: 'request', method, path: url.pathname, operationId: op.operationId, errors: checked.errors });
      send({ status: 400, body: shape.error(400, `request breaks the spec: ${checked.errors.join('; ')}`) }, op);
      return;
    }
    try {
      send(await shape.handlers[op.operationId]!({ op, params: checked.params, query: url.searchParams, body, headers: req.headers, state: shape.state }), op);
    } catch (error) {
      if (error instanceof EmulatorHttpError) {
        send({ status: error.status, body: error.body }, op);
        return;
      }
      violations.push({ kind: 'response', method, path: url.pathname, operationId: op.operationId, errors: [`handler threw: ${(error as Error).message}`] });
      send({ status: 500, body: shape.error(500, `emulator: handler for ${op.operationId} crashed`) });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(shape.error(500, `emulator: ${(error as Error).message}`)));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped = false;
  return {
    baseUrl,
    state: shape.state,
    faults,
    requests,
    violations,
    takeViolations: () => violations.splice(0, violations.length),
    async stop() {
      if (!stopped) {
        stopped = true;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      const drift = violations.filter((v) => v.kind === 'response');
      if (drift.length > 0) throw new Error(`${shape.name} emulator produced responses that break its OpenAPI subset:\n${drift.map((v) => `${v.method} ${v.path}: ${v.errors.join('; ')}`).join('\n')}`);
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
