import { GraphQLError } from 'graphql';
import { builder } from '../builder.ts';
import { unauthenticated, viewerOf } from '../context.ts';
import { fromProblem } from '../errors.ts';
import { notFound } from '../../domain/model-changes.ts';
import { Lagged, LiveClosedError, type LiveItem } from '../../domain/live.ts';
import { freshLoaders } from '../../domain/scope.ts';
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
      // The same refusal as every other surface's for a workspace it cannot see.
      if (!workspace) throw fromProblem(notFound(null, 'workspace'));
      if (!ctx.live) throw unavailable();
      try {
        return whileAuthenticated(await ctx.live.subscribe(viewer.accountId, workspace.id), ctx.stillAuthenticated);
      } catch (error) {
        if (error instanceof LiveClosedError) throw unavailable();
        throw error;
      }
    },
    resolve: (item: LiveItem | typeof REVOKED, _args, ctx) => {
      if (item === REVOKED) throw unauthenticated();
      if (item instanceof Lagged) {
        throw new GraphQLError(`This subscriber fell more than ${item.limit} events behind and was dropped: read the state again and resubscribe.`, {
          extensions: { code: 'SUBSCRIPTION_LAGGED', limit: item.limit },
        });
      }
      // A subscription's context lives as long as it does: each event reads
      // through loaders of its own, or a later event would see the rows an
      // earlier one cached (the event's own model travels with it).
      ctx.loaders = freshLoaders(ctx.db, ctx.viewer);
      return item;
    },
  }),
}));

function unavailable(): GraphQLError {
  return new GraphQLError('Live events are not available on this server process now (it may be shutting down): subscribe again.', {
    extensions: { code: 'UNAVAILABLE' },
  });
}

/** The last item of a subscription whose credentials were revoked or expired since it began. */
const REVOKED = Symbol('revoked');

/**
 * The source's items while the subscriber's credentials are still accepted,
 * checked before each one: then a last REVOKED item, and the end. Written
 * out rather than as an async generator, whose return() would wait for a
 * pending next() - the next event - before the subscriber is removed.
 */
function whileAuthenticated(source: AsyncIterableIterator<LiveItem>, stillAuthenticated: () => Promise<boolean>): AsyncIterableIterator<LiveItem | typeof REVOKED> {
  let revoked = false;
  const end = async (): Promise<IteratorResult<LiveItem | typeof REVOKED>> => {
    revoked = true;
    await source.return?.();
    return { value: undefined, done: true };
  };
  return {
    async next() {
      if (revoked) return { value: undefined, done: true };
      const result = await source.next();
      // A check that cannot be made (the database away) leaves the subscription as it was: it was authenticated, and is not known to be revoked.
      if (result.done || result.value instanceof Lagged || (await stillAuthenticated().catch(() => true))) return result;
      await end();
      return { value: REVOKED, done: false };
    },
    return: end,
    throw: end,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
