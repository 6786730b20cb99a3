import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback AWS endpoint that refuses every request with an AWS-shaped error whose message echoes
 * the credentials it was given (and the session token from the request's own header), the way a
 * misbehaving proxy or a verbose gateway would. JSON-protocol calls (WAFv2, `x-amz-target`) get the
 * JSON error shape; REST/XML calls (S3) get the XML one. For canary tests of redaction.
 */
export interface AwsEchoServer {
  endpoint: string;
  requests: number;
  stop(): Promise<void>;
}

export async function startAwsEchoServer(echo: string[]): Promise<AwsEchoServer> {
  const state = { requests: 0 };
  const server: Server = createServer((req: IncomingMessage, res) => {
    state.requests++;
    req.resume();
    req.on('end', () => {
      const token = req.headers['x-amz-security-token'];
      const said = [...echo, ...(typeof token === 'string' ? [token] : [])];
      const message = `The security token included in the request is invalid. Received key ${said.join(' / ')} (base64 ${said.map((s) => Buffer.from(s).toString('base64')).join(',')}; url ${said.map(encodeURIComponent).join(',')})`;
      if (req.headers['x-amz-target']) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'UnrecognizedClientException', 'x-amzn-requestid': 'echo-1' });
        res.end(JSON.stringify({ __type: 'UnrecognizedClientException', message }));
        return;
      }
      const xml = message.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'echo-1' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code><Message>${xml}</Message><RequestId>echo-1</RequestId></Error>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
