/**
 * The fan-out scenario of `npm run bench` (BENCH_SCENARIOS name "fan-out"):
 * two processes of our production build on the bench's database, N open
 * subscriptions to one workspace's status changes (GraphQL over SSE and
 * graphql-ws, half each, spread over both processes), and changes made with
 * setModelStatus on both processes, in two phases: K changes one at a time
 * (each sent once everyone has the previous one: the cost of fanning one
 * change out), then M changes in a burst (ten models at once, each model's
 * changes back to back: the processes saturated). It reports absolute
 * figures, not ratios (no baseline serves subscriptions):
 * - delivery latency of each phase, from just before each mutation is sent,
 *   and from the change's `at` (its transaction's time in PostgreSQL), to its
 *   receipt at each subscriber: p50, p99, max over every (change, subscriber);
 * - memory per open subscription: each process's RSS and heap (after a full
 *   garbage collection, test/gc-probe.mjs) with its subscriptions open,
 *   minus before they opened, over their number; and the same after they
 *   all closed (back to the baseline or not).
 *
 *   BENCH_FANOUT_SUBSCRIBERS (1,000), BENCH_FANOUT_CHANGES (M, 100), BENCH_FANOUT_ONE_AT_A_TIME (K, 20)
 *
 * The subscribers are this process's clients (test/live-clients.ts), on the
 * same machine: their own reading of the events is inside the figures.
 */
import postgres from 'postgres';
import {
  collectGarbage,
  GC_PROBE_ARGS,
  opposite,
  readServer,
  setModelStatus,
  subscribe,
  until,
  type ModelStatus,
  type ServerReading,
  type Subscriber,
  type Transport,
} from '../test/live-clients.ts';
import type { BenchData } from './scenarios.ts';
import { startBuilt, type RunningServer } from './servers.ts';

export const FAN_OUT = 'fan-out';
export const FAN_OUT_SUBSCRIBERS = Number(process.env.BENCH_FANOUT_SUBSCRIBERS || 1_000);
export const FAN_OUT_CHANGES = Number(process.env.BENCH_FANOUT_CHANGES || 100);
export const FAN_OUT_ONE_AT_A_TIME = Number(process.env.BENCH_FANOUT_ONE_AT_A_TIME || 20);
/** The changes go to this many models at once, each model's one after another (so each is a real change). */
const MODELS = 10;
/** Every change must reach every subscriber within this long, or the run reports what is missing. */
const DELIVERY_TIMEOUT_MS = 60_000;

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

interface Memory {
  /** Each process's /metrics after a full garbage collection. */
  before: ServerReading[];
  /** With the SSE half of the subscriptions open. */
  withSse: ServerReading[];
  withOpen: ServerReading[];
  afterClose: ServerReading[];
}

/** One phase of changes and what the subscribers received of them. */
export interface FanOutPhase {
  changes: number;
  /** Events every subscriber should have received (subscribers × changes), and those that never came. */
  expectedEvents: number;
  missingEvents: number;
  /** From just before the mutation was sent to the event's receipt, in ms. */
  latencyFromSendMs: Percentiles;
  /** From the change's `at` (its transaction's time) to the event's receipt, in ms (1 ms resolution). */
  latencyFromCommitMs: Percentiles;
  /** From the first mutation sent: all changes made, and all of them received by everyone, in ms. */
  changesMs: number;
  deliveredMs: number;
}

export interface FanOutResult {
  subscribers: number;
  processes: number;
  /** Each change sent once every subscriber has the previous one. */
  oneAtATime: FanOutPhase;
  /** Ten models at once, each model's changes back to back. */
  burst: FanOutPhase;
  /** Subscribers that reported an error or a failure (their first one is in `firstFailure`). */
  failedSubscribers: number;
  firstFailure: string | null;
  /** Open and primed (every subscriber heard a first change), in ms. */
  openMs: number;
  /** (with open − before) over both processes ÷ subscriptions, in bytes; the heap also per transport (SSE opened first, then WebSocket). */
  perSubscription: { rssBytes: number; heapBytes: number; sseHeapBytes: number; wsHeapBytes: number };
  /** (after close − before), summed over the processes, in bytes: 0 is "back to the baseline". */
  afterCloseAboveBaseline: { rssBytes: number; heapBytes: number; handles: number };
  memory: Memory;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentiles(values: number[]): Percentiles {
  const sorted = values.toSorted((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(at(50)), p99: round(at(99)), max: round(at(100)) };
}

/** The workspace the subscribers watch: the first ordinary one, with its models' ids and current statuses. */
async function workspaceOf(databaseUrl: string, data: BenchData) {
  const account = data.accounts[0]!;
  const workspaceId = account.workspaceIds[0]!;
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ id: string; status: ModelStatus }[]>`
      select id, status from models where workspace_id = ${workspaceId} and status <> 'MODEL_STATUS_UNSPECIFIED' order by id limit ${MODELS + 1}`;
    if (rows.length < MODELS + 1) throw new Error(`fan-out: workspace ${workspaceId} has ${rows.length} models, ${MODELS + 1} needed`);
    return { key: account.adminKey, workspaceId, models: rows };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Both processes' readings after a full garbage collection in each. */
const readAll = (servers: RunningServer[]) =>
  Promise.all(
    servers.map(async (server) => {
      await collectGarbage(server.pid, server.output);
      return readServer(server.origin);
    }),
  );

/** Waits (at most 15 s) until each process's handles are back to `before` (+4: idle keep-alive sockets close after 5 s). */
async function settle(servers: RunningServer[], before: ServerReading[]): Promise<void> {
  await until(async () => {
    const now = await Promise.all(servers.map((s) => readServer(s.origin)));
    const back = now.every((r, i) => r.handles <= before[i]!.handles + 4 && (r.openSubscriptions ?? 0) === 0);
    if (!back) await sleep(250);
    return back;
  }, 15_000);
}

export async function fanOut(databaseUrl: string, data: BenchData, env: Record<string, string>): Promise<FanOutResult> {
  const { key, workspaceId, models } = await workspaceOf(databaseUrl, data);
  const statuses = new Map(models.map((m) => [m.id, m.status]));
  const [primer, ...measured] = models.map((m) => m.id) as [string, ...string[]];
  const servers = await Promise.all([0, 1].map((i) => startBuilt(databaseUrl, env, `fan-out ${i === 0 ? 'A' : 'B'}`, GC_PROBE_ARGS)));
  const url = (server: RunningServer) => `${server.origin}/graphql`;
  const flip = async (server: RunningServer, modelId: string) => {
    const next = opposite(statuses.get(modelId)!);
    const requestId = await setModelStatus(url(server), key, modelId, next);
    statuses.set(modelId, next);
    return requestId;
  };
  const subscribers: Subscriber[] = [];
  /** `count` subscribers over `transports` in turn, and over the processes in turn. */
  const open = (count: number, transports: Transport[]) =>
    Array.from({ length: count }, (_, i) => {
      const server = servers[Math.floor(i / transports.length) % servers.length]!;
      const subscriber = subscribe(transports[i % transports.length]!, { url: url(server), key, workspaceId });
      subscribers.push(subscriber);
      return subscriber;
    });
  /** Flips the primer model until every one of `listeners` has heard it: from then on they are live. */
  const prime = async (listeners: Subscriber[]) => {
    await Promise.all(listeners.map((s) => s.opened.catch(() => {})));
    for (let attempt = 0; attempt < 10; attempt++) {
      await flip(servers[attempt % 2]!, primer);
      if (await until(() => listeners.every((s) => s.events.some((e) => e.modelId === primer)), 3_000)) return;
    }
    const stuck = listeners.find((s) => !s.events.some((e) => e.modelId === primer));
    throw new Error(`fan-out: a ${stuck?.transport} subscriber heard nothing in 30 s: ${JSON.stringify({ errors: stuck?.errors, failures: stuck?.failures })}`);
  };

  try {
    // Warm-up: both transports once on each process, so that "before" has their code loaded.
    const fresh = await Promise.all(servers.map((s) => readServer(s.origin)));
    const warm = open(4, ['sse', 'ws']);
    await prime(warm);
    warm.forEach((s) => s.close());
    subscribers.length = 0;
    await settle(servers, fresh);
    const before = await readAll(servers);

    const started = performance.now();
    // The SSE half first, then the WebSocket half: the memory of each.
    const sse = open(FAN_OUT_SUBSCRIBERS / 2, ['sse']);
    await prime(sse);
    const withSse = await readAll(servers);
    const ws = open(FAN_OUT_SUBSCRIBERS / 2, ['ws']);
    const crowd = [...sse, ...ws];
    await prime(crowd);
    const opened = performance.now();
    const withOpen = await readAll(servers);

    /** Runs `changes` (each flips through `send` and records when it was sent), then waits until everyone has them. */
    const phase = async (count: number, changes: (send: (server: RunningServer, modelId: string) => Promise<void>) => Promise<void>): Promise<FanOutPhase> => {
      const sent = new Map<string, number>();
      const send = async (server: RunningServer, modelId: string) => {
        const at = performance.now();
        sent.set(await flip(server, modelId), at);
      };
      const heard = (s: Subscriber) => s.events.filter((e) => sent.has(e.requestId ?? '')).length;
      const first = performance.now();
      await changes(send);
      const changed = performance.now();
      await until(() => crowd.every((s) => heard(s) >= count), DELIVERY_TIMEOUT_MS);
      const delivered = performance.now();
      const events = crowd.flatMap((s) => s.events.filter((e) => sent.has(e.requestId ?? '')));
      return {
        changes: count,
        expectedEvents: crowd.length * count,
        missingEvents: crowd.length * count - events.length,
        latencyFromSendMs: percentiles(events.map((e) => e.receivedAt - sent.get(e.requestId!)!)),
        latencyFromCommitMs: percentiles(events.map((e) => performance.timeOrigin + e.receivedAt - Date.parse(e.at))),
        changesMs: Math.round(changed - first),
        deliveredMs: Math.round(delivered - first),
      };
    };
    // K changes, each once everyone has the one before, alternating processes and models.
    const oneAtATime = await phase(FAN_OUT_ONE_AT_A_TIME, async (send) => {
      for (let k = 0; k < FAN_OUT_ONE_AT_A_TIME; k++) {
        const events = crowd.map((s) => s.events.length);
        await send(servers[k % 2]!, measured[k % measured.length]!);
        await until(() => crowd.every((s, i) => s.events.length > events[i]!), DELIVERY_TIMEOUT_MS);
      }
    });
    // M changes over the models at once; each model's one after another, alternating processes.
    const burst = await phase(FAN_OUT_CHANGES, (send) =>
      Promise.all(
        measured.map(async (modelId, m) => {
          for (let k = m; k < FAN_OUT_CHANGES; k += measured.length) await send(servers[k % 2]!, modelId);
        }),
      ).then(() => {}),
    );

    const failed = crowd.filter((s) => s.errors.length > 0 || s.failures.length > 0);
    crowd.forEach((s) => s.close());
    subscribers.length = 0;
    await settle(servers, before);
    const afterClose = await readAll(servers);

    /** The growth from `from` to `to` over `count` subscriptions, per subscription, over both processes. */
    const per = (from: ServerReading[], to: ServerReading[], count: number, pick: (r: ServerReading) => number) =>
      Math.round(servers.reduce((sum, _, i) => sum + pick(to[i]!) - pick(from[i]!), 0) / count);
    const heap = (r: ServerReading) => r.heapUsedBytes;
    const above = (pick: (r: ServerReading) => number) => servers.reduce((sum, _, i) => sum + pick(afterClose[i]!) - pick(before[i]!), 0);
    return {
      subscribers: FAN_OUT_SUBSCRIBERS,
      processes: servers.length,
      oneAtATime,
      burst,
      failedSubscribers: failed.length,
      firstFailure: failed[0] ? JSON.stringify({ transport: failed[0].transport, errors: failed[0].errors, failures: failed[0].failures }).slice(0, 500) : null,
      openMs: Math.round(opened - started),
      perSubscription: {
        rssBytes: per(before, withOpen, crowd.length, (r) => r.rssBytes),
        heapBytes: per(before, withOpen, crowd.length, heap),
        sseHeapBytes: per(before, withSse, sse.length, heap),
        wsHeapBytes: per(withSse, withOpen, ws.length, heap),
      },
      afterCloseAboveBaseline: { rssBytes: above((r) => r.rssBytes), heapBytes: above((r) => r.heapUsedBytes), handles: above((r) => r.handles) },
      memory: { before, withSse, withOpen, afterClose },
    };
  } finally {
    subscribers.forEach((s) => s.close());
    await Promise.all(servers.map((s) => s.stop()));
  }
}

/** The lines `npm run bench` prints for a fan-out result. */
export function describeFanOut(result: FanOutResult): string[] {
  const kb = (bytes: number) => `${Math.round(bytes / 102.4) / 10} KB`;
  const mb = (bytes: number) => `${Math.round(bytes / 104_857.6) / 10} MB`;
  const latency = (name: string, phase: FanOutPhase) => {
    const { latencyFromSendMs: send, latencyFromCommitMs: commit } = phase;
    return [
      `  ${name}: ${phase.changes} changes, ${phase.expectedEvents - phase.missingEvents}/${phase.expectedEvents} events received, all within ${phase.deliveredMs} ms of the first mutation (the changes took ${phase.changesMs} ms)`,
      `    latency from the mutation sent: p50 ${send.p50} ms, p99 ${send.p99} ms, max ${send.max} ms; from the change's commit (at): p50 ${commit.p50} ms, p99 ${commit.p99} ms, max ${commit.max} ms`,
    ];
  };
  return [
    `Fan-out: ${result.subscribers} subscriptions (SSE and graphql-ws, half each) over ${result.processes} processes, opened and live in ${result.openMs} ms; changes made on both processes;`,
    ...latency('one at a time', result.oneAtATime),
    ...latency('in a burst (10 models at once)', result.burst),
    `  ${result.failedSubscribers} subscribers with errors${result.firstFailure ? ` (first: ${result.firstFailure})` : ''}`,
    `  memory per open subscription: RSS ${kb(result.perSubscription.rssBytes)}, heap ${kb(result.perSubscription.heapBytes)} (SSE ${kb(result.perSubscription.sseHeapBytes)}, WebSocket ${kb(result.perSubscription.wsHeapBytes)}); after all closed, above the baseline (both processes): RSS ${mb(result.afterCloseAboveBaseline.rssBytes)}, heap ${mb(result.afterCloseAboveBaseline.heapBytes)}, handles ${result.afterCloseAboveBaseline.handles}`,
  ];
}
