import { getArgumentValues } from 'graphql/execution/values.js';
import { getNamedType, Kind, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { builder } from '../builder.ts';
import { viewerOf } from '../context.ts';
import { isIdOf } from '../../db/ids.ts';
import type { WorkspaceRow } from '../../db/schema.ts';
import type { ModelPageKey } from '../../domain/loaders.ts';
import { modelOrder, type ModelOrderBy } from '../../domain/models.ts';
import { pageWindow, toPage, type ConnectionArgs } from '../../domain/pagination.ts';
import { countWorkspaces, createWorkspace, workspacePage } from '../../domain/workspaces.ts';
import type { Problem } from '../../domain/validation.ts';
import { clientMutationIdProblem, forbidden, UserError, userErrors } from './errors.ts';
import { Label, LabelInput, labelList } from './label.ts';
import { ModelFilter, ModelOrder, parseModelFilter } from './model.ts';
import { Model, Workspace } from './refs.ts';

const DEFAULT_MODEL_ORDER: ModelOrderBy = { field: 'CREATED_AT', direction: 'ASC' };

type ModelsArgs = ConnectionArgs & {
  filter?: typeof ModelFilter.$inferInput | null;
  orderBy?: ModelOrderBy | null;
};

/** What `Workspace.models(...)` asks for: checked arguments, the loader key, and the cursor scope. */
function modelsPageOf(workspaceId: string, args: ModelsArgs) {
  const orderBy = args.orderBy ?? DEFAULT_MODEL_ORDER;
  // A cursor is valid only for this workspace's connection in this order.
  const scope = `${workspaceId}:${orderBy.field}:${orderBy.direction}`;
  const order = modelOrder(orderBy);
  const window = pageWindow(args, scope, order);
  const key: ModelPageKey = { workspaceId, window, orderBy, filter: parseModelFilter(args.filter) };
  return { key, scope, order };
}

/**
 * `workspace(id) { models(...) }` is the most common query of all: when the
 * selection holds exactly one plain `models` field with valid arguments, the
 * workspace and that page are read in one statement. Anything else (no
 * models, several, fragments, directives, bad arguments, which then fail in
 * the models resolver) takes the ordinary path.
 */
function prefetchedModelsPage(id: string, info: GraphQLResolveInfo): ModelPageKey | null {
  const [node, ...others] = info.fieldNodes;
  const selections = others.length === 0 ? node?.selectionSet?.selections : undefined;
  if (!selections || selections.some((s) => s.kind !== Kind.FIELD || s.directives?.length)) return null;
  const models = (selections as FieldNode[]).filter((s) => s.name.value === 'models');
  const definition = (getNamedType(info.returnType) as GraphQLObjectType).getFields().models;
  if (models.length !== 1 || !definition) return null;
  try {
    return modelsPageOf(id, getArgumentValues(definition, models[0]!, info.variableValues) as ModelsArgs).key;
  } catch {
    return null;
  }
}

builder.objectType(Workspace, {
  description: 'A workspace of an account: it holds a copy of every catalog model, each enabled or disabled on its own.',
  interfaces: [builder.nodeInterfaceRef()],
  isTypeOf: (value) => isIdOf('Workspace', (value as { id?: unknown }).id as string),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The prefixed ULID of the workspace, e.g. ws_01HX…; also its global id for `node`.' }),
    name: t.exposeString('name', { description: 'The name as stored (trimmed): 1–100 characters, unique within the account ignoring ASCII case.' }),
    accountId: t.exposeString('accountId', { description: 'The owning account (tenant), a prefixed ULID (acct_…).' }),
    createdAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the workspace was created, at millisecond precision; `workspaces` lists oldest first by it.',
    }),
    labels: t.field({
      type: [Label],
      description: 'The labels given at creation, sorted by key; empty when none.',
      resolve: (row) => labelList(row.labels),
    }),
    models: t.connection(
      {
        type: Model,
        description:
          'The models of this workspace, a page at a time: keyset cursors, so pages stay stable while models change; default order CREATED_AT ASC. Page sizes multiply down nested connections toward the 50,000-object limit.',
        args: {
          filter: t.arg({ type: ModelFilter, description: 'Only models matching every given condition; all models when omitted.' }),
          orderBy: t.arg({ type: ModelOrder, description: 'The order; { field: CREATED_AT, direction: ASC } when omitted. A cursor is valid only under the orderBy that produced it.' }),
        },
        resolve: async (workspace, args, ctx) => {
          const { key, scope, order } = modelsPageOf(workspace.id, args);
          const rows = (await ctx.loaders.modelPages.load(key))?.rows ?? [];
          for (const row of rows) ctx.loaders.models.prime(row.id, row);
          return {
            ...toPage(rows, key.window, scope, order),
            // Without a filter, the count kept on the workspace row (no statement);
            // otherwise counted only when selected, batched across workspaces.
            totalCount: () =>
              Object.keys(key.filter).length === 0 ? workspace.modelCount : ctx.loaders.modelCounts.load({ workspaceId: workspace.id, filter: key.filter }),
          };
        },
      },
      {
        name: 'ModelConnection',
        description: "A page of a workspace's models.",
        fields: (c) => ({
          totalCount: c.int({
            description: 'How many models of the workspace match the filter, on every page together (not just this one). Costs nothing when not selected.',
            resolve: (connection) => connection.totalCount(),
          }),
        }),
      },
      { name: 'ModelEdge', description: 'A model of the page and the cursor that points at it.' },
    ),
  }),
});

builder.queryFields((t) => ({
  workspace: t.field({
    type: Workspace,
    nullable: true,
    description: 'A workspace by id; null when the id is malformed, unknown, of another type or owned by another account.',
    args: { id: t.arg.id({ required: true, description: 'A workspace id, e.g. ws_01HX…. Any string is accepted: one that names no workspace of yours answers null.' }) },
    resolve: async (_root, { id }, ctx, info) => {
      const key = isIdOf('Workspace', id) ? prefetchedModelsPage(id, info) : null;
      if (!key) return ctx.loaders.workspaces.load(id);
      const found = await ctx.loaders.modelPages.load(key);
      if (!found) return null;
      ctx.loaders.workspaces.prime(id, found.workspace);
      return found.workspace;
    },
  }),
  workspaces: t.connection(
    {
      type: Workspace,
      description: "The workspaces of the caller's account, a page at a time, oldest first (creation time, then id).",
      resolve: async (_root, args, ctx) => {
        const viewer = viewerOf(ctx);
        const page = await workspacePage(ctx.db, viewer.accountId, args);
        for (const { node } of page.edges) ctx.loaders.workspaces.prime(node.id, node);
        return { ...page, totalCount: () => countWorkspaces(ctx.db, viewer.accountId) };
      },
    },
    {
      name: 'WorkspaceConnection',
      description: "A page of the account's workspaces.",
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many workspaces the account has, on every page together. Costs nothing when not selected.',
          resolve: (connection) => connection.totalCount(),
        }),
      }),
    },
    { name: 'WorkspaceEdge', description: 'A workspace of the page and the cursor that points at it.' },
  ),
}));

type WorkspacePayload = { workspace: WorkspaceRow | null; userErrors: Problem[] };

builder.relayMutationField(
  'createWorkspace',
  {
    description: 'The name and labels of a new workspace.',
    inputFields: (t) => ({
      name: t.string({ required: true, description:
          'The name, stored trimmed: 1–100 characters after trimming, no control characters (INVALID_ARGUMENT); unique in the account ignoring ASCII case (CONFLICT).' }),
      labels: t.field({ type: [LabelInput], description: 'Labels of the new workspace: at most 64 pairs with distinct keys; none when omitted. A bad pair is an INVALID_ARGUMENT user error naming it.' }),
    }),
  },
  {
    description: 'Creates a workspace (ADMIN keys only) seeded with every catalog model, each MODEL_STATUS_ENABLED.',
    resolve: async (_root, { input }, ctx): Promise<WorkspacePayload> => {
      const viewer = viewerOf(ctx);
      if (viewer.role !== 'ADMIN') return { workspace: null, userErrors: userErrors(forbidden) };
      const badClientMutationId = clientMutationIdProblem(input);
      if (badClientMutationId) return { workspace: null, userErrors: userErrors(badClientMutationId) };
      const created = await createWorkspace(ctx.db, {
        accountId: viewer.accountId,
        profileId: viewer.profileId,
        name: input.name,
        labels: input.labels,
      });
      if (!created.ok) return { workspace: null, userErrors: userErrors(created.problem) };
      ctx.loaders.workspaces.prime(created.value.workspace.id, created.value.workspace);
      return { workspace: created.value.workspace, userErrors: [] };
    },
  },
  {
    description: 'What createWorkspace did: the new workspace, or why none was created.',
    outputFields: (t) => ({
      workspace: t.field({
        type: Workspace,
        nullable: true,
        description: 'The new workspace; null when userErrors is not empty.',
        resolve: (payload) => payload.workspace,
      }),
      userErrors: t.field({ type: [UserError], description: 'Why nothing was created: empty on success, otherwise exactly one entry.', resolve: (payload) => payload.userErrors }),
    }),
  },
);

