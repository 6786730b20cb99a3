import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { NodeHttpProber } from '../../providers/http/health-prober.js';
import { buildHealthPorts } from '../../runtime/edge-ports.js';
import { verifyHealthStep } from './step.js';

/**
 * verify-health against real local HTTP and HTTPS servers (healthy, unhealthy, slow, flapping, wrong
 * body, TLS error) and CloudWatch alarms in moto. No real waiting: the step's sleep is recorded,
 * not slept, and the only timer is the probe timeout against a server that never answers.
 */

let http: Server;
let tls: Server;
let dir: string;
let cert: string;
let moto: MotoServer;
let hits: Record<string, number> = {};
let slept: number[] = [];
const held: ServerResponse[] = [];

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  hits[path] = (hits[path] ?? 0) + 1;
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (path === '/health') return json(200, { status: 'healthy', details: { db: { ok: true } } });
  if (path === '/unhealthy') return json(503, { status: 'unhealthy' });
  if (path === '/wrong-body') return json(200, { status: 'degraded' });
  if (path === '/not-json') {
    res.writeHead(200);
    res.end('<html>ok</html>');
    return;
  }
  if (path === '/flapping') return json(hits[path]! % 2 === 1 ? 200 : 503, { status: 'healthy' });
  if (path === '/recovering') return json(hits[path]! >= 3 ? 200 : 502, { status: 'healthy' });
  if (path === '/headers') return json(req.headers['x-probe'] === 'yes' ? 200 : 401, { status: 'healthy' });
  if (path === '/slow') {
    held.push(res); // never answered: the probe's timeout fires
    return;
  }
  json(404, {});
}

type Entry = Record<string, unknown>;
/** firebreak.yml as JSON (a subset of YAML): no quoting surprises in patterns and URLs. */
function config(checks: Entry[], alarms: Entry[] = []) {
  return parseConfig(JSON.stringify({ version: 1, health: { alarm_wait_seconds: 120, alarm_poll_seconds: 30, checks, alarms } }));
}
function check(name: string, url: string, extra: Entry = {}): Entry {
  return { name, url, retries: 2, backoff_ms: 100, timeout_ms: 2000, ...extra };
}
const base = () => `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
const tlsBase = () => `https://localhost:${(tls.address() as AddressInfo).port}`;

async function run(cfg: ReturnType<typeof config>, opts: { prober?: NodeHttpProber; checks?: string; sleep?: (ms: number) => Promise<void> } = {}) {
  const clock = manualClock('2026-12-02T04:00:00Z');
  const sleep = opts.sleep ?? (async (ms: number) => {
    slept.push(ms);
    clock.advance(ms);
  });
  const ports = { health: buildHealthPorts({ ...moto.env() }, cfg, { sleep, ...(opts.prober ? { prober: opts.prober } : {}) }) };
  const ctx = makeContext({ audit: new MemoryAuditSink(), clock, sleep, logger: memoryLogger(), dryRun: false, actor: 'responder' });
  try {
    const r = await runStep(verifyHealthStep, { checks: opts.checks ?? '' }, ports, ctx);
    return r.result!.outcomes;
  } catch (error) {
    if (error instanceof PartialFailureError) return (error.result as Result).outcomes;
    throw error;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fb-health-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  http = createServer(route);
  tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, route);
  await Promise.all([new Promise<void>((r) => http.listen(0, '127.0.0.1', r)), new Promise<void>((r) => tls.listen(0, '127.0.0.1', r))]);
  moto = await startMoto();
}, 60_000);
afterAll(async () => {
  for (const res of held) res.destroy();
  http?.closeAllConnections();
  tls?.closeAllConnections();
  await Promise.all([new Promise((r) => http?.close(r)), new Promise((r) => tls?.close(r))]);
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  hits = {};
  slept = [];
});

describe('verify-health: HTTP probes', () => {
  it('passes a healthy endpoint with a JSON path, fails an unhealthy one after its retries, in one parallel run', async () => {
    const out = await run(config([check('ok', `${base()}/health`, { json: { path: 'status', equals: 'healthy' } }), check('down', `${base()}/unhealthy`), check('deep', `${base()}/health`, { json: { path: 'details.db.ok', equals: true } })]));
    expect(out.map((o) => [o.subject, o.status])).toEqual([
      ['ok', 'applied'],
      ['down', 'failed'],
      ['deep', 'applied'],
    ]);
    expect(out[1]!.reason).toMatch(/HTTP 503, expected 200 \(3 failed probe\(s\), 2 retries allowed\)/);
    expect(hits['/unhealthy']).toBe(3);
    // Back-off doubles between failures (recorded, not slept).
    expect(slept).toEqual([100, 200]);
  });

  it('fails a wrong body: a different JSON value, a body that is not JSON, a pattern that does not match', async () => {
    const out = await run(
      config([
        check('value', `${base()}/wrong-body`, { json: { path: 'status', equals: 'healthy' }, retries: 0 }),
        check('notjson', `${base()}/not-json`, { json: { path: 'status', equals: 'healthy' }, retries: 0 }),
        check('pattern', `${base()}/wrong-body`, { body_pattern: '"status":"healthy"', retries: 0 }),
      ]),
    );
    expect(out.map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
    expect(out[0]!.reason).toMatch(/status is "degraded", expected "healthy"/);
    expect(out[1]!.reason).toMatch(/not JSON/);
    expect(out[2]!.reason).toMatch(/does not match/);
  });

  it('does not pass a flapping endpoint that needs successes in a row, and passes one that recovers', async () => {
    const out = await run(config([check('flap', `${base()}/flapping`, { consecutive: 3, retries: 2 }), check('recover', `${base()}/recovering`, { consecutive: 2, retries: 3 })]));
    expect(out[0]).toMatchObject({ subject: 'flap', status: 'failed' });
    expect(out[1]).toMatchObject({ subject: 'recover', status: 'applied' });
    expect(hits['/recovering']).toBe(4);
  });

  it('times out a slow endpoint', async () => {
    const out = await run(config([check('slow', `${base()}/slow`, { timeout_ms: 50, retries: 0 })]));
    expect(out[0]).toMatchObject({ status: 'failed' });
    expect(out[0]!.reason).toMatch(/timed out after 50 ms/);
  });

  it('sends the configured headers and method', async () => {
    const out = await run(config([check('hdr', `${base()}/headers`, { headers: { 'x-probe': 'yes' }, retries: 0 }), check('nohdr', `${base()}/headers`, { retries: 0 })]));
    expect(out.map((o) => o.status)).toEqual(['applied', 'failed']);
  });

  it('fails on a TLS error (self-signed certificate, or TLS to a plain HTTP port), and passes with the CA or insecure_tls', async () => {
    const plainAsTls = `https://127.0.0.1:${(http.address() as AddressInfo).port}/health`;
    const out = await run(config([check('selfsigned', `${tlsBase()}/health`, { retries: 0 }), check('plain', plainAsTls, { retries: 0 }), check('insecure', `${tlsBase()}/health`, { retries: 0, insecure_tls: true })]));
    expect(out.map((o) => o.status)).toEqual(['failed', 'failed', 'applied']);
    expect(out[0]!.reason).toMatch(/TLS error/);
    expect(out[1]!.reason).toMatch(/TLS error|request failed/);
    const trusted = await run(config([check('ca', `${tlsBase()}/health`, { retries: 0 })]), { prober: new NodeHttpProber({ ca: cert }) });
    expect(trusted[0]).toMatchObject({ status: 'applied' });
  });

  it('refuses an unknown check name before probing anything', async () => {
    await expect(run(config([check('ok', `${base()}/health`)]), { checks: 'nope' })).rejects.toMatchObject({ code: 'VERIFY_UNKNOWN' });
    expect(hits).toEqual({});
  });
});

describe('verify-health: CloudWatch alarms (moto)', () => {
  it('waits for an alarm to return to OK, and fails one that stays in ALARM past the wait', async () => {
    const cw = new CloudWatchClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    for (const name of ['app-5xx', 'app-latency']) {
      await cw.send(
        new PutMetricAlarmCommand({ AlarmName: name, MetricName: '5XXError', Namespace: 'AWS/ApplicationELB', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' }),
      );
      await cw.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: 'drill' }));
    }
    const clock = manualClock('2026-12-02T04:00:00Z');
    let polls = 0;
    // The "metrics return to normal" happens during the step's second wait: no real time passes.
    const sleep = async (ms: number) => {
      clock.advance(ms);
      if (++polls === 2) await cw.send(new SetAlarmStateCommand({ AlarmName: 'app-5xx', StateValue: 'OK', StateReason: 'recovered' }));
    };
    const cfg = config([], [
      { name: 'errors', alarm_name: 'app-5xx' },
      { name: 'latency', alarm_name: 'app-latency' },
      { name: 'gone', alarm_name: 'no-such-alarm' },
    ]);
    const ports = { health: buildHealthPorts({ ...moto.env() }, cfg, { sleep }) };
    const ctx = makeContext({ audit: new MemoryAuditSink(), clock, sleep, logger: memoryLogger(), dryRun: false, actor: 'responder' });
    const err = await runStep(verifyHealthStep, {}, ports, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const out = ((err as PartialFailureError).result as Result).outcomes;
    expect(out.map((o) => [o.subject, o.status])).toEqual([
      ['errors', 'applied'],
      ['latency', 'failed'],
      ['gone', 'failed'],
    ]);
    expect(out[1]!.reason).toMatch(/still ALARM after 120 s/);
    expect(out[2]!.reason).toMatch(/does not exist/);
    cw.destroy();
  });
});
