/**
 * The Shutdown rule of DESIGN.md, on a real process: SIGTERM while requests are
 * in flight completes every one of them, then the process exits 0.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { processDatabase, seedAccount } from './helpers.ts';
import { killAll, startServer, within } from './processes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shutdown-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(killAll);

const database = processDatabase(tmp);
const databaseUrl = database.url;

const seed = () => seedAccount(database.target, 'Shutdown');

const PAGE = /* GraphQL */ `
  query Page($id: ID!) {
    workspace(id: $id) {
      models(first: 100, orderBy: { field: NAME, direction: DESC }) {
        totalCount
        nodes { id metadata { name labels { key } } spec { provider family status } workspace { id name } }
      }
    }
  }
`;

describe('SIGTERM', () => {
  /**
   * Sends 200 page requests, each on its own connection, and SIGTERM once
   * every one is written to its socket: some being executed, some still in
   * the kernel's accept queue or unread on their sockets. (Waiting a fixed
   * time instead let a loaded machine send the signal before the client had
   * connected at all.) With `stopped`, the server is stopped (SIGSTOP) while
   * the requests arrive and continued after the signal, so the signal and
   * every connection reach it in one turn of its event loop.
   */
  async function drain({ stopped }: { stopped: boolean }) {
    const { key, workspaceId } = await seed();
    const server = await startServer(databaseUrl, { LOG_LEVEL: 'warn' });
    /**
     * One request on its own connection. `sent` settles once the request is
     * written to the socket: from then on it is in flight, whatever the
     * server has read of it.
     */
    const send = () => {
      const body = JSON.stringify({ query: PAGE, variables: { id: workspaceId } });
      const request = http.request(server.url, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` },
      });
      const sent = new Promise<void>((resolve) => request.once('finish', resolve));
      const response = new Promise<{ status: number; body: { data?: any; errors?: unknown[] } }>((resolve, reject) => {
        request.once('error', reject);
        request.once('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.once('error', reject);
          res.once('end', () => {
            try {
              resolve({ status: res.statusCode!, body: JSON.parse(text) });
            } catch (error) {
              reject(error as Error);
            }
          });
        });
      });
      request.end(body);
      return { sent, response };
    };

    if (stopped) server.process.kill('SIGSTOP');
    const requests = Array.from({ length: 200 }, send);
    await Promise.all(requests.map((r) => r.sent));
    server.process.kill('SIGTERM');
    if (stopped) server.process.kill('SIGCONT');
    const results = await Promise.allSettled(requests.map((r) => r.response));
    const failures = results.filter((r) => r.status === 'rejected' || r.value.status !== 200 || r.value.body.errors);
    expect(failures.map((f) => (f.status === 'rejected' ? String(f.reason) : JSON.stringify(f.value)))).toEqual([]);
    for (const result of results) {
      if (result.status === 'fulfilled') expect(result.value.body.data.workspace.models.nodes.length).toBeGreaterThan(0);
    }
    expect(await within(server, 20_000)).toEqual({ code: 0, signal: null });
    return results.length - failures.length;
  }

  it('completes all 200 requests in flight, then exits 0', async () => {
    console.log(`[shutdown] 200 requests in flight at SIGTERM: ${await drain({ stopped: false })} succeeded, exit 0`);
  });

  it('completes all 200 when the signal and their connections arrive in one turn of the event loop', async () => {
    console.log(`[shutdown] 200 requests queued behind a stopped process: ${await drain({ stopped: true })} succeeded, exit 0`);
  });

  it('exits 0 at once when idle', async () => {
    const server = await startServer(databaseUrl, { LOG_LEVEL: 'warn' });
    const started = performance.now();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
