import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { viewerOf } from '../context.ts';
import { notFound } from '../errors.ts';
import { Lagged, LiveClosedError, type LiveItem } from '../../domain/live.ts';
import { createLoaders } from '../../domain/loaders.ts';
import { ModelStatusChange } from './refs.ts';

builder.subscriptionFields((t) => ({
  modelStatusChanged: t.field({
    type: ModelStatusChange,
    description:
      "The workspace's model status changes as they commit, in commit order, whoever made them (GraphQL, REST, bulk, the catalog sync) and on whichever server process. A write that leaves a status as it was sends nothing. A subscriber that falls more than 1,000 events behind gets one SUBSCRIPTION_LAGGED error and the stream ends: read the state again and resubscribe.",
    args: {
      workspaceId: t.arg.id({
        required: true,
        description: 'The workspace to follow (ws_…). A malformed or unknown id, or one of another account, is a NOT_FOUND error.',
      }),
    },
    subscribe: async (_root, { workspaceId }, ctx) => {
      const viewer = viewerOf(ctx);
      const workspace = await ctx.loaders.workspaces.load(workspaceId);
      if (!workspace) throw notFound('No workspace with this id exists in this account.');
      if (!ctx.live) throw unavailable();
      try {
        return await ctx.live.subscribe(viewer.accountId, workspace.id);
      } catch (error) {
        if (error instanceof LiveClosedError) throw unavailable();
        throw error;
      }
    },
    resolve: (item: LiveItem, _args, ctx) => {
      if (item instanceof Lagged) {
        throw new GraphQLError(`This subscriber fell more than ${item.limit} events behind and was dropped: read the state again and resubscribe.`, {
          extensions: { code: 'SUBSCRIPTION_LAGGED', limit: item.limit },
        });
      }
      // A subscription's context lives as long as it does: each event reads
      // through loaders of its own, or a later event would see the rows an
      // earlier one cached (the event's own model travels with it).
      ctx.loaders = createLoaders(ctx.db, ctx.viewer?.accountId ?? null);
      return item;
    },
  }),
}));

function unavailable(): GraphQLError {
  return new GraphQLError('Live events are not available on this server process now (it may be shutting down): subscribe again.', {
    extensions: { code: 'UNAVAILABLE' },
  });
}
