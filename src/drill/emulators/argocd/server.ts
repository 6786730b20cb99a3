import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault, FaultScript, type RequestRecord } from '../faults.js';
import { ArgoSpec, type ArgoOperation } from './spec.js';
import { ArgoState, type AppRecord } from './state.js';

/**
 * A stateful, in-process Argo CD API server (the REST gateway `argocd` and the UI use) for tests
 * and drills. Requests and responses are checked against the committed subset of Argo CD's
 * published Swagger description (swagger-subset.json): an unknown endpoint is a 404 and a
 * violation, a malformed request a 400 and a violation, a response that breaks the description a
 * 500 and a violation (and `stop()` rejects). Errors use the gateway's shape
 * `{ error, code, message, details }` with gRPC codes mapped to HTTP statuses.
 *
 * Behaviour modelled from Argo CD's server (server/application/application.go, Rollback): a
 * rollback is refused while automated sync is enabled (FailedPrecondition, 400), an unknown
 * history id is NotFound (404); a rollback syncs to that entry's revision and appends a history
 * entry. Only merge patches of `metadata.annotations` and `spec.syncPolicy` are supported.
 */

export interface ArgoViolation {
  kind: 'unknown-endpoint' | 'request' | 'response';
  method: string;
  path: string;
  errors: string[];
}

export interface ArgoEmulator {
  baseUrl: string;
  token: string;
  state: ArgoState;
  faults: FaultScript;
  requests: Array<RequestRecord & { operationId: string | undefined }>;
  violations: ArgoViolation[];
  /** ARGOCD_SERVER and ARGOCD_AUTH_TOKEN for the rollback port builder. */
  env(): Record<string, string>;
  assertNoViolations(): void;
  reset(): void;
  stop(): Promise<void>;
}

let sharedSpec: ArgoSpec | undefined;

const GRPC_HTTP: Record<number, number> = { 3: 400, 5: 404, 7: 403, 9: 400, 16: 401, 13: 500 };

class ArgoError extends Error {
  constructor(
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startArgoCdEmulator(opts: { token?: string; namespace?: string; now?: () => Date } = {}): Promise<ArgoEmulator> {
  const spec = (sharedSpec ??= ArgoSpec.load());
  const token = opts.token ?? 'argocd-emulator-token';
  const state = new ArgoState(opts.namespace ?? 'argocd', opts.now ?? (() => new Date()));
  const faults = new FaultScript();
  const requests: ArgoEmulator['requests'] = [];
  const violations: ArgoViolation[] = [];
  let baseUrl = '';

  const appOut = (app: AppRecord) => ({
    metadata: { name: app.name, namespace: app.namespace, ...(Object.keys(app.annotations).length ? { annotations: { ...app.annotations } } : {}) },
    spec: {
      project: app.project,
      source: { repoURL: app.repoURL, path: app.path, targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: app.name },
      ...(app.automated ? { syncPolicy: { automated: { ...app.automated } } } : {}),
    },
    status: {
      sync: { status: 'Synced', revision: app.revision },
      health: { status: 'Healthy' },
      history: app.history.map((h) => ({ ...h, source: { repoURL: app.repoURL, path: app.path, targetRevision: h.revision } })),
    },
  });

  const handlers: Record<string, (op: ArgoOperation, params: Record<string, string>, query: URLSearchParams, body: unknown) => unknown> = {
    ApplicationService_Get: (_op, params, query) => appOut(appOr404(params['name']!, query.get('appNamespace') ?? undefined)),
    ApplicationService_Patch: (_op, params, _query, raw) => {
      const b = raw as { patch?: string; patchType?: string; appNamespace?: string };
      const app = appOr404(params['name']!, b.appNamespace);
      if ((b.patchType ?? 'json') !== 'merge') throw new ArgoError(3, 'emulator: only merge patches are supported');
      let patch: { metadata?: { annotations?: Record<string, string | null> }; spec?: { syncPolicy?: { automated?: AppRecord['automated'] } | null } };
      try {
        patch = JSON.parse(b.patch ?? '');
      } catch {
        throw new ArgoError(3, 'error unmarshaling patch: invalid JSON');
      }
      const extra = Object.keys(patch).filter((k) => k !== 'metadata' && k !== 'spec');
      if (extra.length || Object.keys(patch.metadata ?? {}).some((k) => k !== 'annotations') || Object.keys(patch.spec ?? {}).some((k) => k !== 'syncPolicy')) {
        throw new ArgoError(3, 'emulator: only metadata.annotations and spec.syncPolicy can be patched');
      }
      for (const [k, v] of Object.entries(patch.metadata?.annotations ?? {})) {
        if (v === null) delete app.annotations[k];
        else app.annotations[k] = v;
      }
      if (patch.spec && 'syncPolicy' in patch.spec) app.automated = patch.spec.syncPolicy?.automated ?? null;
      return appOut(app);
    },
    ApplicationService_Rollback: (_op, params, _query, raw) => {
      const b = raw as { id?: number | string; appNamespace?: string; dryRun?: boolean };
      const app = appOr404(params['name']!, b.appNamespace);
      if (app.automated && app.automated.enabled !== false) throw new ArgoError(9, 'rollback cannot be initiated when auto-sync is enabled');
      const id = Number(b.id ?? 0);
      const entry = app.history.find((h) => h.id === id);
      if (!entry) throw new ArgoError(5, `application ${app.name} does not have deployment with id ${id}`);
      if (!b.dryRun) state.sync(app, entry.revision, 'firebreak');
      return appOut(app);
    },
  };

  function appOr404(name: string, namespace: string | undefined): AppRecord {
    const app = state.get(name, namespace);
    if (!app) throw new ArgoError(5, `applications.argoproj.io "${name}" not found`);
    return app;
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const record = { method, path: url.pathname, target: undefined, status: 0, faulted: false, operationId: undefined as string | undefined };
    requests.push(record);
    const { handled, faulted } = await applyFault(faults, req, res);
    record.faulted = faulted;
    if (handled) {
      record.status = res.statusCode;
      return;
    }
    const send = (status: number, body: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (code: number, message: string) => send(GRPC_HTTP[code] ?? 500, { error: message, code, message, details: [] });
    const match = spec.match(method, url.pathname);
    const text = await readBody(req);
    if (!match) {
      violations.push({ kind: 'unknown-endpoint', method, path: url.pathname, errors: ['not an operation in the Swagger subset'] });
      fail(5, 'emulator: no such endpoint in the Swagger subset');
      return;
    }
    record.operationId = match.op.operationId;
    if ((req.headers.authorization ?? '') !== `Bearer ${token}`) {
      fail(16, 'no session information');
      return;
    }
    let body: unknown;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        violations.push({ kind: 'request', method, path: url.pathname, errors: ['body is not JSON'] });
        fail(3, 'invalid character in request body');
        return;
      }
    }
    const errors = spec.checkRequest(match.op, url.searchParams, body);
    if (errors.length) {
      violations.push({ kind: 'request', method, path: url.pathname, errors });
      fail(3, errors.join('; '));
      return;
    }
    try {
      const out = handlers[match.op.operationId]!(match.op, match.params, url.searchParams, body);
      const drift = spec.checkResponse(match.op, out);
      if (drift.length) {
        violations.push({ kind: 'response', method, path: url.pathname, errors: drift });
        fail(13, `emulator: response breaks the description: ${drift.join('; ')}`);
        return;
      }
      send(200, out);
    } catch (error) {
      if (error instanceof ArgoError) fail(error.grpcCode, error.message);
      else {
        violations.push({ kind: 'response', method, path: url.pathname, errors: [`handler threw: ${(error as Error).message}`] });
        fail(13, `emulator: ${(error as Error).message}`);
      }
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(error), code: 13, message: String(error) }));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let stopped = false;
  return {
    baseUrl,
    token,
    state,
    faults,
    requests,
    violations,
    env: () => ({ ARGOCD_SERVER: baseUrl, ARGOCD_AUTH_TOKEN: token }),
    assertNoViolations() {
      if (violations.length) throw new Error(`Argo CD emulator saw violations:\n${violations.map((v) => `  [${v.kind}] ${v.method} ${v.path}: ${v.errors.join('; ')}`).join('\n')}`);
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
      if (drift.length) throw new Error(`Argo CD emulator produced responses that break the description: ${drift.map((d) => d.errors.join('; ')).join(' | ')}`);
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
