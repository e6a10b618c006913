import { builder } from '../builder.ts';
import type { StatusChange } from '../../domain/history.ts';
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

export type { StatusChange };
