/**
 * Live status changes through a PostgreSQL restart: two server processes on
 * a PRIVATE cluster (test/pg-cluster.ts, so stopping it disturbs no other
 * test file), subscribers over SSE and graphql-ws on each. The database stops
 * and starts again; the processes must stay up (same pids, still answering),
 * LISTEN again and say so in their log, and deliver the changes made after
 * the restart to the subscribers that stayed connected, and to new ones.
 *
 * PostgreSQL only: embedded PGlite has no server to restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTarget } from './helpers.ts';
import { graphql, subscribe, until, type Subscriber, type Transport } from './live-clients.ts';
import { auditTrail, byModel, createLiveTenant, prime, startLiveServer, statusFlipper, type LiveServer, type LiveTenant } from './live-servers.ts';
import { createCluster, type PgCluster } from './pg-cluster.ts';
import { killAll } from './processes.ts';

const ms = (value: number) => Math.round(value);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What a server logs when its listening connection is back after losing it (src/domain/live.ts). */
const RESUBSCRIBED = /resubscribed/i;

/** `attempt` until it succeeds (the pool reconnects after a restart), at most `timeoutMs`. */
async function soon<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(25);
    }
  }
}

describe.skipIf(testTarget().kind !== 'postgres')('live updates through a PostgreSQL restart (a private cluster; skipped on PGlite: no server to restart)', () => {
  let cluster: PgCluster;
  let databaseUrl: string;
  let owner: LiveTenant;
  let servers: LiveServer[] = [];
  const subscribers: Subscriber[] = [];
  /** Which process each subscriber is on, and when it joined, for failure messages. */
  const where = new Map<Subscriber, string>();
  const flip = statusFlipper();

  beforeAll(async () => {
    cluster = await createCluster();
    await cluster.createDatabase('live_restart');
    databaseUrl = cluster.url('live_restart');
    owner = await createLiveTenant(databaseUrl, 'Live restart');
    servers = await Promise.all([startLiveServer(databaseUrl), startLiveServer(databaseUrl)]);
  });

  afterAll(async () => {
    subscribers.forEach((s) => s.close());
    await Promise.all(servers.map((s) => s.stop()));
    killAll();
    await cluster?.destroy();
  });

  const open = (transport: Transport, server: LiveServer, when: string) => {
    const subscriber = subscribe(transport, { url: server.url, key: owner.adminKey, workspaceId: owner.workspaceId });
    subscribers.push(subscriber);
    where.set(subscriber, `${transport} subscriber on ${server === servers[0] ? 'A' : 'B'}, ${when}`);
    return subscriber;
  };
  const explain = () => `${servers.map((s) => s.notable()).join('\n')}\nPostgreSQL's log:\n${cluster.log().slice(-1_500)}`;
  const answers = async (server: LiveServer) => {
    const { status, body } = await graphql(server.url, owner.adminKey, '{ viewer { accountId } }').catch(() => ({ status: 0, body: {} as { data?: unknown } }));
    return status === 200 && JSON.stringify(body) === JSON.stringify({ data: { viewer: { accountId: owner.accountId } } });
  };

  it('keeps the processes and their subscribers through the restart, and delivers the changes made after it', async () => {
    const [a, b] = servers as [LiveServer, LiveServer];
    const pids = servers.map((s) => s.pid);
    const [primer, afterPrimer, earlyModel, ...later] = owner.modelIds.slice(0, 7) as [string, string, string, ...string[]];
    const measured = [earlyModel, ...later];
    const stayed = [open('sse', a, 'stayed'), open('ws', a, 'stayed'), open('sse', b, 'stayed'), open('ws', b, 'stayed')];
    await prime(stayed, primer, () => flip(b, owner, primer), explain);
    const resubscribedBefore = servers.map((s) => s.records().filter((r) => RESUBSCRIBED.test(r.msg)).length);

    const stopping = performance.now();
    await cluster.stop();
    await sleep(1_000);
    await cluster.start();
    const back = performance.now();
    const backAt = Date.now();
    // A change as soon as the database answers again: it may commit before a process LISTENs again,
    // and then reaches its subscribers only by the catch-up from the audit trail (src/domain/live.ts).
    const early = { requestId: await soon(() => flip(a, owner, earlyModel), 10_000), sent: back };
    const earlyMs = ms(performance.now() - back);

    // Both processes LISTEN again and log it, and answer queries; none exited.
    const resubscribed = await until(
      () => servers.every((s, i) => s.records().filter((r) => RESUBSCRIBED.test(r.msg)).length > resubscribedBefore[i]!),
      20_000,
    );
    // When each process logged it (its log's own clock), from the database's being back.
    const resubscribedMs = servers.map((s, i) => Date.parse(String(s.records().filter((r) => RESUBSCRIBED.test(r.msg))[resubscribedBefore[i]!]?.time)) - backAt);
    expect(resubscribed, `no "resubscribed" log line from each process within 20 s of the restart:\n${explain()}`).toBe(true);
    expect(await until(async () => (await Promise.all(servers.map(answers))).every(Boolean), 10_000), explain()).toBe(true);
    expect(servers.map((s) => s.exit())).toEqual([null, null]);
    expect(servers.map((s) => s.pid)).toEqual(pids);
    for (const pid of pids) expect(() => process.kill(pid, 0), `process ${pid} is gone`).not.toThrow();

    // New subscribers on both processes, then changes on both processes.
    const joined = [open('ws', a, 'joined after the restart'), open('sse', b, 'joined after the restart')];
    await prime(joined, afterPrimer, () => flip(a, owner, afterPrimer), explain);
    const changes = [early];
    for (const [i, modelId] of later.entries()) {
      const sent = performance.now();
      changes.push({ requestId: await flip(servers[i % 2]!, owner, modelId), sent });
    }
    const everyone = [...stayed, ...joined];
    // A subscriber that joined after the early change may or may not get it (a process that reads it late
    // hands it to whoever follows the workspace then); the others must.
    const expectedBy = (s: Subscriber) => (joined.includes(s) ? { changes: changes.slice(1), models: later } : { changes, models: measured });
    await until(() => everyone.every((s) => expectedBy(s).changes.every((c) => s.events.some((e) => e.requestId === c.requestId))), 10_000);

    const trail = (await auditTrail(databaseUrl, owner.workspaceId)).filter((r) => measured.includes(r.modelId));
    expect(trail.map((r) => r.requestId)).toEqual(changes.map((c) => c.requestId));
    const latencies = everyone.map((s) => {
      const expected = expectedBy(s).changes;
      const received = expected.map((c) => s.events.find((e) => e.requestId === c.requestId)?.receivedAt);
      return received.every((at) => at !== undefined) ? ms(Math.max(...received.map((at, i) => at! - expected[i]!.sent))) : null;
    });
    console.log('PostgreSQL restart:', {
      outageMs: ms(back - stopping),
      firstChangeCommittedAfterBackMs: earlyMs,
      resubscribedLoggedAfterBackMs: resubscribedMs,
      resubscribedLines: servers.map((s) => s.records().filter((r) => RESUBSCRIBED.test(r.msg)).map((r) => r.msg)),
      slowestEventAfterTheRestartMs: latencies,
      earlyChangeReachedJoined: joined.map((s) => s.events.some((e) => e.requestId === early.requestId)),
    });
    for (const subscriber of everyone) {
      const which = where.get(subscriber);
      expect({ which, failures: subscriber.failures, errors: subscriber.errors }).toEqual({ which, failures: [], errors: [] });
      const { models } = expectedBy(subscriber);
      expect({ which, events: byModel(subscriber.events, models) }).toEqual({ which, events: byModel(trail, models) });
    }

    everyone.forEach((s) => s.close());
    expect(await Promise.all(servers.map((s) => s.stop())), explain()).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    servers = [];
  }, 120_000);
});
