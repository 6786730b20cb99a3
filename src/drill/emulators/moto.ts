import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { startFaultProxy } from './fault-proxy.js';
import type { FaultScript, RequestRecord } from './faults.js';
import { ensureMoto, findOnPath, installCommand, motoVenvDir, MotoNotInstalledError } from './moto-install.js';
import { checkAwsRules } from './moto-rules.js';
import { CloudTrailEvents } from './cloudtrail/events.js';
import { GuardDutyFindings } from './guardduty/findings.js';

/**
 * moto_server (AWS APIs emulated in Python) behind our fault proxy. The real AWS SDK v3 clients talk
 * to `endpoint` through `AWS_ENDPOINT_URL`, so tests and drills exercise the same code as production.
 *
 * Known moto gaps (5.2.x): pass VersionStage to GetSecretValue; RotateSecret needs a Lambda (rotate
 * with PutSecretValue + staging labels); moto has no GuardDuty findings (served by guardduty/findings.ts in the proxy), no CloudTrail
 * LookupEvents (served by cloudtrail/events.ts in the proxy) and no Backup jobs;
 * FilterLogEvents understands one word or one quoted phrase only; GetObjectRetention answers `{}`;
 * ECS lets a service use an INACTIVE task definition, and advances a task's lastStatus on every
 * DescribeTasks unless its state manager holds it (isolate's fixture does); ModifyInstanceAttribute
 * Groups appends to the interface's groups (the instance's SecurityGroups are right); SendCommand
 * accepts any document name. WAF duplicate names are accepted. WAF address
 * limits are enforced by the proxy instead (moto-rules.ts).
 */
export interface MotoServer {
  /** Through the fault proxy: what clients should use. */
  endpoint: string;
  /** moto itself, bypassing faults (for test setup that must not be faulted or counted). */
  directEndpoint: string;
  region: string;
  faults: FaultScript;
  requests: RequestRecord[];
  /** GuardDuty findings (moto has none): ListFindings/GetFindings answered in the proxy, seeded by tests. */
  guardDuty: GuardDutyFindings;
  /** CloudTrail event history (moto has no LookupEvents): answered in the proxy, seeded by tests. */
  cloudTrail: CloudTrailEvents;
  pid: number;
  /** AWS_ENDPOINT_URL, AWS_REGION and dummy credentials, for child processes and `awsClientConfig`. */
  env(): Record<string, string>;
  /** Drops every resource in moto (POST /moto-api/reset), clears faults and the request log. */
  reset(): Promise<void>;
  /** Kills moto (SIGTERM, then SIGKILL) and the proxy. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  region?: string;
  /** How long to wait for moto to answer (default 30 s; a cold start imports a lot of Python). */
  readyTimeoutMs?: number;
  /** Binary to run; default: discovered (MOTO_SERVER, PATH, project-local venv) or installed. */
  command?: string;
  /** Progress of a first-time install into the project-local venv (default: stderr). */
  onInstallProgress?: (line: string) => void;
  /**
   * Refuse in the proxy what AWS refuses and moto accepts (moto-rules.ts: WAF IP sets over 10,000
   * addresses, /0, mixed IP versions). Default true; `directEndpoint` is never checked.
   */
  enforceProviderRules?: boolean;
  /** Extra environment for moto_server (e.g. MOTO_RECORDER_FILEPATH from src/drill/iam/moto-recorder.ts). */
  env?: Record<string, string>;
}

export { MotoNotInstalledError } from './moto-install.js';

export class MotoStartError extends Error {
  readonly code = 'moto-start-failed';
  constructor(message: string) {
    super(message);
    this.name = 'MotoStartError';
  }
}

const DEFAULT_REGION = 'us-east-1';
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every moto we started when this process ends, even if a test crashed before afterAll. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    live.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * An explicit `command` is used as given; otherwise moto is discovered (MOTO_SERVER, PATH, the
 * project-local venv) and, when it is nowhere, installed into that venv (see moto-install.ts).
 */
async function resolveCommand(command: string | undefined, onProgress: ((line: string) => void) | undefined): Promise<string> {
  if (command !== undefined) {
    const path = command.includes('/') ? command : findOnPath(command, process.env);
    if (!path) throw new MotoNotInstalledError(`${command} not found on PATH.`, installCommand(motoVenvDir(), process.cwd()));
    return path;
  }
  return (await ensureMoto({ onProgress: onProgress ?? ((line) => process.stderr.write(`${line}\n`)) })).path;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function isReady(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/moto-api/data.json`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

interface Spawned {
  child: ChildProcess;
  url: string;
}

async function spawnOnce(bin: string, readyTimeoutMs: number, extraEnv: Record<string, string> = {}): Promise<Spawned | 'port-in-use'> {
  const port = await freePort();
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...extraEnv, PYTHONUNBUFFERED: '1' },
  });
  live.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    // Keep only the tail: moto logs every request to stderr.
    stderr = (stderr + chunk).slice(-4000);
  });
  let exited: number | null | undefined;
  let spawnError: Error | undefined;
  child.on('exit', (code) => {
    exited = code;
    live.delete(child);
  });
  child.on('error', (err) => {
    spawnError = err;
    live.delete(child);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (spawnError) throw new MotoStartError(`could not start ${bin}: ${spawnError.message}`);
    if (exited !== undefined) {
      if (/address already in use|EADDRINUSE|Errno 98/i.test(stderr)) return 'port-in-use';
      throw new MotoStartError(`${bin} exited with code ${exited} before answering:\n${stderr}`);
    }
    if (await isReady(url)) return { child, url };
    await sleep(100);
  }
  await killChild(child, 2000);
  throw new MotoStartError(`${bin} did not answer on ${url} within ${readyTimeoutMs} ms:\n${stderr}`);
}

async function killChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(child);
    return;
  }
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
  live.delete(child);
}

export async function startMoto(opts: StartMotoOptions = {}): Promise<MotoServer> {
  const region = opts.region ?? DEFAULT_REGION;
  const bin = await resolveCommand(opts.command, opts.onInstallProgress);
  installExitHook();
  let spawned: Spawned | undefined;
  for (let attempt = 0; attempt < 5 && !spawned; attempt++) {
    const result = await spawnOnce(bin, opts.readyTimeoutMs ?? 30_000, opts.env);
    if (result !== 'port-in-use') spawned = result;
  }
  if (!spawned) throw new MotoStartError('could not find a free port for moto_server after 5 attempts');
  const { child, url } = spawned;
  const guardDuty = new GuardDutyFindings(region);
  const cloudTrail = new CloudTrailEvents(region);
  const rules = opts.enforceProviderRules !== false;
  const proxy = await startFaultProxy(url, { check: (req) => guardDuty.handle(req) ?? cloudTrail.handle(req) ?? (rules ? checkAwsRules(req) : undefined) });
  let stopped = false;
  return {
    endpoint: proxy.url,
    directEndpoint: url,
    region,
    faults: proxy.faults,
    requests: proxy.requests,
    guardDuty,
    cloudTrail,
    pid: child.pid ?? -1,
    env: () => ({
      AWS_ENDPOINT_URL: proxy.url,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    }),
    async reset() {
      const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      await res.arrayBuffer();
      if (!res.ok) throw new MotoStartError(`moto reset failed with HTTP ${res.status}`);
      proxy.faults.clear();
      proxy.requests.length = 0;
      guardDuty.clear();
      cloudTrail.clear();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await proxy.stop();
      await killChild(child, 3000);
    },
  };
}
