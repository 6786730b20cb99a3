import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyFault, FaultScript } from './faults.js';

/**
 * The HTTP shell the notify emulators share: one server on a free loopback port, scripted faults
 * (faults.ts), and a list of spec violations — a request or response that does not match the
 * provider's committed spec subset is answered 400/500 AND recorded, so a test that only looks at
 * the outcome still fails on drift (`violations` must stay empty).
 */
export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface HttpEmulator {
  url: string;
  faults: FaultScript;
  violations: string[];
  close(): Promise<void>;
}

export async function startHttpEmulator(name: string, handle: (req: IncomingMessage, url: URL, violations: string[]) => Promise<JsonReply>): Promise<HttpEmulator> {
  const faults = new FaultScript();
  const violations: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const { handled } = await applyFault(faults, req, res);
        if (handled) return;
        const reply = await handle(req, new URL(req.url ?? '/', 'http://emulator'), violations);
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      } catch (error) {
        violations.push(`${name}: handler crashed: ${(error as Error).message}`);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'emulator_crash' }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    violations,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
