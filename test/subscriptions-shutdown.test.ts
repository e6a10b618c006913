/**
 * SIGTERM with subscriptions open (DESIGN.md, "Shutdown"): the server ends
 * the SSE streams, closes the WebSockets with 1001 (going away, so clients
 * reconnect elsewhere) and exits 0, promptly, on a real process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { processDatabase, seedAccount } from './helpers.ts';
import { sse, STATUS_CHANGED } from './live.ts';
import { killAll, startServer } from './processes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'live-shutdown-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(killAll);

const database = processDatabase(tmp);
const databaseUrl = database.url;

const seed = () => seedAccount(database.target, 'Live shutdown');

/** A graphql-ws subscription on a raw socket: resolves once the server holds it (a query on the same socket answered after it). */
async function subscribeOverWs(url: string, key: string, workspaceId: string) {
  const socket = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${key}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; id?: string };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: STATUS_CHANGED, variables: { workspaceId } } }));
        socket.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: '{ viewer { role } }' } }));
      }
      if (message.type === 'complete' && message.id === 'q') resolve();
    });
  });
  return { closed };
}

it('ends SSE streams, closes WebSockets with 1001 and exits 0', async () => {
  const { key, workspaceId } = await seed();
  const server = await startServer(databaseUrl, { LOG_LEVEL: 'warn' });
  const base = server.url.replace(/\/graphql$/, '');
  const stream = await sse(base, { query: STATUS_CHANGED, variables: { workspaceId } }, { key });
  expect(stream.status).toBe(200);
  const ws = await subscribeOverWs(server.url, key, workspaceId);
  const started = performance.now();
  const exit = await server.stop();
  expect(exit).toEqual({ code: 0, signal: null });
  // The quiet period is half a second; open subscriptions do not hold the process.
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(await ws.closed).toBe(1001);
  expect(await stream.next(1_000)).toBeNull();
  expect(server.stderr()).not.toMatch(/deadline passed/);
});
