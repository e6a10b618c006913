import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { Context } from './context.ts';
import { idKind } from '../db/ids.ts';
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
    nodesOnConnection: { description: 'The nodes of the edges, for clients that need no cursors.' },
    edgesFieldOptions: { nullable: { list: false, items: false }, description: 'The edges of this page, in order.' },
    nodeFieldOptions: { nullable: false, description: 'The item at the end of the edge.' },
    cursorFieldOptions: { description: 'An opaque cursor for this edge, valid for the same connection and order only.' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page. Exact when paginating with `first`.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page. Exact when paginating with `last`.' },
    startCursorFieldOptions: { description: 'The cursor of the first edge; null on an empty page.' },
    endCursorFieldOptions: { description: 'The cursor of the last edge; null on an empty page.' },
    firstArgOptions: { description: 'Return the first n items after `after` (0 to 100; default 50).' },
    lastArgOptions: { description: 'Return the last n items before `before` (0 to 100; default 50 when only `before` is given).' },
    afterArgOptions: { description: 'A cursor from this connection: return items after it.' },
    beforeArgOptions: { description: 'A cursor from this connection: return items before it.' },
    idFieldOptions: { description: 'The globally unique id: a prefixed ULID whose prefix names the type.' },
    nodeTypeOptions: { description: 'An object with a globally unique id: the prefix of the id names its type.' },
    pageInfoTypeOptions: { description: 'Pagination state of a connection page (Relay Cursor Connections).' },
    clientMutationIdInputOptions: { description: 'Any value; echoed back in the payload.' },
    clientMutationIdFieldOptions: { description: 'The clientMutationId of the input, echoed.' },
  },
});

builder.queryType({ description: 'The root of every read.' });
builder.mutationType({ description: 'The root of every write. Expected failures come back as userErrors.' });

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
