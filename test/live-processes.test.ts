/**
 * Live status changes between server processes (DESIGN.md "Live updates and
 * history"): two real server processes on one PostgreSQL database (a scratch
 * database of this file's own), subscribers over GraphQL over SSE and over
 * graphql-ws on each, changes made on either. Events travel trigger → NOTIFY
 * → each process's LISTEN connection → its subscribers; what every subscriber
 * received is compared with the audit trail, in its commit order (seq).
 *
 * PostgreSQL only: embedded PGlite is one process (its events never leave it;
 * test/subscriptions.test.ts covers it in process).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTarget } from './helpers.ts';
import { readServer, subscribe, until, type Subscriber, type Transport } from './live-clients.ts';
import { auditTrail, byModel, createLiveTenant, prime, scratchDatabase, startLiveServer, statusFlipper, type LiveServer, type LiveTenant } from './live-servers.ts';
import { killAll } from './processes.ts';

const target = testTarget();
/** The PostgreSQL server of DATABASE_URL; this file makes a database of its own there. */
const serverUrl = target.kind === 'postgres' ? target.url : '';
const ms = (value: number) => Math.round(value);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * This process holds one socket per subscriber (1,000 at once, beside its
 * own): a soft limit on open files of 1,024, common by default, would fail
 * them with EMFILE. Read from /proc (Linux), where these tests run.
 */
function openFilesLimit(): number {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' || soft === undefined ? Number.POSITIVE_INFINITY : Number(soft);
}

/** Percentile of sorted values (nearest rank). */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

describe.skipIf(target.kind !== 'postgres')('live updates across two server processes on one PostgreSQL database (skipped on PGlite: one process only)', () => {
  let database: { url: string; drop(): Promise<void> };
  let a: LiveServer;
  let b: LiveServer;
  let owner: LiveTenant;
  let other: LiveTenant;
  const subscribers: Subscriber[] = [];

  const open = (transport: Transport, server: LiveServer, tenant: LiveTenant, workspaceId = tenant.workspaceId) => {
    const subscriber = subscribe(transport, { url: server.url, key: tenant.adminKey, workspaceId });
    subscribers.push(subscriber);
    return subscriber;
  };
  const closeAll = () => subscribers.splice(0).forEach((s) => s.close());

  const flip = statusFlipper();
  const primeOn = (listeners: Subscriber[], server: LiveServer, tenant: LiveTenant, modelId: string) =>
    prime(listeners, modelId, () => flip(server, tenant, modelId), () => `${a.notable()}\n${b.notable()}`);

  beforeAll(async () => {
    database = await scratchDatabase(serverUrl, `${decodeURIComponent(new URL(serverUrl).pathname.slice(1))}_live_processes`);
    owner = await createLiveTenant(database.url, 'Live owner');
    other = await createLiveTenant(database.url, 'Live other');
    expect(owner.modelIds.length).toBeGreaterThanOrEqual(15);
    // Pooled connections idle for 1 s close: the pool grows under the changes, and its sockets are handles too.
    const env = { DATABASE_IDLE_TIMEOUT: '1' };
    [a, b] = await Promise.all([startLiveServer(database.url, env), startLiveServer(database.url, env)]);
  });

  afterAll(async () => {
    closeAll();
    await Promise.all([a?.stop(), b?.stop()]);
    killAll();
    await database?.drop();
  });

  it('delivers a change made on one process to subscribers on the other within 1 s, over SSE and graphql-ws, and nothing to another account', async () => {
    const [primer, first, second] = [owner.modelIds[11]!, owner.modelIds[12]!, owner.modelIds[13]!];
    const mine = [open('sse', a, owner), open('ws', a, owner), open('sse', b, owner), open('ws', b, owner)];
    const theirs = [open('sse', a, other), open('ws', a, other), open('sse', b, other), open('ws', b, other)];
    // The other account, naming the owner's workspace: an error on either transport and process.
    const foreign = [open('sse', a, other, owner.workspaceId), open('ws', b, other, owner.workspaceId)];
    await primeOn(mine, b, owner, primer);
    await primeOn(theirs, a, other, other.modelIds[0]!);

    // On B, heard on A (and on B); then on A, heard on B (and on A).
    const changes: { on: string; requestId: string; sent: number }[] = [];
    for (const [server, modelId] of [[b, first], [a, second]] as const) {
      const sent = performance.now();
      const requestId = await flip(server, owner, modelId);
      changes.push({ on: server === a ? 'A' : 'B', requestId, sent });
      await until(() => mine.every((s) => s.events.some((e) => e.requestId === requestId)), 5_000);
    }
    await sleep(300); // anything stray would have arrived by now

    const latencies = changes.flatMap(({ on, requestId, sent }) =>
      mine.map((s, i) => {
        const event = s.events.find((e) => e.requestId === requestId);
        return { change: `made on ${on}`, subscriber: `${s.transport} on ${i < 2 ? 'A' : 'B'}`, ms: event ? ms(event.receivedAt - sent) : null };
      }),
    );
    console.log('from the mutation sent to the event received:', latencies);
    expect(latencies.filter((l) => l.ms === null || l.ms > 1_000), `${a.notable()}\n${b.notable()}`).toEqual([]);

    const trail = await auditTrail(database.url, owner.workspaceId);
    const measured = [first, second];
    expect(trail.filter((r) => measured.includes(r.modelId)).map((r) => r.requestId)).toEqual(changes.map((c) => c.requestId));
    for (const subscriber of mine) {
      expect({ failures: subscriber.failures, errors: subscriber.errors }).toEqual({ failures: [], errors: [] });
      expect(byModel(subscriber.events, measured)).toEqual(byModel(trail, measured));
      for (const event of subscriber.events) {
        expect(event.status, 'the model as it was just after the change').toBe(event.to);
        expect(event.profileId).toBe(owner.profileId);
        expect(Number.isNaN(Date.parse(event.at))).toBe(false);
      }
    }
    // The other account heard its own change, and none of the owner's.
    for (const subscriber of theirs) {
      expect({ failures: subscriber.failures, errors: subscriber.errors }).toEqual({ failures: [], errors: [] });
      expect(subscriber.events.map((e) => e.modelId)).toEqual([other.modelIds[0]]);
    }
    for (const subscriber of foreign) {
      expect(subscriber.events, `${subscriber.transport}: events of a foreign workspace`).toEqual([]);
      expect(subscriber.errors.map((e) => e.extensions?.code), `${subscriber.transport}: ${JSON.stringify(subscriber.failures)}`).toEqual(['NOT_FOUND']);
    }
    closeAll();
  });

  it('delivers 100 concurrent changes, made on both processes, to each of 1,000 subscribers in commit order, and lets them all go', async () => {
    const SUBSCRIBERS = 1_000;
    expect(openFilesLimit(), 'raise the limit on open files (ulimit -n) to 4096 or more: this test opens 1,000 sockets at once').toBeGreaterThanOrEqual(SUBSCRIBERS + 500);
    const MODELS = 10;
    const CHANGES_PER_MODEL = 10;
    const primer = owner.modelIds[0]!;
    const measured = owner.modelIds.slice(1, 1 + MODELS);
    const servers = [a, b];
    const started = performance.now();

    // Before: the earlier test's subscribers are gone, the servers have served both transports once.
    await settled(servers, null);
    const before = await Promise.all(servers.map((s) => s.reading()));

    const placement = (i: number) => ({ transport: (['sse', 'ws'] as const)[i % 2]!, server: servers[(i >> 1) % 2]! });
    const crowd = Array.from({ length: SUBSCRIBERS }, (_, i) => open(placement(i).transport, placement(i).server, owner));
    await primeOn(crowd, a, owner, primer);
    const opened = performance.now();
    const withOpen = await Promise.all(servers.map((s) => s.reading()));

    // 10 models × 10 changes: each model's changes one after another, alternating processes; the models at once.
    const sent = new Map<string, number>();
    await Promise.all(
      measured.map(async (modelId, m) => {
        for (let k = 0; k < CHANGES_PER_MODEL; k++) {
          const at = performance.now();
          sent.set(await flip(servers[(m + k) % 2]!, owner, modelId), at);
        }
      }),
    );
    const changed = performance.now();
    const count = (s: Subscriber) => s.events.filter((e) => e.modelId !== primer).length;
    const all = MODELS * CHANGES_PER_MODEL;
    await until(() => crowd.every((s) => count(s) >= all), 30_000);
    const delivered = performance.now();

    const trail = (await auditTrail(database.url, owner.workspaceId)).filter((r) => measured.includes(r.modelId));
    expect(trail).toHaveLength(all);
    const expected = byModel(trail, measured);
    const wrong = crowd.flatMap((s, i) => {
      const got = byModel(s.events, measured);
      const right = count(s) === all && s.failures.length === 0 && s.errors.length === 0 && JSON.stringify(got) === JSON.stringify(expected);
      return right ? [] : [{ subscriber: i, transport: s.transport, server: placement(i).server === a ? 'A' : 'B', events: count(s), failures: s.failures, errors: s.errors, got }];
    });
    const latencies = crowd
      .flatMap((s) => s.events.filter((e) => sent.has(e.requestId ?? '')).map((e) => e.receivedAt - sent.get(e.requestId!)!))
      .sort((x, y) => x - y);

    closeAll();
    const closed = performance.now();
    const openSubscriptions = await settled(servers, before);
    const after = await Promise.all(servers.map((s) => s.reading()));
    const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
    console.log('1,000 subscribers × 100 changes:', {
      subscribers: `${SUBSCRIBERS} (${SUBSCRIBERS / 4} each of SSE and graphql-ws on each process)`,
      openAndPrimedMs: ms(opened - started),
      changesMs: ms(changed - opened),
      allDeliveredMs: ms(delivered - opened),
      eventLatencyMs: { p50: ms(percentile(latencies, 50)), p99: ms(percentile(latencies, 99)), max: ms(latencies.at(-1)!), events: latencies.length },
      settledAfterCloseMs: ms(performance.now() - closed),
      openSubscriptionsGauge: openSubscriptions,
      servers: servers.map((_, i) => ({
        handles: `${before[i]!.handles} → ${withOpen[i]!.handles} → ${after[i]!.handles}`,
        openFds: `${before[i]!.openFds} → ${withOpen[i]!.openFds} → ${after[i]!.openFds}`,
        heapMb: `${mb(before[i]!.heapUsedBytes)} → ${mb(withOpen[i]!.heapUsedBytes)} → ${mb(after[i]!.heapUsedBytes)}`,
        rssMb: `${mb(before[i]!.rssBytes)} → ${mb(withOpen[i]!.rssBytes)} → ${mb(after[i]!.rssBytes)}`,
      })),
    });

    expect(wrong.length, `expected, per model: ${JSON.stringify(expected)}\nfirst wrong: ${JSON.stringify(wrong.slice(0, 2))}`).toBe(0);
    for (const [i, server] of servers.entries()) {
      const [was, with_, now] = [before[i]!, withOpen[i]!, after[i]!];
      // Each subscriber held a socket (a handle and a descriptor) on one process: half of them per process.
      expect(with_.handles - was.handles, 'the open subscribers were not there to be counted').toBeGreaterThanOrEqual(SUBSCRIBERS / 2 - 10);
      expect(now.handles, server.notable()).toBeLessThanOrEqual(was.handles + 4);
      expect(now.openFds).toBeLessThanOrEqual(was.openFds + 4);
      // After a full collection, the heap is back: within a tenth of what the subscribers took, or 4 MB.
      expect(now.heapUsedBytes - was.heapUsedBytes).toBeLessThanOrEqual(Math.max(4 * 2 ** 20, (with_.heapUsedBytes - was.heapUsedBytes) / 10));
      // The server's own count (live_subscribers on /metrics): every one of them while open, none after.
      expect([was.openSubscriptions, with_.openSubscriptions, now.openSubscriptions]).toEqual([0, SUBSCRIBERS / 2, 0]);
      expect(server.exit()).toBeNull();
    }
    expect(performance.now() - started, 'the test should stay under a minute').toBeLessThan(60_000);
  }, 120_000);
});

/**
 * Waits (at most 15 s) until the servers let go of closed subscribers: their
 * gauge of open subscriptions at 0 when they have one, and their handles back
 * to `before` (idle keep-alive sockets included: the server closes them after
 * 5 s) or, without `before`, steady. Returns the gauges.
 */
async function settled(servers: LiveServer[], before: { handles: number }[] | null): Promise<(number | null)[]> {
  let last: number[] = [];
  let readings = await Promise.all(servers.map((s) => readServer(s.origin)));
  await until(async () => {
    readings = await Promise.all(servers.map((s) => readServer(s.origin)));
    const handles = readings.map((r) => r.handles);
    const steady = before ? handles.every((h, i) => h <= before[i]!.handles + 4) : JSON.stringify(handles) === JSON.stringify(last);
    last = handles;
    if (!steady) await sleep(250);
    return steady && readings.every((r) => (r.openSubscriptions ?? 0) === 0);
  }, 15_000);
  return readings.map((r) => r.openSubscriptions);
}
