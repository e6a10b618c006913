import DataLoader from 'dataloader';
import type { Database } from '../db/client.ts';
import { isIdOf } from '../db/ids.ts';
import type { ModelRow, WorkspaceRow } from '../db/schema.ts';
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

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Per-request loaders, scoped to one account: nothing they cache outlives the
 * request or crosses tenants. Without an account (an unauthenticated request
 * never reaches a resolver, but the type allows it) they find nothing.
 */
export function createLoaders(db: Database, accountId: string | null) {
  // Ids of another type or malformed never reach the database.
  const byId = <Row extends { id: string }>(
    kind: 'Model' | 'Workspace',
    select: (db: Database, accountId: string, ids: string[]) => Promise<Row[]>,
  ) =>
    new DataLoader<string, Row | null>(async (keys) => {
      const ids = [...new Set(keys.filter((id) => isIdOf(kind, id)))];
      const rows = accountId && ids.length > 0 ? await select(db, accountId, ids) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return keys.map((id) => found.get(id) ?? null);
    });

  // Keys asking for the same window, order and filter share one statement.
  const grouped = <Key extends { workspaceId: string }, Value>(
    run: (accountId: string, rest: Omit<Key, 'workspaceId'>, workspaceIds: string[]) => Promise<Map<string, Value>>,
    missing: Value,
  ) =>
    new DataLoader<Key, Value, string>(
      async (keys) => {
        if (!accountId) return keys.map(() => missing);
        const groups = new Map<string, { rest: Omit<Key, 'workspaceId'>; ids: string[] }>();
        for (const { workspaceId, ...rest } of keys) {
          const signature = JSON.stringify(rest);
          const group = groups.get(signature) ?? { rest, ids: [] };
          group.ids.push(workspaceId);
          groups.set(signature, group);
        }
        const results = new Map<string, Map<string, Value>>();
        await Promise.all(
          [...groups].map(async ([signature, { rest, ids }]) => results.set(signature, await run(accountId, rest, [...new Set(ids)]))),
        );
        return keys.map(({ workspaceId, ...rest }) => results.get(JSON.stringify(rest))?.get(workspaceId) ?? missing);
      },
      { cacheKeyFn: (key) => JSON.stringify(key) },
    );

  // Each loader is made when a request first uses it: most requests use one or two of them.
  let models: DataLoader<string, ModelRow | null> | undefined;
  let workspaces: DataLoader<string, WorkspaceRow | null> | undefined;
  let modelPages: DataLoader<ModelPageKey, { workspace: WorkspaceRow; rows: ModelRow[] } | null, string> | undefined;
  let modelCounts: DataLoader<ModelCountKey, number, string> | undefined;
  return {
    get models() {
      return (models ??= byId<ModelRow>('Model', selectModels));
    },
    get workspaces() {
      return (workspaces ??= byId<WorkspaceRow>('Workspace', selectWorkspaces));
    },
    /**
     * A workspace together with a page of its models, in one statement; null
     * for a workspace that is not the account's. Query.workspace loads it
     * ahead of Workspace.models when it can, and the models resolver then
     * finds the same key cached.
     */
    get modelPages() {
      return (modelPages ??= grouped<ModelPageKey, { workspace: WorkspaceRow; rows: ModelRow[] } | null>(
        (accountId, { window, orderBy, filter }, ids) => selectModelPages(db, accountId, ids, window, orderBy, filter),
        null,
      ));
    },
    get modelCounts() {
      return (modelCounts ??= grouped<ModelCountKey, number>((accountId, { filter }, ids) => countModels(db, accountId, ids, filter), 0));
    },
  };
}
