import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Context } from './context.ts';
import { idKind } from '../db/ids.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/pagination.ts';
import { isoString } from '../domain/time.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [RelayPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'optional',
    cursorType: 'String',
    // The prefixed ULID is the global id: no second, base64 id.
    encodeGlobalID: (_typename, id) => String(id),
    decodeGlobalID: (globalID) => ({ typename: idKind(globalID) ?? '', id: globalID }),
    // node and nodes are defined in schema/node.ts: they answer null for bad
    // ids instead of raising, and cap the number of ids.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodesOnConnection: { description: 'The items of this page, in order, without cursors: for clients that page with pageInfo alone.' },
    edgesFieldOptions: {
      nullable: { list: false, items: false },
      description: 'The items of this page with their cursors, in the order of the connection (empty when nothing matches).',
    },
    nodeFieldOptions: { nullable: false, description: 'The item of this edge.' },
    cursorFieldOptions: {
      description:
        "An opaque cursor pointing at this item: pass it as `after` or `before` to page from here. Valid only for the same connection and orderBy; don't parse it.",
    },
    pageInfoFieldOptions: { description: 'Cursors of the page ends and whether more items lie beyond them.' },
    hasNextPageFieldOptions: {
      description: 'Whether items follow this page. Exact when paging forward with `first`; always false when paging with `last`.',
    },
    hasPreviousPageFieldOptions: {
      description: 'Whether items precede this page. Exact when paging backward with `last`; always false when paging with `first`.',
    },
    startCursorFieldOptions: { description: 'The cursor of the first edge, to pass as `before` for the previous page; null on an empty page.' },
    endCursorFieldOptions: { description: 'The cursor of the last edge, to pass as `after` for the next page; null on an empty page.' },
    firstArgOptions: {
      description: `Page forward: at most this many items after \`after\`, 0 to ${MAX_PAGE_SIZE} (${DEFAULT_PAGE_SIZE} when neither \`first\` nor \`last\` is given). Negative, over ${MAX_PAGE_SIZE} or given with \`last\`: a BAD_USER_INPUT error.`,
    },
    lastArgOptions: {
      description: `Page backward: at most this many items before \`before\`, 0 to ${MAX_PAGE_SIZE} (${DEFAULT_PAGE_SIZE} when only \`before\` is given). Negative, over ${MAX_PAGE_SIZE} or given with \`first\`: a BAD_USER_INPUT error.`,
    },
    afterArgOptions: {
      description: 'Start after this cursor (an `endCursor` or edge `cursor` of the same connection and orderBy). A malformed or foreign cursor is a BAD_USER_INPUT error.',
    },
    beforeArgOptions: {
      description: 'End before this cursor (a `startCursor` or edge `cursor` of the same connection and orderBy). A malformed or foreign cursor is a BAD_USER_INPUT error.',
    },
    idFieldOptions: { description: 'The globally unique id: a prefixed ULID whose prefix names the type (ws_…, model_…).' },
    nodeTypeOptions: {
      description: 'An object that can be fetched by its id alone with `node` or `nodes`: Workspace or Model. The prefix of the id names the type.',
    },
    pageInfoTypeOptions: { description: 'Where a connection page starts and ends, and whether more items lie beyond it (Relay Cursor Connections).' },
    mutationInputArgOptions: { description: "The mutation's arguments, all in one object; its type documents each field's rules." },
    clientMutationIdInputOptions: {
      description: 'Any string of yours, echoed in the payload to match answers to requests (text with NUL or ill-formed Unicode is an INVALID_ARGUMENT user error).',
    },
    clientMutationIdFieldOptions: { description: "The input's clientMutationId, unchanged; null when the input had none." },
  },
});

builder.queryType({
  description: "Every read. Everything returned belongs to the caller's account; ids of other accounts look like unknown ids (null).",
});
builder.mutationType({
  description:
    'Every write; each needs an ADMIN key. Expected failures (FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, CONFLICT) come back in the payload as userErrors and change nothing.',
});

builder.subscriptionType({
  description:
    "Live events, over GraphQL over SSE (Accept: text/event-stream) or WebSocket (graphql-ws protocol). Authenticated and scoped like queries: only the caller's account's events.",
});

builder.scalarType('DateTime', {
  description: 'An instant as an RFC 3339 string in UTC with millisecond precision, e.g. 2026-11-28T18:00:00.000Z.',
  serialize: (value) => isoString(value),
  parseValue: (value) => parseDateTime(value),
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an RFC 3339 string', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return date;
}
