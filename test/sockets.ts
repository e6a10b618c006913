import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll } from 'vitest';

/** A request as a test sends it over a real socket. */
export interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** A string is sent with a Content-Length; chunks are sent chunked. */
  body?: string | string[];
}

/** An answer, comparable between two servers: Date dropped, the request id's value replaced by `<id>` in headers and body. */
export interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
  requestId: string;
}

const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

/** Serves a node:http listener on a free port of 127.0.0.1 for the rest of the file; returns its base URL. */
export async function serve(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
): Promise<string> {
  const server = createServer(listener);
  if (upgrade) server.on('upgrade', upgrade);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function send(base: string, { method = 'POST', path = '/graphql', headers = {}, body }: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunked = Array.isArray(body);
    const request = httpRequest(`${base}${path}`, {
      method,
      headers: { ...(typeof body === 'string' ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const requestId = String(response.headers['x-request-id']);
        // Header names compare without case (yoga sends `Content-Type`, node `Date`); Date and the id's value differ by nature.
        const pairs: [string, string][] = [];
        for (let i = 0; i < response.rawHeaders.length; i += 2) {
          const name = response.rawHeaders[i]!.toLowerCase();
          if (name !== 'date') pairs.push([name, name === 'x-request-id' ? '<id>' : response.rawHeaders[i + 1]!]);
        }
        const text = Buffer.concat(chunks).toString('utf8').replaceAll(requestId, '<id>');
        resolve({ status: response.statusCode!, headers: pairs, body: text, requestId });
      });
    });
    if (chunked) for (const chunk of body) request.write(chunk);
    request.end(typeof body === 'string' ? body : undefined);
  });
}
