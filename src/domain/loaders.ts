import DataLoader from 'dataloader';
import type { Database } from '../db/client.ts';
import { isIdOf } from '../db/ids.ts';
import type { ModelRow, ModelStatusChangeRow, WorkspaceRow } from '../db/schema.ts';
import { countStatusChanges, selectStatusHistoryPages } from './history.ts';
import { countModels, selectModelPages, selectModels, type ModelFilter, type ModelOrderBy } from './models.ts';
import type { PageWindow } from './pagination.ts';
import { selectWorkspaces } from './workspaces.ts';

export interface ModelPageKey {
  workspaceId: string;
  window: PageWindow;
  orderBy: ModelOrderBy;
  filter: ModelFilter;
}

export interface ModelCountKey {
  workspaceId: string;
  filter: ModelFilter;
}

export interface StatusHistoryKey {
  modelId: string;
  window: PageWindow;
}

export type Loaders = RequestLoaders;

/**
 * Per-request loaders, scoped to one account: nothing they cache outlives the
 * request or crosses tenants. Without an account (an unauthenticated request
 * never reaches a resolver, but the type allows it) they find nothing.
 */
export function createLoaders(db: Database, accountId: string | null): Loaders {
  return new RequestLoaders(db, accountId);
}

/**
 * Each loader is made when a request first uses it: most requests use one or
 * two of them. A class, so a request allocates one object and nothing else
 * until a loader is asked for: the getters live on the prototype, where an
 * object literal of getters made every request build its own closures.
 */
class RequestLoaders {
  #models: DataLoader<string, ModelRow | null> | undefined;
  #workspaces: DataLoader<string, WorkspaceRow | null> | undefined;
  #modelPages: DataLoader<ModelPageKey, { workspace: WorkspaceRow; rows: ModelRow[] } | null, string> | undefined;
  #modelCounts: DataLoader<ModelCountKey, number, string> | undefined;
  #statusHistory: DataLoader<StatusHistoryKey, ModelStatusChangeRow[], string> | undefined;
  #statusChangeCounts: DataLoader<string, number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly accountId: string | null,
  ) {}

  get models() {
    return (this.#models ??= byId<ModelRow>(this.db, this.accountId, 'Model', selectModels));
  }

  get workspaces() {
    return (this.#workspaces ??= byId<WorkspaceRow>(this.db, this.accountId, 'Workspace', selectWorkspaces));
  }

  /**
   * A workspace together with a page of its models, in one statement; null
   * for a workspace that is not the account's. Query.workspace loads it
   * ahead of Workspace.models when it can, and the models resolver then
   * finds the same key cached.
   */
  get modelPages() {
    const { db } = this;
    return (this.#modelPages ??= grouped<'workspaceId', ModelPageKey, { workspace: WorkspaceRow; rows: ModelRow[] } | null>(
      this.accountId,
      'workspaceId',
      (accountId, { window, orderBy, filter }, ids) => selectModelPages(db, accountId, ids, window, orderBy, filter),
      null,
    ));
  }

  get modelCounts() {
    const { db } = this;
    return (this.#modelCounts ??= grouped<'workspaceId', ModelCountKey, number>(
      this.accountId,
      'workspaceId',
      (accountId, { filter }, ids) => countModels(db, accountId, ids, filter),
      0,
    ));
  }

  /** A window of each model's status history, newest first, in one statement for all the models asking for the same window. */
  get statusHistory() {
    const { db } = this;
    return (this.#statusHistory ??= grouped<'modelId', StatusHistoryKey, ModelStatusChangeRow[]>(
      this.accountId,
      'modelId',
      (accountId, { window }, ids) => selectStatusHistoryPages(db, accountId, ids, window),
      [],
    ));
  }

  /** How many status changes each model has recorded, in one statement for all of them. */
  get statusChangeCounts() {
    const { db, accountId } = this;
    return (this.#statusChangeCounts ??= new DataLoader<string, number>(async (ids) => {
      const counts = accountId ? await countStatusChanges(db, accountId, [...new Set(ids)]) : new Map<string, number>();
      return ids.map((id) => counts.get(id) ?? 0);
    }));
  }
}

/** Rows by id; ids of another type or malformed never reach the database. */
function byId<Row extends { id: string }>(
  db: Database,
  accountId: string | null,
  kind: 'Model' | 'Workspace',
  select: (db: Database, accountId: string, ids: string[]) => Promise<Row[]>,
) {
  return new DataLoader<string, Row | null>(async (keys) => {
    // One id (a REST read, model(id)): the same statement, without the set and map of many.
    if (keys.length === 1) {
      const id = keys[0]!;
      const [row] = accountId && isIdOf(kind, id) ? await select(db, accountId, keys as string[]) : [];
      return [row ?? null];
    }
    const ids = [...new Set(keys.filter((id) => isIdOf(kind, id)))];
    const rows = accountId && ids.length > 0 ? await select(db, accountId, ids) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return keys.map((id) => found.get(id) ?? null);
  });
}

/**
 * Keys asking for the same window, order and filter share one statement;
 * `parent` names the key's field that says whose page it is.
 */
function grouped<Parent extends string, Key extends Record<Parent, string>, Value>(
  accountId: string | null,
  parent: Parent,
  run: (accountId: string, rest: Omit<Key, Parent>, parentIds: string[]) => Promise<Map<string, Value>>,
  missing: Value,
) {
  const split = (key: Key) => {
    const { [parent]: parentId, ...rest } = key;
    return { parentId: parentId as string, rest: rest as Omit<Key, Parent>, signature: JSON.stringify(rest) };
  };
  return new DataLoader<Key, Value, string>(
    async (keys) => {
      if (!accountId) return keys.map(() => missing);
      const groups = new Map<string, { rest: Omit<Key, Parent>; ids: string[] }>();
      for (const key of keys) {
        const { parentId, rest, signature } = split(key);
        const group = groups.get(signature) ?? { rest, ids: [] };
        group.ids.push(parentId);
        groups.set(signature, group);
      }
      const results = new Map<string, Map<string, Value>>();
      await Promise.all(
        [...groups].map(async ([signature, { rest, ids }]) => results.set(signature, await run(accountId, rest, [...new Set(ids)]))),
      );
      return keys.map((key) => {
        const { parentId, signature } = split(key);
        return results.get(signature)?.get(parentId) ?? missing;
      });
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}
