import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import { isIdOf } from '../db/ids.ts';
import type { ModelRow } from '../db/schema.ts';
import { changeModel, statusChange } from '../domain/model-changes.ts';
import { modelOrder, parseModelFilter, type ModelFilterInput, type OrderDirection } from '../domain/models.ts';
import { pageWindow, toPage, type PageWindow } from '../domain/pagination.ts';
import type { Scope } from '../domain/scope.ts';
import { modelJson } from './model-json.ts';
import type { ListQuery } from './schemas.ts';
import { badRequest, fromProblem, notFound } from './status.ts';

/**
 * The REST resource's operations, apart from HTTP: the routes (router.ts)
 * and the front door's fast path call the same functions. Each returns the
 * JSON body of a success, or throws a RestError.
 */

export type ListQueryValue = Static<typeof ListQuery>;

/** A page of the workspace's models: one statement, through the same loader as a GraphQL page. */
export async function listModels(scope: Scope, workspaceId: string, query: ListQueryValue) {
  if (!isIdOf('Workspace', workspaceId)) throw notFound('workspace');
  const filter = listFilter(query);
  const direction: OrderDirection = query.sortOrder === 'desc' ? 'DESC' : 'ASC';
  const orderBy = { field: 'CREATED_AT', direction } as const;
  const order = modelOrder(orderBy);
  // A cursor is valid only for this workspace, these filters and this sortOrder.
  const cursorScope = `rest:${workspaceId}:${direction}:${filterDigest(filter)}`;
  let window: PageWindow;
  try {
    // An empty cursor is a first page, as clients that always send the parameter expect.
    window = pageWindow({ first: query.limit ?? 50, after: query.cursor || null }, cursorScope, order);
  } catch {
    throw badRequest([{ field: 'cursor', description: 'not a valid cursor for this workspace, these filters and this sortOrder' }]);
  }
  const found = await scope.loaders.modelPages.load({ workspaceId, window, orderBy, filter });
  if (!found) throw notFound('workspace');
  const page = toPage(found.rows, window, cursorScope, order);
  const endCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  return { items: page.edges.map((edge) => modelJson(edge.node)), pagination: endCursor ? { next_cursor: endCursor } : {} };
}

/** The workspace's model, or 404: ids malformed, unknown, foreign, or of another workspace look alike. */
export async function findModel(scope: Scope, workspaceId: string, id: string): Promise<ModelRow> {
  const row = isIdOf('Workspace', workspaceId) ? await scope.loaders.models.load(id) : null;
  if (!row || row.workspaceId !== workspaceId) throw notFound('model');
  return row;
}

/**
 * Sets a model's status. A model the caller cannot see is 404 before a
 * reader is told 403, so a foreign id is never 403.
 */
export async function setStatus(scope: Scope, workspaceId: string, id: string, status: ModelRow['status']) {
  const validated = statusChange(status);
  if (!validated.ok) throw fromProblem(validated.problem);
  await findModel(scope, workspaceId, id);
  const changed = await changeModel(scope, id, () => validated);
  if (!changed.ok) throw fromProblem(changed.problem);
  return modelJson(changed.value);
}

const digest = (filter: object) => createHash('sha256').update(JSON.stringify(filter)).digest('base64url').slice(0, 16);
const NO_FILTER = digest({});

/** A filter's part of the cursor scope; most pages have none, whose digest is known. */
const filterDigest = (filter: object) => (Object.keys(filter).length === 0 ? NO_FILTER : digest(filter));

const REST_NAMES: Record<keyof ModelFilterInput, string> = {
  status: 'status',
  provider: 'provider',
  family: 'family',
  bundleKey: 'bundleKey',
  labels: 'labels',
  search: 'query',
  prefix: 'prefix',
};

/** The list's filter parameters, validated by the same rules as GraphQL's ModelFilter. */
function listFilter(query: ListQueryValue) {
  const filter = parseModelFilter(
    {
      status: query.status === 'MODEL_STATUS_UNSPECIFIED' ? null : query.status,
      bundleKey: query.bundleKey,
      labels: query.labels ? parseLabels(query.labels) : null,
      search: query.query,
      prefix: query.prefix,
    },
    (name) => [REST_NAMES[name]],
  );
  if (!filter.ok) throw fromProblem(filter.problem);
  return filter.value;
}

/** `key=value,key2=value2`. */
function parseLabels(text: string): { key: string; value: string }[] {
  return text.split(',').map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw badRequest([{ field: 'labels', description: 'must be key=value pairs separated by commas' }]);
    return { key: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}
