/**
 * The Shutdown rule of DESIGN.md, on a real process: SIGTERM while requests are
 * in flight completes every one of them, then the process exits 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAccount } from '../src/auth.ts';
import { openDatabase } from '../src/db/client.ts';
import { createWorkspace } from '../src/workspaces.ts';
import { testTarget, unwrap } from './helpers.ts';
import { killAll, startServer, within } from './processes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shutdown-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
afterEach(killAll);

const target = testTarget();
const databaseUrl = target.kind === 'postgres' ? target.url : `pglite://${path.join(tmp, 'db')}`;

/** An admin key and a workspace in the database the server will use (opened and closed before it starts). */
async function seed() {
  const handle = await openDatabase(target.kind === 'postgres' ? target : { kind: 'pglite', dataDir: path.join(tmp, 'db') });
  try {
    const account = unwrap(await createAccount(handle.db, { name: 'Shutdown' }));
    const { workspace } = unwrap(await createWorkspace(handle.db, { accountId: account.accountId, profileId: account.profileId, name: 'Drain' }));
    return { key: account.apiKey, workspaceId: workspace.id };
  } finally {
    await handle.close();
  }
}

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
  it('completes all 200 requests in flight, then exits 0', async () => {
    const { key, workspaceId } = await seed();
    const server = await startServer(databaseUrl, { LOG_LEVEL: 'warn' });
    const send = () =>
      fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: PAGE, variables: { id: workspaceId } }),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as { data?: any; errors?: unknown[] } }));

    const requests = Array.from({ length: 200 }, send);
    // The signal arrives while the requests are in flight: some being executed,
    // some still in the kernel's accept queue or unread on their sockets.
    await new Promise((resolve) => setTimeout(resolve, 5));
    server.process.kill('SIGTERM');
    const results = await Promise.allSettled(requests);

    const failures = results.filter((r) => r.status === 'rejected' || r.value.status !== 200 || r.value.body.errors);
    expect(failures.map((f) => (f.status === 'rejected' ? String(f.reason) : JSON.stringify(f.value)))).toEqual([]);
    for (const result of results) {
      if (result.status === 'fulfilled') expect(result.value.body.data.workspace.models.nodes.length).toBeGreaterThan(0);
    }
    expect(await within(server, 20_000)).toEqual({ code: 0, signal: null });
    console.log(`[shutdown] 200 requests in flight at SIGTERM: ${results.length - failures.length} succeeded, exit 0`);
  });

  it('exits 0 at once when idle', async () => {
    const server = await startServer(databaseUrl, { LOG_LEVEL: 'warn' });
    const started = performance.now();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
