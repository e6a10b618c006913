import { and, asc, eq, gt, max, sql } from 'drizzle-orm';
import type { Database, DatabaseHandle } from '../db/client.ts';
import { modelRowColumns, models, modelStatusChanges } from '../db/schema.ts';
import { anyText } from '../db/sql.ts';
import type { Logger } from '../logger.ts';
import { parseStatusChangeNotice, STATUS_CHANGES_CHANNEL, type StatusChange, type StatusChangeNotice } from './history.ts';

/**
 * Live status changes (DESIGN.md, "Live updates and history"): one source per
 * process. It LISTENs once (one connection of its own on PostgreSQL), reads
 * the changes of each batch of notices that arrive together in ONE statement
 * with their models, and hands each change, in arrival (= commit) order, to
 * the subscribers of its workspace only.
 *
 * Bounds and choices:
 * - A subscriber holds at most `maxQueued` changes it has not taken yet. One
 *   that falls further behind is dropped at once (its queue freed) and its
 *   stream ends with a `Lagged` item, so the client learns it missed changes
 *   and can read the state again, rather than the process growing without
 *   bound or dropping changes silently.
 * - When the listening connection comes back after a loss, the source
 *   catches up: it reads the changes with a seq above the highest it has seen,
 *   for the workspaces that have subscribers, so a short outage loses nothing;
 *   the notices of changes already caught up are not handed out twice.
 * - A batch that cannot be read is retried a few times (the database may be
 *   briefly away), in order, before it is given up and logged.
 */
export interface LiveStatusChanges {
  /** Starts listening (once; later calls return the same promise). subscribe() calls it too. */
  start(): Promise<void>;
  /**
   * The changes of one workspace of one account that commit from now on.
   * Resolves once listening, so no change committed after it resolves is
   * missed. `return()` on the iterator removes the subscriber at once.
   */
  subscribe(accountId: string, workspaceId: string): Promise<AsyncIterableIterator<LiveItem>>;
  /** Subscribers now connected (tests, and the live_subscribers gauge). */
  subscribers(): number;
  /** Stops listening and ends every subscriber's stream (graceful shutdown). Subscribing afterwards is refused. */
  close(): Promise<void>;
}

/** The last item of a subscriber that fell more than `limit` changes behind: it was dropped. */
export class Lagged {
  constructor(readonly limit: number) {}
}

/** Subscribing to a source that is closed (the process is shutting down). */
export class LiveClosedError extends Error {
  constructor() {
    super('Live status changes are closed: the server is shutting down.');
    this.name = 'LiveClosedError';
  }
}

export type LiveItem = StatusChange | Lagged;

export interface LiveOptions {
  db: Database;
  listen: DatabaseHandle['listen'];
  log: Logger;
  /** Changes a subscriber may leave untaken before it is dropped (default 1,000). */
  maxQueued?: number;
  /** Attempts to read a batch before giving it up (default 5; waits 100 ms, doubling). */
  readAttempts?: number;
}

const CATCH_UP_PAGE = 1_000;

interface Subscriber {
  accountId: string;
  workspaceId: string;
  queue: LiveItem[];
  /** The pending next() of a consumer that is waiting for a change. */
  waiting: ((result: IteratorResult<LiveItem>) => void) | null;
  /** Set when the subscriber is removed: its stream ends once `queue` is taken. */
  ended: boolean;
}

export function createLiveStatusChanges({ db, listen, log, maxQueued = 1_000, readAttempts = 5 }: LiveOptions): LiveStatusChanges {
  const byWorkspace = new Map<string, Set<Subscriber>>();
  let count = 0;
  let started: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;
  let closed = false;
  /** Every batch, catch-up and cursor read runs here, one after another: that keeps arrival order. */
  let work: Promise<void> = Promise.resolve();
  const enqueue = (step: () => Promise<void>) => {
    work = work.then(step).catch((error: unknown) => log.error({ err: error }, 'live status changes: a step failed'));
  };
  let arrived: StatusChangeNotice[] = [];
  let flushQueued = false;
  /** The highest seq seen; a catch-up after a lost connection reads above it. null until known. */
  let cursor: number | null = null;
  /** Seqs handed out by the last catch-up: their notices may still arrive, and are not handed out twice. */
  let caughtUp = new Set<number>();
  let listens = 0;

  const remove = (subscriber: Subscriber) => {
    if (subscriber.ended) return;
    subscriber.ended = true;
    count--;
    const set = byWorkspace.get(subscriber.workspaceId);
    set?.delete(subscriber);
    if (set?.size === 0) byWorkspace.delete(subscriber.workspaceId);
  };

  const push = (subscriber: Subscriber, item: LiveItem) => {
    if (subscriber.waiting) {
      const resolve = subscriber.waiting;
      subscriber.waiting = null;
      return resolve({ value: item, done: false });
    }
    if (subscriber.queue.length < maxQueued) return void subscriber.queue.push(item);
    // Too far behind: free what it holds, and end its stream with the news.
    log.warn({ workspaceId: subscriber.workspaceId, maxQueued }, 'live status changes: a subscriber fell behind and was dropped');
    remove(subscriber);
    subscriber.queue = [new Lagged(maxQueued)];
  };

  const dispatch = (change: StatusChange) => {
    for (const subscriber of byWorkspace.get(change.workspaceId) ?? []) {
      // The workspace id names one account; the account is checked as well, in case it ever did not.
      if (subscriber.accountId === change.accountId) push(subscriber, change);
    }
  };

  /** Removes the subscriber and ends a next() that waits; what it has queued can still be taken. */
  const end = (subscriber: Subscriber) => {
    remove(subscriber);
    const waiting = subscriber.waiting;
    subscriber.waiting = null;
    waiting?.({ value: undefined, done: true });
  };

  const iterate = (subscriber: Subscriber): AsyncIterableIterator<LiveItem> => {
    const finish = (): Promise<IteratorResult<LiveItem>> => {
      subscriber.queue = [];
      end(subscriber);
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next() {
        const item = subscriber.queue.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (subscriber.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (subscriber.waiting = resolve));
      },
      return: finish,
      throw: finish,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };

  /** The changes with these seqs (or above `after`, for these workspaces), each with its model, in one statement. */
  const changesQuery = () =>
    db
      .select({ change: modelStatusChanges, model: modelRowColumns })
      .from(modelStatusChanges)
      .innerJoin(models, eq(models.id, modelStatusChanges.modelId));

  const withRetries = async <T>(what: string, read: () => Promise<T>): Promise<T | null> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (attempt >= readAttempts || closed) {
          log.error({ err: error, attempt }, `live status changes: ${what} failed; given up`);
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** (attempt - 1)));
      }
    }
  };

  const flush = async () => {
    flushQueued = false;
    const batch = arrived.filter((notice) => !caughtUp.has(notice.seq));
    arrived = [];
    if (batch.length === 0 || count === 0) return;
    const seqs = batch.map((notice) => notice.seq);
    const rows = await withRetries('reading changes', () => changesQuery().where(seqIn(seqs)));
    if (!rows) return;
    const bySeq = new Map(rows.map(({ change, model }) => [change.seq, { ...change, model }]));
    // Arrival order is commit order; seq order can differ between transactions.
    for (const notice of batch) {
      const change = bySeq.get(notice.seq);
      if (change) dispatch(change);
    }
  };

  const readCursor = async () => {
    const [row] = await db.select({ seq: max(modelStatusChanges.seq) }).from(modelStatusChanges);
    cursor = Math.max(cursor ?? 0, Number(row?.seq ?? 0));
  };

  /** After a lost connection: the changes committed while nobody listened, for the workspaces someone follows. */
  const catchUp = async () => {
    caughtUp = new Set();
    if (cursor === null || count === 0) return readCursor();
    let after = cursor;
    for (;;) {
      const workspaceIds = [...byWorkspace.keys()];
      if (workspaceIds.length === 0) return;
      const page = await withRetries('catching up', () =>
        changesQuery()
          .where(and(gt(modelStatusChanges.seq, after), anyText(modelStatusChanges.workspaceId, workspaceIds)))
          .orderBy(asc(modelStatusChanges.seq))
          .limit(CATCH_UP_PAGE),
      );
      if (!page) return;
      for (const { change, model } of page) {
        caughtUp.add(change.seq);
        dispatch({ ...change, model });
        after = change.seq;
      }
      cursor = Math.max(cursor ?? 0, after);
      if (page.length < CATCH_UP_PAGE) return;
    }
  };

  const onNotify = (payload: string) => {
    const notice = parseStatusChangeNotice(payload);
    if (!notice) return void log.warn({ channel: STATUS_CHANGES_CHANNEL }, 'live status changes: a notice that is not a status change was ignored');
    cursor = Math.max(cursor ?? 0, notice.seq);
    if (!byWorkspace.has(notice.workspaceId)) return;
    arrived.push(notice);
    if (flushQueued) return;
    flushQueued = true;
    // Notices that arrive in the same turn of the event loop are read together.
    setImmediate(() => enqueue(flush));
  };

  const onListen = () => {
    listens++;
    if (listens === 1) return enqueue(readCursor);
    log.info({ channel: STATUS_CHANGES_CHANNEL, since: cursor, subscribers: count }, 'live status changes: resubscribed (LISTEN) after the listening connection came back; catching up');
    enqueue(catchUp);
  };

  const start = () =>
    (started ??= listen(STATUS_CHANGES_CHANNEL, onNotify, onListen).then(
      (stop) => void (unlisten = stop),
      (error: unknown) => {
        started = null;
        throw error;
      },
    ));

  return {
    start,
    async subscribe(accountId, workspaceId) {
      if (closed) throw new LiveClosedError();
      await start();
      if (closed) throw new LiveClosedError();
      const subscriber: Subscriber = { accountId, workspaceId, queue: [], waiting: null, ended: false };
      let set = byWorkspace.get(workspaceId);
      if (!set) byWorkspace.set(workspaceId, (set = new Set()));
      set.add(subscriber);
      count++;
      return iterate(subscriber);
    },
    subscribers: () => count,
    async close() {
      if (closed) return;
      closed = true;
      for (const set of [...byWorkspace.values()]) for (const subscriber of [...set]) end(subscriber);
      await started?.catch(() => {});
      await unlisten?.().catch((error: unknown) => log.warn({ err: error }, 'live status changes: unlisten failed'));
      await work;
    },
  };
}

/**
 * The changes with these seqs. One array parameter, not one parameter per
 * seq (inArray): a batch can hold more notices than a statement may have
 * parameters (65,535) - a catalog sync retiring a model in every workspace.
 */
function seqIn(seqs: readonly number[]) {
  return sql`${modelStatusChanges.seq} = any(${sql.param(seqs.map(String))}::bigint[])`;
}
