import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { models } from '../src/db/schema.ts';
import { createAccount, createApiKey, type Role } from '../src/domain/auth.ts';
import { parseDatabaseUrl, type DatabaseTarget } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { createApp, type App } from '../src/http/app.ts';
import { createLiveStatusChanges, type LiveStatusChanges } from '../src/domain/live.ts';
import { createLogger } from '../src/logger.ts';

/** The database under test: the server in DATABASE_URL, else a private in-memory PGlite. */
export function testTarget(): DatabaseTarget {
  const target = parseDatabaseUrl(process.env.DATABASE_URL || 'pglite://memory');
  if (typeof target === 'string') throw new Error(target);
  // Files run in parallel: never share a PGlite directory between them.
  return target.kind === 'pglite' ? { kind: 'pglite', dataDir: null } : target;
}

/**
 * A database a server process of its own can open too: the PostgreSQL server
 * under test, or a PGlite directory under `dir` (in-memory PGlite is one
 * process's alone). `url` is its DATABASE_URL.
 */
export function processDatabase(dir: string): { target: DatabaseTarget; url: string } {
  const target = testTarget();
  if (target.kind === 'postgres') return { target, url: target.url };
  const dataDir = path.join(dir, 'db');
  return { target: { kind: 'pglite', dataDir }, url: `pglite://${dataDir}` };
}

export interface GraphQLResponse<Data = any> {
  status: number;
  headers: Headers;
  body: { data?: Data | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

export interface Tenant {
  accountId: string;
  profileId: string;
  adminKey: string;
  readerKey: string;
  /** The first workspace, seeded with the catalog. */
  workspaceId: string;
}

export interface TestApp {
  db: Database;
  yoga: App;
  /** The file's live status changes (one LISTEN), which `yoga` serves subscriptions from. */
  live: LiveStatusChanges;
  /** Sends one GraphQL operation as a client would, through yoga.fetch. */
  gql<Data = any>(query: string, options?: { key?: string | null; variables?: Record<string, unknown>; operationName?: string }): Promise<GraphQLResponse<Data>>;
  /** Runs `fn` and returns how many SQL statements it sent, with its result. */
  countStatements<T>(fn: () => Promise<T>): Promise<{ statements: number; result: T; sql: string[] }>;
  /** Calls `hook` before each SQL statement is sent (null removes it). */
  onStatement(hook: ((sql: string) => void) | null): void;
  /**
   * LISTENs on a channel of this file's database (see DatabaseHandle.listen;
   * `onListen` runs each time listening starts); resolves, once listening, to
   * a function that stops it.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen?: () => void): Promise<() => Promise<void>>;
  /** Closes this file's database (also done after the file). */
  close(): Promise<void>;
  /** A new account with an admin key, a reader key and one seeded workspace. */
  tenant(name?: string): Promise<Tenant>;
}

/** Opens the database and the app for one test file; closes them after it. */
export async function setupTestApp(): Promise<TestApp> {
  const log: string[] = [];
  let hook: ((sql: string) => void) | null = null;
  const handle = await openDatabase(testTarget(), {
    logger: {
      logQuery: (query) => {
        log.push(query);
        hook?.(query);
      },
    },
  });
  const db = handle.db;
  // Queries compile at first sight, so every test also checks the compiled path.
  const live = createLiveStatusChanges({ db, listen: handle.listen, log: createLogger('silent') });
  const yoga = createApp({ db, compileQueries: { after: 0 }, live });
  afterAll(async () => {
    await live.close();
    await handle.close();
  });

  let tenants = 0;
  return {
    db,
    yoga,
    live,
    async gql(query, { key, variables, operationName } = {}) {
      const response = await yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query, variables, operationName }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    onStatement(next) {
      hook = next;
    },
    listen: (channel, onNotify, onListen = () => {}) => handle.listen(channel, onNotify, onListen),
    close: () => handle.close(),
    async countStatements(fn) {
      const start = log.length;
      const result = await fn();
      const sql = log.slice(start);
      return { statements: sql.length, result, sql };
    },
    async tenant(name = `Tenant ${++tenants}`) {
      const account = unwrap(await createAccount(db, { name }));
      const reader = unwrap(await createApiKey(db, { accountId: account.accountId, role: 'READER' satisfies Role }));
      const workspace = unwrap(
        await createWorkspace(db, { accountId: account.accountId, profileId: account.profileId, name: `${name} workspace` }),
      );
      return {
        accountId: account.accountId,
        profileId: account.profileId,
        adminKey: account.apiKey,
        readerKey: reader.apiKey,
        workspaceId: workspace.workspace.id,
      };
    },
  };
}

/**
 * Gives the workspace `count` models in all (the catalog seeds some; the rest
 * are plain rows, all ENABLED) and returns the ids of `count` of them, by id.
 */
export async function fillWorkspace(db: Database, tenant: Tenant, workspaceId: string, count: number): Promise<string[]> {
  const stored = () => db.select({ id: models.id }).from(models).where(eq(models.workspaceId, workspaceId)).orderBy(asc(models.id));
  const extra = Array.from({ length: Math.max(0, count - (await stored()).length) }, (_, i) => ({
    id: newId('Model'),
    accountId: tenant.accountId,
    workspaceId,
    profileId: tenant.profileId,
    name: `Extra ${i}`,
    provider: 'local',
    family: `extra-${i}`,
    status: 'MODEL_STATUS_ENABLED' as const,
  }));
  if (extra.length > 0) await db.insert(models).values(extra);
  return (await stored()).map((row) => row.id).slice(0, count);
}

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; problem: { message: string } }): T {
  if (!result.ok) throw new Error(result.problem.message);
  return result.value;
}

/**
 * An account with an admin key and one seeded workspace, written straight
 * into `target` and closed again, for a server process that opens it next.
 */
export async function seedAccount(target: DatabaseTarget, name: string): Promise<{ key: string; workspaceId: string }> {
  const handle = await openDatabase(target);
  try {
    const account = unwrap(await createAccount(handle.db, { name }));
    const { workspace } = unwrap(await createWorkspace(handle.db, { accountId: account.accountId, profileId: account.profileId, name: `${name} workspace` }));
    return { key: account.apiKey, workspaceId: workspace.id };
  } finally {
    await handle.close();
  }
}
