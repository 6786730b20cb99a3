import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault, FaultScript, headerValue, type FaultRule, type RequestRecord } from './faults.js';

/**
 * A loopback HTTP proxy in front of an emulator (moto), adding scripted latency, errors and
 * timeouts, and counting requests. Clients talk to `url` exactly as they would to the upstream.
 */
export interface FaultProxy {
  url: string;
  faults: FaultScript;
  requests: RequestRecord[];
  stop(): Promise<void>;
}

/** A request as the proxy saw it, body included (only buffered when a `check` is set). */
export interface ProxiedRequest {
  method: string;
  path: string;
  target: string | undefined;
  body: Buffer;
}

export interface FaultProxyOptions {
  /**
   * Answers instead of the upstream when it returns a response: provider rules the upstream does not
   * enforce (moto accepts a WAF IP set with 10,001 addresses; AWS refuses it). Runs after faults.
   */
  check?: (req: ProxiedRequest) => Pick<FaultRule, 'status' | 'headers' | 'body'> | undefined;
}

export async function startFaultProxy(upstream: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const faults = new FaultScript();
  const requests: RequestRecord[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const amzTarget = headerValue(req, 'x-amz-target');
      const { handled, faulted } = await applyFault(faults, req, res);
      if (handled) {
        requests.push({ method: req.method ?? 'GET', path, target: amzTarget, status: res.statusCode, faulted });
        return;
      }
      let buffered: Buffer | undefined;
      if (options.check) {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        buffered = Buffer.concat(chunks);
        const answer = options.check({ method: req.method ?? 'GET', path, target: amzTarget, body: buffered });
        if (answer?.status !== undefined) {
          const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
          res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
          res.end(text);
          requests.push({ method: req.method ?? 'GET', path, target: amzTarget, status: answer.status, faulted });
          return;
        }
      }
      const upstreamReq = httpRequest(
        { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upstreamRes) => {
          requests.push({ method: req.method ?? 'GET', path, target: amzTarget, status: upstreamRes.statusCode ?? 0, faulted });
          // Hop-by-hop headers are the upstream connection's, not the client's (RFC 9110 §7.6.1):
          // moto closes every connection; AWS endpoints keep them alive, so clients may too.
          const { connection: _c, 'keep-alive': _k, ...headers } = upstreamRes.headers;
          res.writeHead(upstreamRes.statusCode ?? 502, headers);
          upstreamRes.pipe(res);
        },
      );
      upstreamReq.on('error', (err) => {
        requests.push({ method: req.method ?? 'GET', path, target: amzTarget, status: 502, faulted });
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: upstream error ${err.message}`);
      });
      if (buffered) upstreamReq.end(buffered);
      else req.pipe(upstreamReq);
    })();
  });
  // Above 1 s: Node clients (the AWS SDK among them) drop a socket whose server hint is `timeout=1`
  // instead of reusing it, which would make every request a new connection.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
