import { builder } from '../builder.ts';
import { HISTORY_ORDER, historyCursorScope, type StatusChange } from '../../domain/history.ts';
import { pageWindow, toPage } from '../../domain/pagination.ts';
import { ModelStatus } from './model.ts';
import { Model, ModelStatusChange } from './refs.ts';

builder.objectType(ModelStatusChange, {
  description:
    "One change of a model's status: who made it, in which request, when. The node of Model.statusHistory and the event of Subscription.modelStatusChanged. A write that leaves the status as it was records none.",
  fields: (t) => ({
    model: t.field({
      type: Model,
      description: 'The model whose status changed (as it is now when read from the history; just after the change in a live event).',
      resolve: async (change, _args, ctx) => {
        const model = change.model ?? (await ctx.loaders.models.load(change.modelId));
        if (!model) throw new Error(`Status change ${change.seq} has no model ${change.modelId}`);
        return model;
      },
    }),
    from: t.expose('fromStatus', { type: ModelStatus, description: 'The status before the change.' }),
    to: t.expose('toStatus', { type: ModelStatus, description: 'The status after the change.' }),
    profileId: t.exposeString('profileId', {
      description: `Who made the change: a user's profile, an API key's service account, or the catalog's system profile (prof_00000000000000000000000000) for changes of the catalog sync.`,
    }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The id of the request that made the change (its X-Request-Id); null for changes made outside a request, such as the catalog sync.',
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When the change was made: the start of its transaction, at millisecond precision.' }),
  }),
});

builder.objectField(Model, 'statusHistory', (t) =>
  t.connection(
    {
      type: ModelStatusChange,
      description:
        "Every change of the model's status, newest first, whatever made it (GraphQL, REST, a bulk change, the catalog sync); a write that left the status as it was is not listed. Readers may read it. Keyset cursors: a page stays stable while new changes are recorded.",
      resolve: async (model, args, ctx) => {
        // A cursor is valid only for this model's history.
        const scope = historyCursorScope(model.id);
        const window = pageWindow(args, scope, HISTORY_ORDER);
        const rows = await ctx.loaders.statusHistory.load({ modelId: model.id, window });
        // The changes are of the model just resolved: no second read of it.
        const changes: StatusChange[] = rows.map((row) => ({ ...row, model }));
        return { ...toPage(changes, window, scope, HISTORY_ORDER), totalCount: () => ctx.loaders.statusChangeCounts.load(model.id) };
      },
    },
    {
      name: 'ModelStatusChangeConnection',
      description: "A page of a model's status history, newest first.",
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many status changes the model has recorded, on every page together (not just this one). Costs nothing when not selected.',
          resolve: (connection) => connection.totalCount(),
        }),
      }),
    },
    { name: 'ModelStatusChangeEdge', description: 'A status change of the page and the cursor that points at it.' },
  ),
);

export type { StatusChange };
