import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HealthCheck, HttpProber, ProbeAnswer } from '../../core/health/probe.js';

/** Bodies are read up to this many bytes: enough for a health document, bounded for a hostile one. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * One HTTP(S) request per probe with node's own client: the check's method, headers and timeout
 * (connect and answer together), certificates verified unless the check says `insecure_tls`.
 * Never throws: a timeout, a refused connection or a TLS failure is an answer saying so.
 */
export class NodeHttpProber implements HttpProber {
  constructor(private readonly opts: { ca?: string | Buffer } = {}) {}

  probe(check: HealthCheck): Promise<ProbeAnswer> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(check.url);
      } catch {
        resolve({ error: `invalid URL ${check.url}` });
        return;
      }
      const https = url.protocol === 'https:';
      const send = https ? httpsRequest : httpRequest;
      let settled = false;
      const done = (a: ProbeAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(a);
      };
      const req = send(url, {
        method: check.method,
        headers: { 'user-agent': 'firebreak-verify-health', ...check.headers },
        ...(https ? { rejectUnauthorized: !check.insecureTls, ...(this.opts.ca ? { ca: this.opts.ca } : {}) } : {}),
        agent: false,
      });
      const timer = setTimeout(() => {
        done({ error: `timed out after ${check.timeoutMs} ms` });
        req.destroy();
      }, check.timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_BODY_BYTES) chunks.push(c.subarray(0, MAX_BODY_BYTES - size));
          size += c.length;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => done({ error: `connection broke while reading: ${e.message}` }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        const tls = /certificate|self[- ]signed|SSL|TLS|CERT/i.test(`${e.code ?? ''} ${e.message}`);
        done({ error: tls ? `TLS error: ${e.code ?? e.message}` : `request failed: ${e.code ?? e.message}` });
      });
      req.end();
    });
  }
}
