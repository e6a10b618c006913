/**
 * Server processes and data for the live-update tests across processes
 * (live-processes.test.ts, live-restart.test.ts): each server a real child
 * process (test/processes.ts) with the gc probe loaded, its JSON log readable,
 * and tenants made in the database by the product's own code.
 */
import { asc, eq } from 'drizzle-orm';
import postgres from 'postgres';
import { openDatabase } from '../src/db/client.ts';
import { models, modelStatusChanges } from '../src/db/schema.ts';
import { createAccount } from '../src/domain/auth.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { unwrap } from './helpers.ts';
import { collectGarbage, GC_PROBE_ARGS, opposite, readServer, setModelStatus, until, type LiveEvent, type ModelStatus, type ServerReading, type Subscriber } from './live-clients.ts';
import { FROM_SOURCE, launchServer, serverAddress, within, type Child, type Exit } from './processes.ts';

export interface LogRecord {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface LiveServer extends Child {
  /** http://localhost:<port>/graphql */
  url: string;
  /** http://localhost:<port> */
  origin: string;
  pid: number;
  /** The server's JSON log lines so far. */
  records(): LogRecord[];
  /** The exit, once the process has exited (it must not, in these tests). */
  exit(): Exit | null;
  /** A full garbage collection, then /metrics. */
  reading(): Promise<ServerReading>;
  /** SIGTERM; the exit, or null if still running after 20 s. */
  stop(): Promise<Exit | null>;
  /** Warnings and worse from its log, and its stderr: for failure messages. */
  notable(): string;
}

function parseRecords(stdout: string): LogRecord[] {
  return stdout.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const record = JSON.parse(line);
      return typeof record?.msg === 'string' ? [record as LogRecord] : [];
    } catch {
      return [];
    }
  });
}

/** The server from source, on a free port, with the gc probe; waits for its address. */
export async function startLiveServer(databaseUrl: string, env: Record<string, string> = {}): Promise<LiveServer> {
  const child = launchServer(databaseUrl, { LOG_LEVEL: 'info', ...env }, [...GC_PROBE_ARGS, ...FROM_SOURCE]);
  let exit: Exit | null = null;
  void child.exited.then((e) => (exit = e));
  const url = await serverAddress(child);
  const origin = new URL(url).origin;
  const records = () => parseRecords(child.stdout());
  return {
    ...child,
    url,
    origin,
    pid: child.process.pid!,
    records,
    exit: () => exit,
    async reading() {
      await collectGarbage(child.process.pid!, child.stdout);
      return readServer(origin);
    },
    stop() {
      child.process.kill('SIGTERM');
      return within(child, 20_000);
    },
    notable: () =>
      [
        `pid ${child.process.pid}, exit ${JSON.stringify(exit)}; warnings and errors:`,
        ...records()
          .filter((r) => r.level >= 40)
          .slice(-10)
          .map((r) => `  ${JSON.stringify(r).slice(0, 600)}`),
        `stderr: ${child.stderr().slice(-1_000)}`,
      ].join('\n'),
  };
}

export interface LiveTenant {
  accountId: string;
  profileId: string;
  adminKey: string;
  workspaceId: string;
  /** The workspace's models, by id; every one MODEL_STATUS_ENABLED when made. */
  modelIds: string[];
}

/** An account with an admin key and one workspace seeded with the catalog, made by the product's own code. */
export async function createLiveTenant(databaseUrl: string, name: string): Promise<LiveTenant> {
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl });
  try {
    const account = unwrap(await createAccount(handle.db, { name }));
    const { workspace } = unwrap(await createWorkspace(handle.db, { accountId: account.accountId, profileId: account.profileId, name: `${name} workspace` }));
    const rows = await handle.db.select({ id: models.id }).from(models).where(eq(models.workspaceId, workspace.id)).orderBy(asc(models.id));
    return { accountId: account.accountId, profileId: account.profileId, adminKey: account.apiKey, workspaceId: workspace.id, modelIds: rows.map((r) => r.id) };
  } finally {
    await handle.close();
  }
}

/** One row of the audit trail, as an event of it should read. */
export interface AuditRow {
  seq: number;
  modelId: string;
  from: string;
  to: string;
  profileId: string;
  requestId: string | null;
}

/** The workspace's audit trail in commit order (seq): what every subscriber must have received. */
export async function auditTrail(databaseUrl: string, workspaceId: string): Promise<AuditRow[]> {
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl }, { migrate: false });
  try {
    const rows = await handle.db
      .select()
      .from(modelStatusChanges)
      .where(eq(modelStatusChanges.workspaceId, workspaceId))
      .orderBy(asc(modelStatusChanges.seq));
    return rows.map((r) => ({ seq: Number(r.seq), modelId: r.modelId, from: r.fromStatus, to: r.toStatus, profileId: r.profileId, requestId: r.requestId }));
  } finally {
    await handle.close();
  }
}

/** A database of its own on the PostgreSQL server of `serverUrl` (any database on it), made empty; `drop()` removes it. */
export async function scratchDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const run = async (statement: string) => {
    const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(statement);
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  // `with (force)`: a server process killed by a failed test may still hold a connection.
  await run(`drop database if exists "${name}" with (force)`);
  await run(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists "${name}" with (force)`) };
}

/** Flips a model's status on a server, as a tenant, remembering what each model was set to (every model starts enabled). */
export function statusFlipper() {
  const statuses = new Map<string, ModelStatus>();
  return async (server: { url: string }, tenant: LiveTenant, modelId: string): Promise<string> => {
    const next = opposite(statuses.get(modelId) ?? 'MODEL_STATUS_ENABLED');
    const requestId = await setModelStatus(server.url, tenant.adminKey, modelId, next);
    statuses.set(modelId, next);
    return requestId;
  };
}

/**
 * When a subscription is live on the server is the server's business: flip
 * (with `flipOnce`) a model no assertion looks at, until every one of
 * `listeners` has its event (tries 2 s apart, 20 s in all), so that what
 * follows is measured from a known start. `explain` adds to a failure.
 */
export async function prime(listeners: Subscriber[], modelId: string, flipOnce: () => Promise<unknown>, explain: () => string): Promise<void> {
  await Promise.all(listeners.map((s) => s.opened.catch(() => {})));
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    await flipOnce();
    if (await until(() => listeners.every((s) => s.events.some((e) => e.modelId === modelId)), 2_000)) return;
  }
  const waiting = listeners.filter((s) => !s.events.some((e) => e.modelId === modelId));
  const first = waiting[0];
  throw new Error(
    `${waiting.length} of ${listeners.length} subscribers received no event within 20 s; the first, over ${first?.transport}: ${JSON.stringify({ errors: first?.errors, failures: first?.failures })}\n${explain()}`,
  );
}

/** Each model's events (or audit rows) as one comparable line each, in the order given. */
export const byModel = (events: (LiveEvent | AuditRow)[], modelIds: string[]): Record<string, string[]> =>
  Object.fromEntries(modelIds.map((id) => [id, events.filter((e) => e.modelId === id).map((e) => `${e.from}→${e.to} by ${e.profileId} in ${e.requestId}`)]));
