/**
 * The per-process source of live status changes (domain/live.ts) against the
 * real database: one read per batch of notices, bounded queues, and catching
 * up after the listening connection comes back.
 */
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/client.ts';
import { models } from '../src/db/schema.ts';
import { STATUS_CHANGES_CHANNEL, type StatusChange } from '../src/domain/history.ts';
import { createLiveStatusChanges, Lagged, LiveClosedError, type LiveItem, type LiveStatusChanges } from '../src/domain/live.ts';
import { createLogger, type Logger } from '../src/logger.ts';
import { pino } from 'pino';
import { setupTestApp, type Tenant } from './helpers.ts';
import { until } from './live.ts';

const app = await setupTestApp();

let t: Tenant;
let ids: string[];
/**
 * Each test follows a workspace of its own: a notice of a change committed
 * just before a source subscribed may still arrive after (and is handed out),
 * so a test must not see the changes of the one before.
 */
beforeEach(async () => {
  t = await app.tenant();
  const res = await app.gql(/* GraphQL */ `query Ids($ws: ID!) { workspace(id: $ws) { models(first: 5) { nodes { id } } } }`, {
    key: t.adminKey,
    variables: { ws: t.workspaceId },
  });
  ids = res.body.data.workspace.models.nodes.map((node: { id: string }) => node.id);
});

/** Sets the status of these models in ONE statement: the trigger records and announces one change per model. */
async function setAll(modelIds: string[], status: 'MODEL_STATUS_ENABLED' | 'MODEL_STATUS_DISABLED') {
  await app.db.update(models).set({ status, statusProfileId: t.profileId, statusRequestId: null }).where(inArray(models.id, modelIds));
}

/** Takes `n` items, failing when one does not come within 5 s. */
async function take(iterator: AsyncIterator<LiveItem>, n: number): Promise<LiveItem[]> {
  const items: LiveItem[] = [];
  for (let i = 0; i < n; i++) {
    const next = await Promise.race([iterator.next(), new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]);
    if (!next || next.done) throw new Error(`Only ${items.length} of ${n} items came`);
    items.push(next.value);
  }
  return items;
}

/**
 * A listen() whose connection the test can "lose": notices sent meanwhile
 * never arrive, and getting it back runs onListen again, as postgres.js does.
 */
function losableListen(listen: DatabaseHandle['listen']) {
  let connected = true;
  let again: (() => void) | null = null;
  const wrapped: DatabaseHandle['listen'] = (channel, onNotify, onListen) => {
    again = onListen;
    return listen(channel, (payload) => connected && onNotify(payload), onListen);
  };
  return {
    listen: wrapped,
    lose: () => void (connected = false),
    restore: () => {
      connected = true;
      again?.();
    },
  };
}

describe('the live source', () => {
  const sources: LiveStatusChanges[] = [];
  afterAll(() => Promise.all(sources.map((source) => source.close())));
  const source = (options: { maxQueued?: number; listen?: DatabaseHandle['listen']; log?: Logger } = {}) => {
    const created = createLiveStatusChanges({ db: app.db, listen: options.listen ?? app.listen, log: options.log ?? createLogger('silent'), maxQueued: options.maxQueued });
    sources.push(created);
    return created;
  };

  it('reads the changes of notices that arrive together in one statement, with their models, for every subscriber', async () => {
    const live = source();
    const [a, b] = [await live.subscribe(t.accountId, t.workspaceId), await live.subscribe(t.accountId, t.workspaceId)];
    const { sql, result } = await app.countStatements(async () => {
      await setAll(ids.slice(0, 4), 'MODEL_STATUS_DISABLED');
      return Promise.all([take(a, 4), take(b, 4)]);
    });
    const [fromA, fromB] = result as [StatusChange[], StatusChange[]];
    expect(fromA.map((change) => change.modelId).sort()).toEqual(ids.slice(0, 4).sort());
    expect(fromB).toEqual(fromA);
    for (const change of fromA) {
      expect(change).toMatchObject({ accountId: t.accountId, workspaceId: t.workspaceId, fromStatus: 'MODEL_STATUS_ENABLED', toStatus: 'MODEL_STATUS_DISABLED', profileId: t.profileId });
      expect(change.model).toMatchObject({ id: change.modelId, status: 'MODEL_STATUS_DISABLED' });
    }
    expect(sql.filter((statement) => statement.includes('from "model_status_changes" inner join')).length).toBe(1);
    await a.return!();
    await b.return!();
    expect(live.subscribers()).toBe(0);
    await setAll(ids.slice(0, 4), 'MODEL_STATUS_ENABLED');
  });

  it('drops a subscriber that falls too far behind, ending its stream with Lagged', async () => {
    const live = source({ maxQueued: 2 });
    const slow = await live.subscribe(t.accountId, t.workspaceId);
    await setAll(ids.slice(0, 3), 'MODEL_STATUS_DISABLED');
    expect(await until(() => live.subscribers() === 0)).toBe(true);
    const items = await take(slow, 1);
    expect(items[0]).toBeInstanceOf(Lagged);
    expect((items[0] as Lagged).limit).toBe(2);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    await setAll(ids.slice(0, 3), 'MODEL_STATUS_ENABLED');
  });

  it('catches up the changes committed while its connection was lost, once, in order', async () => {
    const losable = losableListen(app.listen);
    const lines: { msg: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) });
    const live = source({ listen: losable.listen, log });
    const sub = await live.subscribe(t.accountId, t.workspaceId);
    await setAll([ids[0]!], 'MODEL_STATUS_DISABLED');
    expect((await take(sub, 1)).map((item) => (item as StatusChange).modelId)).toEqual([ids[0]]);
    losable.lose();
    await setAll([ids[1]!], 'MODEL_STATUS_DISABLED');
    await setAll([ids[2]!], 'MODEL_STATUS_DISABLED');
    losable.restore();
    const caughtUp = (await take(sub, 2)) as StatusChange[];
    expect(lines.map((line) => line.msg)).toContainEqual(expect.stringContaining('resubscribed'));
    expect(caughtUp.map((change) => change.modelId)).toEqual([ids[1], ids[2]]);
    expect(caughtUp[0]!.model).toMatchObject({ id: ids[1], status: 'MODEL_STATUS_DISABLED' });
    // Nothing twice, and live again afterwards.
    await setAll([ids[0]!], 'MODEL_STATUS_ENABLED');
    expect(((await take(sub, 1)) as StatusChange[]).map((change) => [change.modelId, change.toStatus])).toEqual([[ids[0], 'MODEL_STATUS_ENABLED']]);
    await sub.return!();
    await setAll(ids.slice(1, 3), 'MODEL_STATUS_ENABLED');
  });

  it('hands a change only to subscribers of its workspace and account', async () => {
    const live = source();
    const other = await app.tenant('Source other');
    const mine = await live.subscribe(t.accountId, t.workspaceId);
    // Another account naming this workspace (it could not through the API): still nothing of it.
    const spoofed = await live.subscribe(other.accountId, t.workspaceId);
    const theirs = await live.subscribe(other.accountId, other.workspaceId);
    await setAll([ids[3]!], 'MODEL_STATUS_DISABLED');
    expect(((await take(mine, 1)) as StatusChange[])[0]!.modelId).toBe(ids[3]);
    const nothing = await Promise.race([spoofed.next(), theirs.next(), new Promise((resolve) => setTimeout(() => resolve('nothing'), 300))]);
    expect(nothing).toBe('nothing');
    await Promise.all([mine.return!(), spoofed.return!(), theirs.return!()]);
    expect(live.subscribers()).toBe(0);
    await setAll([ids[3]!], 'MODEL_STATUS_ENABLED');
  });

  it('ends every stream on close and refuses new subscribers', async () => {
    const live = source();
    const sub = await live.subscribe(t.accountId, t.workspaceId);
    const pending = sub.next();
    await live.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(live.subscribers()).toBe(0);
    await expect(live.subscribe(t.accountId, t.workspaceId)).rejects.toBeInstanceOf(LiveClosedError);
  });

  it('ignores notices the trigger did not write', async () => {
    const live = source();
    const sub = await live.subscribe(t.accountId, t.workspaceId);
    await app.db.execute(sql`select pg_notify(${STATUS_CHANGES_CHANNEL}, 'not json')`);
    await setAll([ids[4]!], 'MODEL_STATUS_DISABLED');
    expect(((await take(sub, 1)) as StatusChange[])[0]!.modelId).toBe(ids[4]);
    await sub.return!();
    await setAll([ids[4]!], 'MODEL_STATUS_ENABLED');
  });
});
