/**
 * The server as an operator starts it (`node --import tsx src/server.ts`, PORT=0,
 * and the production bundle `npm start` runs), in a real child process: the
 * PGlite data-directory lock, the first start on an empty database, SIGTERM,
 * and a start against PostgreSQL when the run has one.
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/domain/auth.ts';
import { catalog } from '../src/domain/catalog.ts';
import { openDatabase } from '../src/db/client.ts';
import { accounts } from '../src/db/schema.ts';
import { testTarget, unwrap } from './helpers.ts';
import { FROM_SOURCE, killAll, ROOT, runCli, start, startServer, within } from './processes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'server-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------
// Child processes, each bounded and killed after its test

afterEach(killAll);


async function post(url: string, query: string, key?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

async function countAccounts(dataDir: string): Promise<{ accounts: number }> {
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const [row] = await handle.db.select({ accounts: count() }).from(accounts);
    return row!;
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------
// PGlite is a rule of its own: these always run on temporary PGlite directories.

describe('the PGlite data-directory lock', () => {
  const dataDir = path.join(tmp, 'locked');
  const url = `pglite://${dataDir}`;

  it('makes the CLI fail at once, touching nothing, while the server runs', async () => {
    const server = await startServer(url);
    expect(fs.readFileSync(`${dataDir}.lock`, 'utf8')).toBe(String(server.process.pid));

    const cli = await runCli(['account', 'create', '--name', 'Intruder'], url);
    expect(cli.ms).toBeLessThan(10_000);
    expect(cli.signal).toBeNull();
    expect(cli.code).not.toBe(0);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(/data directory .* is in use/i);

    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(await countAccounts(dataDir)).toEqual({ accounts: 1 }); // the demo account only
  });

  it('does not block on a lock left by a process that has exited', async () => {
    const dead = start('node', ['-e', ''], {});
    expect(await within(dead, 10_000)).toEqual({ code: 0, signal: null });
    fs.writeFileSync(`${dataDir}.lock`, String(dead.process.pid));

    const cli = await runCli(['account', 'create', '--name', 'After a crash'], url);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toHaveProperty('accountId');
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });
});

/**
 * The production bundle, built as `npm run build` builds it (scripts/build.mjs:
 * esbuild only; CI runs the type check on its own).
 */
function bundle(): void {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { build: string } };
  execSync(scripts.build, { cwd: ROOT, stdio: 'pipe' });
}

describe.each<{ how: string; nodeArgs: string[]; env: Record<string, string>; build: () => void }>([
  { how: 'from source', nodeArgs: FROM_SOURCE, env: {}, build: () => {} },
  { how: 'as the production bundle', nodeArgs: ['dist/server.js'], env: { NODE_ENV: 'production' }, build: bundle },
])('the server $how on an empty PGlite directory', ({ how, nodeArgs, env, build }) => {
  const dataDir = path.join(tmp, `empty ${how}`);
  const url = `pglite://${dataDir}`;
  const launch = () => startServer(url, env, nodeArgs);
  beforeAll(build, 60_000);
  const query = '{ viewer { role } workspaces { totalCount nodes { models { totalCount } } } }';
  let demoKey: string;

  it('prints its address and a demo admin key, serves GraphiQL and the API, and stops on SIGTERM', async () => {
    const server = await launch();
    const deadline = performance.now() + 5_000;
    while (!/admin key: \S+/.test(server.stdout()) && performance.now() < deadline) await within(server, 50);
    demoKey = /admin key: (\S+)/.exec(server.stdout())?.[1] ?? '';
    expect(demoKey, server.stdout()).toMatch(/^key_[0-9A-Z]{26}\.\S+$/);

    // Where to paste the key, in so many words.
    expect(server.stdout()).toContain(`Open GraphiQL at ${server.url}, replace everything in its Headers tab`);
    expect(server.stdout()).toContain(`\n  {"Authorization": "Bearer ${demoKey}"}\n`);

    const page = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    // GraphiQL's files, from this server (the bundle imports them from node_modules at the first visit).
    const files = [...(await page.text()).matchAll(/"(\/graphiql\/[^"]+)"/g)].map((match) => match[1]!);
    expect(files).toEqual(expect.arrayContaining([expect.stringMatching(/\/graphiql\.js$/), expect.stringMatching(/\/graphql\.worker\.js$/)]));
    for (const file of files) expect((await fetch(new URL(file, server.url))).status, file).toBe(200);

    const demo = await post(server.url, query, demoKey);
    expect(demo.status).toBe(200);
    expect(demo.body).toEqual({
      data: { viewer: { role: 'ADMIN' }, workspaces: { totalCount: 1, nodes: [{ models: { totalCount: catalog.length } }] } },
    });

    const anonymous = await post(server.url, query);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  });

  it('starts again on the same directory without a new demo key, and the old key still works', async () => {
    const server = await launch();
    const demo = await post(server.url, query, demoKey);
    expect(demo.status).toBe(200);
    expect(demo.body.data.viewer).toEqual({ role: 'ADMIN' });
    expect(demo.body.data.workspaces.totalCount).toBe(1);

    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(server.stdout()).not.toMatch(/admin key/i);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    // The first start synced this build's catalog; this one finds it synced and says so.
    const messages = server
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg?: string }).msg);
    expect(messages, server.stdout()).toContain('catalog unchanged since its last sync');
    expect(messages).not.toContain('catalog synced');
  });
});

describe('the server with GRAPHIQL=false on an empty database', () => {
  it('prints the demo key with the header to send, and no GraphiQL', async () => {
    const server = await startServer('pglite://memory', { GRAPHIQL: 'false' });
    const deadline = performance.now() + 5_000;
    while (!/admin key: \S+/.test(server.stdout()) && performance.now() < deadline) await within(server, 50);
    const key = /admin key: (\S+)/.exec(server.stdout())?.[1] ?? '';
    expect(key, server.stdout()).toMatch(/^key_[0-9A-Z]{26}\.\S+$/);
    expect(server.stdout()).toContain(`Send it with every request, in the header\n  Authorization: Bearer ${key}\n`);
    expect(server.stdout()).not.toMatch(/GraphiQL/);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

describe.runIf(testTarget().kind === 'postgres')('the server on the PostgreSQL server in DATABASE_URL', () => {
  it('serves a key created in-process, and stops on SIGTERM', async () => {
    const target = testTarget();
    const handle = await openDatabase(target);
    const account = await createAccount(handle.db, { name: 'Server test' }).then(unwrap).finally(() => handle.close());

    const server = await startServer(target.kind === 'postgres' ? target.url : '');
    const response = await post(server.url, '{ viewer { role accountId profileId } }', account.apiKey);
    expect(response.status).toBe(200);
    expect(response.body.data.viewer).toEqual({ role: 'ADMIN', accountId: account.accountId, profileId: account.profileId });

    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
