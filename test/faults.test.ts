/**
 * Database faults (issue 3), against the real server process and a PRIVATE
 * PostgreSQL cluster (test/pg-cluster.ts), so restarting the database disturbs
 * no other test file: a restart under load, backends terminated mid-request
 * (postgres.js issue #1208 territory), and a start while the database is down.
 *
 * Every response the load gets must be a success or a masked error; anything
 * else (a refused or reset connection, an unmasked message) is a failure.
 * Each test prints its figures. PostgreSQL runs only: skipped on PGlite.
 */
import postgres from 'postgres';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../src/domain/auth.ts';
import { openDatabase } from '../src/db/client.ts';
import { models } from '../src/db/schema.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { testTarget, unwrap } from './helpers.ts';
import { createCluster, type PgCluster } from './pg-cluster.ts';
import { killAll, launchServer, serverAddress, within, type Child, type Exit } from './processes.ts';

const DATABASE = 'faults';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();
const ms = (value: number) => Math.round(value);

// ---------------------------------------------------------------------------
// The server as a child process (`node --import tsx src/server.ts`, PORT=0)

interface Server extends Child {
  /** The exit, once the process has exited (it must not, under faults). */
  exit(): Exit | null;
  /** Warnings and worse from the server's JSON log, and its stderr: for failure messages. */
  notable(limit?: number): string;
  /** The server's JSON log lines. */
  records(): { level: number; msg: string; [key: string]: unknown }[];
}

function launch(databaseUrl: string): Server {
  const child = launchServer(databaseUrl, { LOG_LEVEL: 'info' });
  let exit: Exit | null = null;
  void child.exited.then((e) => (exit = e));
  const records = () =>
    child
      .stdout()
      .split('\n')
      .flatMap((line) => {
        try {
          const record = JSON.parse(line);
          return record && typeof record === 'object' && typeof record.msg === 'string' ? [record] : [];
        } catch {
          return [];
        }
      });
  return {
    ...child,
    exit: () => exit,
    records,
    notable: (limit = 8) => {
      // One line per distinct message and cause; the rare ones first, with their stack.
      const seen = new Map<string, number>();
      for (const r of records().filter((r) => r.level >= 40)) {
        const err = r.err as { type?: string; message?: string } | undefined;
        let line = `${r.level} ${r.msg}${err ? `: ${err.type} ${String(err.message).replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
        if (err && r.msg !== 'unexpected error') line += `\n      ${String((err as { stack?: string }).stack).slice(0, 1_500).replace(/\n/g, '\n      ')}`;
        seen.set(line, (seen.get(line) ?? 0) + 1);
      }
      return [
        `server exit: ${JSON.stringify(exit)}; its warnings and errors:`,
        ...[...seen]
          .sort(([a], [b]) => Number(a.includes('unexpected error')) - Number(b.includes('unexpected error')))
          .slice(0, limit)
          .map(([line, n]) => `  ${n} × ${line}`),
        `stderr: ${child.stderr().slice(0, 1_000)}`,
      ].join('\n');
    },
  };
}

/** What the server logged about the request of a masked error (its cause), for failure messages. */
function causeOf(server: Server, outcome: Outcome): string {
  const id = /requestId (\S+)/.exec(outcome.detail)?.[1];
  const record = id && server.records().find((r) => r.requestId === id && r.level >= 50);
  if (!record) return `${outcome.op}: ${outcome.kind} ${outcome.detail}`;
  const err = record.err as { type?: string; message?: string; code?: string; cause?: { code?: string; message?: string } } | undefined;
  const message = (err?.cause?.message ?? err?.message ?? '').replace(/\s+/g, ' ').slice(-200);
  return `${outcome.op}: ${outcome.kind}, HTTP ${outcome.status}; server log ${record.time}: ${record.msg} (${err?.cause?.code ?? err?.code ?? err?.type}: ${message})`;
}

/** The server's own view: its three slowest requests (ms), from its request log lines. */
const slowest = (server: Server) =>
  server
    .records()
    .filter((r) => r.msg === 'request')
    .map((r) => Number(r.ms))
    .sort((a, b) => b - a)
    .slice(0, 3);

/** The unhandled promise rejections the server logged, as the first lines of their stacks. */
const unhandledRejections = (server: Server) =>
  server
    .records()
    .filter((r) => r.msg === 'unhandled promise rejection')
    .map((r) => String((r.err as { stack?: string } | undefined)?.stack).split('\n').slice(0, 3).join(' | '));

/** Waits (at most `timeoutMs`) for the server to print its address. */
const listening = (server: Server, timeoutMs: number) => serverAddress(server, timeoutMs, () => `${server.notable()}\n${server.stdout().slice(-3_000)}`);

async function startServer(databaseUrl: string): Promise<Server & { url: string }> {
  const server = launch(databaseUrl);
  return Object.assign(server, { url: await listening(server, 60_000) });
}

/** SIGTERM; the exit, or null if still running after 20 s (DESIGN: within 20 s). */
async function stop(server: Server): Promise<Exit | null> {
  server.process.kill('SIGTERM');
  return within(server, 20_000);
}

// ---------------------------------------------------------------------------
// Responses: a success, a masked error, or a failure of the test

type Kind = 'success' | 'masked' | 'bad';

interface Outcome {
  op: string;
  kind: Kind;
  status: number | null;
  detail: string;
  start: number;
  end: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** What must never reach a client: driver messages, network errors, SQL. */
const LEAK = /postgres|ECONNREFUSED|ECONNRESET|terminating connection|SQLSTATE|Failed query|\bselect\b|\binsert\b|\bupdate\b|\bfrom\b|drizzle|\bat .*\.[jt]s:\d+/i;

/** Exactly { message: "Unexpected error.", extensions: { code: INTERNAL_SERVER_ERROR, requestId: <uuid> } }, with locations/path allowed. */
function isMasked(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { message, extensions, locations, path, ...rest } = error as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || message !== 'Unexpected error.') return false;
  if (locations !== undefined && !Array.isArray(locations)) return false;
  if (path !== undefined && !Array.isArray(path)) return false;
  if (!extensions || typeof extensions !== 'object') return false;
  const { code, requestId, ...more } = extensions as Record<string, unknown>;
  return Object.keys(more).length === 0 && code === 'INTERNAL_SERVER_ERROR' && typeof requestId === 'string' && UUID.test(requestId);
}

function classify(status: number, text: string): { kind: Kind; detail: string } {
  let body: { data?: unknown; errors?: unknown[] };
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'bad', detail: `HTTP ${status}, not JSON: ${text.slice(0, 300)}` };
  }
  const errors = body.errors ?? [];
  if (errors.length === 0) {
    const data = JSON.stringify(body.data ?? null);
    if (status === 200 && body.data && !/"userErrors":\[\{/.test(data)) return { kind: 'success', detail: '' };
    return { kind: 'bad', detail: `HTTP ${status} without errors: ${data.slice(0, 300)}` };
  }
  const shown = JSON.stringify(errors);
  if ((status === 200 || status === 500) && errors.every(isMasked) && !LEAK.test(shown)) {
    return { kind: 'masked', detail: `requestId ${(errors[0] as { extensions: { requestId: string } }).extensions.requestId}` };
  }
  return { kind: 'bad', detail: `HTTP ${status}, not masked: ${shown.slice(0, 500)}` };
}

/** A request without an answer after this long is a failure (the outage lasts about 2 s). */
const REQUEST_TIMEOUT_MS = 10_000;
/** Like an orchestrator's probe timeout. */
const PROBE_TIMEOUT_MS = 2_000;

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  return `${e.name}: ${e.message}${e.cause ? ` (cause: ${e.cause.code ?? ''} ${e.cause.message ?? ''})` : ''}`;
}

interface Op {
  name: string;
  query: string;
  variables(): Record<string, unknown>;
}

async function send(url: string, key: string, op: Op): Promise<Outcome> {
  const started = now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: op.query, variables: op.variables() }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    return { op: op.name, status: response.status, ...classify(response.status, text), start: started, end: now() };
  } catch (error) {
    return { op: op.name, kind: 'bad', status: null, detail: `no HTTP response: ${describeError(error)}`, start: started, end: now() };
  }
}

/** `clients` loops, each sending the ops in turn, until `durationMs` has passed or `maxRequests` were sent. */
async function runLoad(options: { url: string; key: string; ops: Op[]; clients: number; durationMs: number; maxRequests: number }): Promise<Outcome[]> {
  const { url, key, ops, clients, durationMs, maxRequests } = options;
  const outcomes: Outcome[] = [];
  const until = now() + durationMs;
  let sent = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = client; now() < until && sent < maxRequests; i++) {
        sent++;
        const outcome = await send(url, key, ops[i % ops.length]!);
        outcomes.push(outcome);
        // A real client backs off a little after a failure; it also bounds the request count during an outage.
        if (outcome.kind !== 'success') await sleep(25);
      }
    }),
  );
  return outcomes;
}

function tally(outcomes: Outcome[], t0: number) {
  const count = (kind: Kind) => outcomes.filter((o) => o.kind === kind).length;
  const byOp: Record<string, string> = {};
  for (const op of new Set(outcomes.map((o) => o.op))) {
    const mine = outcomes.filter((o) => o.op === op);
    byOp[op] = `${mine.length} (${mine.filter((o) => o.kind === 'success').length} ok, ${mine.filter((o) => o.kind === 'masked').length} masked)`;
  }
  const bad = outcomes.filter((o) => o.kind === 'bad');
  return {
    total: outcomes.length,
    successes: count('success'),
    masked: count('masked'),
    bad: bad.length,
    byOp,
    firstBad: bad.slice(0, 5).map((o) => `${o.op} sent at ${ms(o.start - t0)} ms, ended at ${ms(o.end - t0)} ms: ${o.detail}`),
  };
}

interface ReadySample {
  start: number;
  end: number;
  status: number | null;
  body: string;
}

async function probeReady(url: string): Promise<ReadySample> {
  const started = now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { start: started, end: now(), status: response.status, body: await response.text() };
  } catch (error) {
    return { start: started, end: now(), status: null, body: describeError(error) };
  }
}

/** Probes GET /ready every `everyMs` (each probe on its own, bounded like an orchestrator's) until stopped. */
function sampleReady(url: string, everyMs: number) {
  const probes: Promise<ReadySample>[] = [];
  const timer = setInterval(() => probes.push(probeReady(url)), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      return Promise.all(probes);
    },
  };
}

// ---------------------------------------------------------------------------
// The operations of the load

interface Fixture {
  url: string;
  adminKey: string;
  accountId: string;
  workspaceId: string;
  modelIds: string[];
}

function operations(f: Fixture, options: { heavy: boolean }): Op[] {
  let n = 0;
  const pick = () => f.modelIds[n++ % f.modelIds.length]!;
  const ops: Op[] = [
    {
      name: 'model',
      query: 'query M($id: ID!) { model(id: $id) { id metadata { name labels { key value } } spec { provider family status } } }',
      variables: () => ({ id: pick() }),
    },
    {
      name: 'workspace.models',
      query:
        'query W($ws: ID!) { workspace(id: $ws) { id models(first: 20) { totalCount nodes { id metadata { name } spec { provider family status } } } } }',
      variables: () => ({ ws: f.workspaceId }),
    },
    {
      name: 'setModelStatus',
      query: 'mutation S($input: SetModelStatusInput!) { setModelStatus(input: $input) { model { id spec { status } } userErrors { code message } } }',
      variables: () => ({ input: { id: pick(), status: n % 2 ? 'MODEL_STATUS_ENABLED' : 'MODEL_STATUS_DISABLED' } }),
    },
  ];
  if (!options.heavy) return ops;
  return [
    ...ops,
    {
      // Big pages down nested connections: statements that stay open long enough to be hit.
      name: 'workspaces.models(100)',
      query: `{ workspaces(first: 20) { totalCount nodes { id name models(first: 100, orderBy: { field: NAME, direction: DESC }) {
        totalCount edges { cursor node { id metadata { name labels { key value } } spec { provider family status } workspace { id name } } } } } } }`,
      variables: () => ({}),
    },
    {
      name: 'createWorkspace',
      query: 'mutation C($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id models { totalCount } } userErrors { code message } } }',
      variables: () => ({ input: { name: `Faults ${process.pid}-${Date.now()}-${n++}` } }),
    },
  ];
}

// ---------------------------------------------------------------------------

describe.skipIf(testTarget().kind !== 'postgres')('database faults (a private PostgreSQL cluster)', () => {
  let cluster: PgCluster;
  let fixture: Fixture;

  beforeAll(async () => {
    const started = now();
    cluster = await createCluster();
    await cluster.createDatabase(DATABASE);
    const url = cluster.url(DATABASE);
    const handle = await openDatabase({ kind: 'postgres', url });
    try {
      const account = unwrap(await createAccount(handle.db, { name: 'Faults' }));
      const { workspace } = unwrap(
        await createWorkspace(handle.db, { accountId: account.accountId, profileId: account.profileId, name: 'Faults workspace' }),
      );
      const rows = await handle.db.select({ id: models.id }).from(models).where(eq(models.workspaceId, workspace.id));
      fixture = { url, adminKey: account.apiKey, accountId: account.accountId, workspaceId: workspace.id, modelIds: rows.map((r) => r.id) };
    } finally {
      await handle.close();
    }
    expect(fixture.modelIds.length).toBeGreaterThanOrEqual(15);
    console.log(`private PostgreSQL cluster on 127.0.0.1:${cluster.port} ready in ${ms(now() - started)} ms`);
  });

  afterEach(killAll);
  afterAll(async () => {
    killAll();
    await cluster?.destroy();
  });

  it('keeps serving through a database restart under load: masked errors only, back within 5 s', async () => {
    const server = await startServer(fixture.url);
    const ready = sampleReady(server.url.replace(/\/graphql$/, '/ready'), 100);
    const t0 = now();
    const load = runLoad({ url: server.url, key: fixture.adminKey, ops: operations(fixture, { heavy: false }), clients: 8, durationMs: 12_000, maxRequests: 20_000 });

    await sleep(3_000);
    const stopping = now();
    await cluster.stop();
    const stopped = now();
    await sleep(2_000);
    await cluster.start({ wait: false });
    let back = Number.NaN;
    while (now() - stopped < 30_000) {
      if (await cluster.isReady()) {
        back = now();
        break;
      }
      await sleep(25);
    }
    const outcomes = await load;
    const samples = await ready.stop();
    const readyAfter = await probeReady(server.url.replace(/\/graphql$/, '/ready'));

    const figures = tally(outcomes, t0);
    const firstSuccessAfter = outcomes.filter((o) => o.kind === 'success' && o.end > back).sort((a, b) => a.end - b.end)[0];
    const recoveryMs = firstSuccessAfter ? ms(firstSuccessAfter.end - back) : null;
    const lateFailures = outcomes.filter((o) => o.kind !== 'success' && o.start > back + 5_000);
    const during = samples.filter((s) => s.start >= stopped && s.start < back);
    console.log('restart under load:', {
      ...figures,
      timelineMs: { stopIssued: ms(stopping - t0), stopped: ms(stopped - t0), back: ms(back - t0), firstSuccessAfter: firstSuccessAfter && ms(firstSuccessAfter.end - t0) },
      stopTookMs: ms(stopped - stopping),
      outageMs: ms(back - stopping),
      databaseBackAtMs: ms(back - t0),
      recoveryMs,
      failuresStartedMoreThan5sAfterBack: lateFailures.length,
      readySamples: samples.length,
      readyDuringOutage: during.map((s) => s.status ?? 'none').join(','),
      ready503Body: during.find((s) => s.status === 503)?.body,
      readyAfter: readyAfter.status,
      unhandledRejectionsLogged: unhandledRejections(server).length,
      slowestRequestsLoggedMs: slowest(server),
    });

    expect(Number.isNaN(back), `the private cluster did not come back:\n${cluster.log().slice(-2_000)}`).toBe(false);
    expect.soft(server.exit(), server.notable()).toBeNull();
    expect.soft(unhandledRejections(server), 'unhandled promise rejections in the server').toEqual([]);
    expect.soft(figures.firstBad, server.notable()).toEqual([]);
    expect.soft(figures.masked, 'the outage produced no masked error: it was not exercised').toBeGreaterThan(0);
    expect.soft(recoveryMs, server.notable()).not.toBeNull();
    expect.soft(recoveryMs!).toBeLessThanOrEqual(5_000);
    expect.soft(lateFailures.slice(0, 5).map((o) => causeOf(server, o))).toEqual([]);
    // /ready: 503 while the database is away, 200 after; always an HTTP answer, never a driver message.
    expect.soft(samples.filter((s) => s.status !== 200 && s.status !== 503).map((s) => `/ready probe sent at ${ms(s.start - t0)} ms: ${s.body}`)).toEqual([]);
    expect.soft(during.some((s) => s.status === 503), `no 503 from /ready during the outage: ${JSON.stringify(during).slice(0, 1_000)}`).toBe(true);
    expect.soft(readyAfter.status).toBe(200);
    expect.soft(samples.filter((s) => LEAK.test(s.body)).map((s) => `${s.status}: ${s.body}`).slice(0, 3), '/ready body leaks a driver message').toEqual([]);

    expect.soft(await stop(server), server.notable()).toEqual({ code: 0, signal: null });
  });

  it('survives backends terminated mid-request (pg_terminate_backend), then serves 20 requests in a row', async () => {
    const server = await startServer(fixture.url);
    const ops = operations(fixture, { heavy: true });
    const t0 = now();
    const load = runLoad({ url: server.url, key: fixture.adminKey, ops, clients: 8, durationMs: 4_500, maxRequests: 10_000 });

    // Every 200 ms for 3 s, from a connection of our own: terminate every backend of the
    // database. Every other round first takes an ACCESS EXCLUSIVE lock on models for
    // 100 ms, so the server's statements are caught while open (waiting on the lock).
    const admin = postgres(fixture.url, { max: 1, onnotice: () => {} });
    type Row = { pid: number; waiting: boolean; terminated: boolean };
    const terminate = (sql: postgres.Sql | postgres.TransactionSql) => sql<Row[]>`
      select pid, wait_event_type is not distinct from 'Lock' as waiting, pg_terminate_backend(pid) as terminated
      from pg_stat_activity
      where datname = ${DATABASE} and pid <> pg_backend_pid() and backend_type = 'client backend'`;
    let rounds = 0;
    let terminated = 0;
    let midStatement = 0;
    const gone = new Set<number>();
    const count = (rows: Row[]) => {
      terminated += rows.filter((r) => r.terminated).length;
      midStatement += rows.filter((r) => r.terminated && r.waiting).length;
      for (const r of rows) if (r.terminated) gone.add(r.pid);
    };
    try {
      await sleep(500);
      const until = now() + 3_000;
      while (now() < until) {
        const round = now();
        if (rounds++ % 2 === 0) {
          await admin.begin(async (tx) => {
            await tx`lock table models in access exclusive mode`;
            await sleep(100);
            count(await terminate(tx));
          });
        } else {
          count(await terminate(admin));
        }
        await sleep(Math.max(0, 200 - (now() - round)));
      }
      // pg_terminate_backend only signals: the terminations have stopped once those backends are gone.
      const deadline = now() + 5_000;
      const alive = async () => (await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where pid = any(${[...gone]}::int[])`)[0]!.n;
      while (now() < deadline && (await alive()) > 0) {
        await sleep(10);
      }
    } finally {
      await admin.end({ timeout: 1 });
    }

    // Right after the terminations: 20 requests in a row, every one a success.
    const after: Outcome[] = [];
    for (let i = 0; i < 20; i++) after.push(await send(server.url, fixture.adminKey, ops[i % ops.length]!));
    const outcomes = await load;

    const figures = tally(outcomes, t0);
    const records = server.records();
    console.log('backends terminated mid-request:', {
      ...figures,
      rounds,
      backendsTerminated: terminated,
      terminatedWhileWaitingOnLock: midStatement,
      unexpectedErrorsLogged: records.filter((r) => r.msg === 'unexpected error').length,
      unhandledRejectionsLogged: unhandledRejections(server).length,
      slowestRequestsLoggedMs: slowest(server),
      after: after.map((o) => o.kind[0]).join(''),
    });

    expect.soft(server.exit(), server.notable()).toBeNull();
    expect.soft(unhandledRejections(server), 'unhandled promise rejections in the server').toEqual([]);
    expect.soft(terminated, 'no backend was terminated: the fault was not exercised').toBeGreaterThan(0);
    expect.soft(figures.firstBad, server.notable()).toEqual([]);
    expect.soft(after.filter((o) => o.kind !== 'success').map((o) => causeOf(server, o)), 'the 20 requests after the terminations').toEqual([]);
    expect.soft(await stop(server), server.notable()).toEqual({ code: 0, signal: null });
  });

  it('waits for the database when started while it is down, saying so, then serves and stops cleanly', async () => {
    await cluster.stop();
    const server = launch(fixture.url);
    const launched = now();
    const retrying = () => server.records().filter((r) => r.msg === 'database not reachable yet; retrying');
    while (retrying().length === 0 && now() - launched < 10_000 && !server.exit()) await sleep(50);
    const firstLineMs = ms(now() - launched);
    expect(retrying()[0], `no retry line:\n${server.stdout().slice(0, 2_000)}\n${server.notable()}`).toMatchObject({
      level: 40,
      msg: 'database not reachable yet; retrying',
      attempt: 1,
      retryInMs: expect.any(Number),
      reason: expect.any(String),
    });
    expect(firstLineMs).toBeLessThan(5_000);
    await sleep(1_500); // still waiting, not gone
    expect(server.exit(), server.notable()).toBeNull();
    expect(server.stdout()).not.toMatch(/GraphiQL at/);

    await cluster.start();
    const databaseBack = now();
    const url = await listening(server, 15_000);
    const listenedMs = ms(now() - databaseBack);
    const response = await send(url, fixture.adminKey, { name: 'viewer', query: '{ viewer { role accountId } }', variables: () => ({}) });
    console.log('start while the database is down:', {
      firstRetryLineMs: firstLineMs,
      retryLines: retrying().length,
      retryLine: retrying()[0],
      listenedAfterDatabaseBackMs: listenedMs,
      firstRequest: response.kind,
    });
    expect(response, server.notable()).toMatchObject({ kind: 'success', status: 200 });
    expect(await stop(server), server.notable()).toEqual({ code: 0, signal: null });
  });
});
