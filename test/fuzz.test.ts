/**
 * Fuzzing (issue 3): hostile values in every argument and input field, random
 * operations built from the schema, keyset cursors forged with hostile keys,
 * and malformed HTTP requests. Whatever arrives, the answer is never a 500,
 * always JSON, never an internal error, and never shows a stack, SQL or the
 * name of a driver; afterwards the app still answers. Text with NUL or lone
 * surrogates is refused in every text input (DESIGN.md). Fixed seeds, so a
 * failure reproduces; each property reports every kind of violation it met,
 * with the shortest request that showed it.
 */
import fc from 'fast-check';
import {
  GraphQLNonNull,
  GraphQLString,
  Kind,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  print,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLEnumType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { idPrefixes, newId } from '../src/db/ids.ts';
import { schema } from '../src/graphql/schema/index.ts';
import { setupTestApp, type Tenant } from './helpers.ts';
import { Violations } from './violations.ts';

const app = await setupTestApp();

const SEED = 20261128;
/** Runs per property; their sum is what CI runs (at least 2,000). */
const RUNS = { hostileArguments: 1200, randomOperations: 700, keysetCursors: 300, httpRequests: 300 } as const;
const PROPERTY_TIMEOUT = 180_000;

// ---------------------------------------------------------------------------
// Fixture: one tenant to read, one to write (so reads stay cheap while writes
// pile up), one whose ids are foreign to both.

async function firstModelIds(tenant: Tenant): Promise<string[]> {
  const res = await app.gql(/* GraphQL */ `query Ids($id: ID!) { workspace(id: $id) { models(first: 5) { nodes { id } } } }`, {
    key: tenant.adminKey,
    variables: { id: tenant.workspaceId },
  });
  return res.body.data.workspace.models.nodes.map((node: { id: string }) => node.id);
}

const MODEL_ORDERS = ['CREATED_AT', 'NAME', 'PROVIDER'].flatMap((field) => ['ASC', 'DESC'].map((direction) => ({ field, direction })));
type ModelOrder = (typeof MODEL_ORDERS)[number];

/** Cursors as the API hands them out: the workspaces connection, and the models connection in every order. */
async function realCursors(tenant: Tenant): Promise<string[]> {
  const aliases = MODEL_ORDERS.map(
    (order, i) => `o${i}: models(first: 2, orderBy: { field: ${order.field}, direction: ${order.direction} }) { edges { cursor } }`,
  );
  const res = await app.gql(`query Cursors($id: ID!) { workspaces(first: 2) { edges { cursor } } workspace(id: $id) { ${aliases.join(' ')} } }`, {
    key: tenant.adminKey,
    variables: { id: tenant.workspaceId },
  });
  const connections = [res.body.data.workspaces, ...Object.values(res.body.data.workspace)] as { edges: { cursor: string }[] }[];
  return connections.flatMap((connection) => connection.edges.map((edge) => edge.cursor));
}

const reads = await app.tenant('Fuzz reads');
const writes = await app.tenant('Fuzz writes');
const foreign = await app.tenant('Fuzz foreign');
const modelIds = { reads: await firstModelIds(reads), writes: await firstModelIds(writes), foreign: await firstModelIds(foreign) };
const cursors = [...(await realCursors(reads)), ...(await realCursors(foreign))];
const knownIds = [
  ...[reads, writes, foreign].flatMap((t) => [t.workspaceId, t.accountId, t.profileId, t.adminKey.split('.')[0]!]),
  ...modelIds.reads,
  ...modelIds.writes,
  ...modelIds.foreign,
];

// ---------------------------------------------------------------------------
// Hostile values.

/** Strings that have broken parsers, databases and JSON encoders before. */
const NASTY_STRINGS = [
  '', ' ', '\t', '\n', '\r\n', '\u0000', 'a\u0000b', '\u0000'.repeat(64), '\ud800', 'a\udfff', '\udc00\ud800', '\ud83d',
  '\u0007', '\u001b[31m', '\u0085', '\u00a0', '\u200b', '\u202e', '\ufeff', '\uffff', '\u2028\u2029', 'e\u0301', '👩‍👩‍👧‍👦', '😀',
  '%', '_', '%_', '\\', '\\%', '"', "'", '`', "' OR '1'='1", "'; DROP TABLE models; --", 'select 1', '$1', '::text', '::jsonb',
  'null', 'undefined', 'NaN', 'true', '0', '-1', '1e308', '__proto__', 'constructor', 'prototype', 'toString', '{}', '[]',
  '{"a":1}', '../..', '/graphql', '${7*7}', '{{7*7}}', '<script>', 'MODEL_STATUS_ENABLED', 'model_', 'ws_', 'key_',
];

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const codeUnitString = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength });

/** 10k–200k characters of one kind; some exceed the 1 MB body limit once JSON-escaped. */
const hugeString = fc
  .tuple(fc.integer({ min: 10_000, max: 200_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', '%', '0', ' ', '\ud800', 'model_'))
  .map(([length, piece]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));

/** NUL and lone surrogates: PostgreSQL refuses the first in text, JSON encoders choke on the second. */
const BAD_CHARACTERS = ['\u0000', '\ud800', '\udfff', '\udc00\ud800'];
const putAt = (text: string, bad: string, at: number) => text.slice(0, at) + bad + text.slice(at);
/** Valid text with one NUL or lone surrogate put in at some position. */
const textWithBadCharacter = fc
  .tuple(fc.stringMatching(/^[a-z0-9]{1,20}$/), fc.constantFrom(...BAD_CHARACTERS), fc.nat())
  .map(([text, bad, at]) => putAt(text, bad, at % (text.length + 1)));

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: textWithBadCharacter },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 3, arbitrary: codeUnitString(30) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 1, arbitrary: hugeString },
);

const edgeNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1, 49, 50, 51, 99, 100, 101, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 53, 1e308, -1e308, 0.5, -0.5, 1e-7),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** A value of any JSON type: what a buggy client puts where it should not. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 3, arbitrary: edgeNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 150 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 4 }) },
);

const ULID = fc.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
const wellFormedId = fc.tuple(fc.constantFrom(...Object.values(idPrefixes)), ULID).map(([prefix, ulid]) => `${prefix}_${ulid}`);

/** Ways a real id gets mangled on its way through clients, URLs and logs. */
const ID_TWEAKS: ((id: string) => string)[] = [
  (id) => id.toLowerCase(),
  (id) => id.toUpperCase(),
  (id) => `${id}\n`,
  (id) => ` ${id}`,
  (id) => id.replace('_', '__'),
  (id) => id.replace('_', '%5F'),
  (id) => encodeURIComponent(`${id}/`),
  (id) => id.slice(0, -1),
  (id) => `${id}0`,
  (id) => id.padEnd(10_000, 'Z'),
  (id) => `${id}\u0000`,
  (id) => `${id.slice(0, -1)}\ud800`,
  (id) => id.replace(/^[a-z]+/, 'acct'),
  (id) => Buffer.from(id).toString('base64'),
];
const idString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...knownIds) },
  { weight: 2, arbitrary: wellFormedId },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...knownIds), fc.constantFrom(...ID_TWEAKS)).map(([id, tweak]) => tweak(id)) },
  { weight: 2, arbitrary: hostileString },
);

/** Cursors are base64url JSON today: forge them with every kind of content. */
const forgeCursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const cursorScope = fc.oneof(
  fc.constant('workspaces'),
  fc
    .tuple(fc.constantFrom(reads.workspaceId, foreign.workspaceId, 'ws_'), fc.constantFrom('CREATED_AT', 'NAME', 'PROVIDER', 'X'), fc.constantFrom('ASC', 'DESC', ''))
    .map((parts) => parts.join(':')),
  hostileString,
);
const cursorKey: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...knownIds),
  wellFormedId,
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ maxLength: 1100, minLength: 1000 }),
  edgeNumber,
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);
/** Timestamps a keyset cursor may carry: the edges of what JavaScript and PostgreSQL accept. */
const cursorTimestamp = fc.oneof(
  fc.constantFrom(
    '1970-01-01T00:00:00.000Z', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2026-02-30T00:00:00.000Z',
    '2026-11-28T18:00:00.000+01:00', '+275760-09-13T00:00:00.000Z', 'infinity', '-infinity', 'epoch', 'now', 'allballs',
  ),
  fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()),
);
/** Key values for text sort keys (NAME, PROVIDER): anything, up to and past the 1,024-character bound. */
const cursorText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  codeUnitString(10),
  fc.constantFrom('', 'anthropic', 'claude sonnet 4.6', 'Z', '\uffff', '\u{10ffff}', 'ÿ', "'", 'a'.repeat(1024), 'a'.repeat(1025)),
  hostileString,
  textWithBadCharacter,
);
const idOfKind = (kind: 'Model' | 'Workspace', known: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: ULID.map((ulid) => `${idPrefixes[kind]}_${ulid}`) },
    { weight: 1, arbitrary: idString },
  );
const cursorModelId = idOfKind('Model', [...modelIds.reads, ...modelIds.foreign]);
const cursorWorkspaceId = idOfKind('Workspace', [reads.workspaceId, writes.workspaceId, foreign.workspaceId]);

/** The keys of a cursor for a models connection in `order`: right in number and kind, hostile in value. */
const modelCursorKeys = (order: ModelOrder): fc.Arbitrary<unknown[]> => {
  switch (order.field) {
    case 'CREATED_AT':
      return fc.tuple(cursorTimestamp, cursorModelId);
    case 'NAME':
      return fc.tuple(cursorText, cursorModelId);
    default:
      return fc.tuple(cursorText, cursorText, cursorModelId);
  }
};

/**
 * Cursors with the scope and number of keys of a real connection and order,
 * and hostile key values: the ones that get past decoding to the database.
 */
const wellShapedCursor = fc.oneof(
  fc.tuple(cursorTimestamp, cursorWorkspaceId).map(([at, id]) => forgeCursor(['workspaces', at, id])),
  fc
    .tuple(fc.constantFrom(reads.workspaceId, foreign.workspaceId), fc.constantFrom(...MODEL_ORDERS))
    .chain(([ws, order]) => modelCursorKeys(order).map((keys) => forgeCursor([`${ws}:${order.field}:${order.direction}`, ...keys]))),
);
const cursorString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...cursors) },
  { weight: 4, arbitrary: wellShapedCursor },
  { weight: 2, arbitrary: fc.tuple(cursorScope, fc.array(cursorKey, { maxLength: 4 })).map(([scope, keys]) => forgeCursor([scope, ...keys])) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map(forgeCursor) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...cursors), fc.constantFrom<(c: string) => string>((c) => `${c}A`, (c) => c.slice(1), (c) => `${c}==`, (c) => c.replace(/-/g, '+'), (c) => c.toUpperCase()))
      .map(([cursor, tweak]) => tweak(cursor)),
  },
  { weight: 2, arbitrary: hostileString },
);

const labelKey = fc.oneof(
  fc.stringMatching(/^[a-z0-9._/-]{1,63}$/),
  fc.constantFrom('a'.repeat(63), 'a'.repeat(64), 'A', 'key with space', 'é', 'k\u0000', '__proto__', 'constructor', 'hasOwnProperty', '..', '/'),
  hostileString,
  textWithBadCharacter,
);
const labelValue = fc.oneof(
  fc.string({ maxLength: 255 }),
  fc.constantFrom('a'.repeat(255), 'a'.repeat(256), '😀'.repeat(255), '😀'.repeat(256), '{"nested":"json"}'),
  hostileString,
  textWithBadCharacter,
);
const labelList = fc.oneof(
  fc.array(fc.record({ key: labelKey, value: labelValue }), { maxLength: 4 }),
  fc.array(fc.record({ key: fc.stringMatching(/^[a-z]{1,8}$/), value: fc.string({ maxLength: 4 }) }), { minLength: 60, maxLength: 70 }),
  fc.constant([{ key: 'dup', value: '1' }, { key: 'dup', value: '2' }]),
);
const workspaceName = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }),
  fc.constantFrom(' ', '\t\n', 'x'.repeat(100), 'x'.repeat(101), '😀'.repeat(100), '😀'.repeat(101), '  padded  ', 'bell\u0007', 'nel\u0085', 'zw\u200bsp', 'Fuzz reads workspace', 'FUZZ WRITES WORKSPACE'),
  hostileString,
  textWithBadCharacter,
);
const filterText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('%', '_', '%%', '\\', 'CLAUDE', 'anthropic', 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(255), 'x'.repeat(256)),
  hostileString,
  textWithBadCharacter,
);
const pageSize = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }) }, { weight: 2, arbitrary: edgeNumber }, { weight: 1, arbitrary: fc.constant(null) });

/** Values for arguments and input fields, by their name in the schema. */
const VALUES_BY_NAME: Record<string, fc.Arbitrary<unknown>> = {
  id: idString,
  ids: fc.array(idString, { maxLength: 150 }),
  after: cursorString,
  before: cursorString,
  first: pageSize,
  last: pageSize,
  key: labelKey,
  value: labelValue,
  labels: labelList,
  name: workspaceName,
  search: filterText,
  provider: filterText,
  family: filterText,
  bundleKey: filterText,
  clientMutationId: hostileString,
};

const enumValue = (type: GraphQLEnumType) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...type.getValues().map((v) => v.name)) },
    { weight: 1, arbitrary: fc.constantFrom('BOGUS', 'model_status_enabled', 'asc', '', 'MODEL_STATUS_ENABLED ') },
  );

const scalarValue = (scalar: string): fc.Arbitrary<unknown> => {
  switch (scalar) {
    case 'Int':
      return pageSize;
    case 'Boolean':
      return fc.boolean();
    case 'Float':
      return edgeNumber;
    default:
      return hostileString;
  }
};

// ---------------------------------------------------------------------------
// Writing operations: values inline as GraphQL literals, or as variables.

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** The type expected inside a list or at an input field, when the value follows the schema. */
function innerType(type: GraphQLInputType | null, field?: string): GraphQLInputType | null {
  const nullable = type && isNonNullType(type) ? type.ofType : type;
  if (field === undefined) return nullable && isListType(nullable) ? nullable.ofType : nullable;
  return nullable && isInputObjectType(nullable) ? (nullable.getFields()[field]?.type ?? null) : null;
}

/** A GraphQL literal for any JSON value; strings become enum names where an enum is expected. */
function toLiteral(value: unknown, type: GraphQLInputType | null): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((item) => toLiteral(item, innerType(type))).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value).map(
      ([name, item], i) => `${GRAPHQL_NAME.test(name) ? name : `field${i}`}: ${toLiteral(item, innerType(type, name))}`,
    );
    return `{${fields.join(', ')}}`;
  }
  if (typeof value === 'string') {
    const named = type && getNamedType(type);
    const asEnum = named && isEnumType(named) && GRAPHQL_NAME.test(value) && !['true', 'false', 'null'].includes(value);
    return asEnum ? value : JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return String(value);
}

function stringsIn(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) into.push(key), stringsIn(item, into);
  return into;
}

interface Operation {
  query: string;
  variables: Record<string, unknown>;
  /** Every string sent, so that error messages quoting them are not mistaken for leaks. */
  sent: string[];
}

/** Collects one operation as it is written: variable definitions, fragments, aliases. */
class OperationWriter {
  private readonly definitions: string[] = [];
  private readonly fragments: string[] = [];
  private readonly variables: Record<string, unknown> = {};
  private readonly sent: string[] = [];
  private aliases = 0;

  /** `name: value`, inline or through a variable declared as `declared`. */
  argument(name: string, type: GraphQLInputType, value: unknown, inline: boolean, declared = String(type)): string {
    stringsIn(value, this.sent);
    if (inline) return `${name}: ${toLiteral(value, type)}`;
    const variable = `v${this.definitions.length}`;
    this.definitions.push(`$${variable}: ${declared}`);
    this.variables[variable] = value;
    return `${name}: $${variable}`;
  }

  /** `(a: …, b: …)` for the defined values, or nothing. */
  arguments(args: readonly GraphQLArgument[], values: Record<string, unknown>, inline: boolean): string {
    const parts = args.filter((arg) => values[arg.name] !== undefined).map((arg) => this.argument(arg.name, arg.type, values[arg.name], inline));
    return parts.length > 0 ? `(${parts.join(', ')})` : '';
  }

  alias(): string {
    return `a${++this.aliases}`;
  }

  fragment(typeName: string, selectionSet: string): string {
    const name = `F${this.fragments.length}`;
    this.fragments.push(`fragment ${name} on ${typeName} ${selectionSet}`);
    return name;
  }

  operation(kind: 'query' | 'mutation' | 'subscription', selectionSet: string): Operation {
    const variables = this.definitions.length > 0 ? `(${this.definitions.join(', ')})` : '';
    return { query: [`${kind} Fuzz${variables} ${selectionSet}`, ...this.fragments].join('\n'), variables: this.variables, sent: this.sent };
  }
}

// ---------------------------------------------------------------------------
// Sending, and what every response must satisfy.

type Caller = 'admin' | 'reader' | 'anonymous' | 'forged key';
const callerArb = fc.oneof(
  { weight: 14, arbitrary: fc.constant<Caller>('admin') },
  { weight: 3, arbitrary: fc.constant<Caller>('reader') },
  { weight: 2, arbitrary: fc.constant<Caller>('anonymous') },
  { weight: 1, arbitrary: fc.constant<Caller>('forged key') },
);
const FORGED_KEY = `${newId('ApiKey')}.${'A'.repeat(43)}`;

function authorization(tenant: Tenant, caller: Caller): Record<string, string> {
  const key = { admin: tenant.adminKey, reader: tenant.readerKey, anonymous: null, 'forged key': FORGED_KEY }[caller];
  return key ? { authorization: `Bearer ${key}` } : {};
}

const stats = {
  runs: new Map<string, number>(),
  /** Responses with data: the runs that got past validation into the resolvers. */
  executed: new Map<string, number>(),
  statuses: new Map<number, number>(),
  codes: new Map<string, number>(),
};
const tally = <K>(counts: Map<K, number>, key: K) => counts.set(key, (counts.get(key) ?? 0) + 1);

/** Stacks, SQL, and the names of the database drivers. */
const LEAK = /    at |select |insert |update |failed query|postgres|pglite|drizzle/i;

/** A message with every string the client sent blanked out: quoting the input back is not a leak. */
function withoutInput(message: string, sent: readonly string[]): string {
  let text = message;
  for (const value of [...sent].sort((a, b) => b.length - a.length)) {
    if (value.length < 2) continue;
    for (const form of [value, JSON.stringify(value), JSON.stringify(value).slice(1, -1), print({ kind: Kind.STRING, value })]) text = text.split(form).join('⟨input⟩');
  }
  return text;
}

/** Every `message` in a body: GraphQL errors, and userErrors anywhere in data. */
function messagesIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) messagesIn(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'message' && typeof item === 'string') into.push(item);
      else messagesIn(item, into);
    }
  }
  return into;
}

const clip = (text: string, max = 1500) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);


/** Checks one response against the properties every response has; returns the parsed body, or null. */
function checkResponse(violations: Violations, status: number, text: string, sent: readonly string[], request: string): any {
  tally(stats.statuses, status);
  const example = `${clip(request)}\n→ ${status} ${clip(text, 600)}`;
  if (status >= 500) violations.record(`status ${status}`, example);
  let body: any = null;
  try {
    body = JSON.parse(text);
  } catch {
    violations.record(`body is not JSON (status ${status})`, example);
    return null;
  }
  const errors: { extensions?: { code?: string } }[] = Array.isArray(body?.errors) ? body.errors : [];
  for (const error of errors) {
    tally(stats.codes, error.extensions?.code ?? '(none)');
    if (error.extensions?.code === 'INTERNAL_SERVER_ERROR') violations.record('INTERNAL_SERVER_ERROR', example);
  }
  for (const message of [...messagesIn(body), JSON.stringify(errors)]) {
    const leak = LEAK.exec(withoutInput(message, sent));
    if (leak) violations.record(`leaks ${JSON.stringify(leak[0])}`, example);
  }
  return body;
}

async function sendOperation(property: string, violations: Violations, tenant: Tenant, caller: Caller, operation: Operation): Promise<any> {
  tally(stats.runs, property);
  const body = JSON.stringify({ query: operation.query, variables: operation.variables });
  const response = await app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authorization(tenant, caller) },
    body,
  });
  const request = `${caller} ${operation.query}\nvariables ${JSON.stringify(operation.variables)}`;
  const parsed = checkResponse(violations, response.status, await response.text(), operation.sent, request);
  if (parsed?.data) tally(stats.executed, property);
  return parsed;
}

// ---------------------------------------------------------------------------
// Call sites: every field of the schema that takes arguments, with valid
// arguments to start from.

type Path = (string | number)[];

interface Site {
  /** Schema coordinate: "Query.model", "Workspace.models", "Mutation.createWorkspace"… */
  coordinate: string;
  kind: 'query' | 'mutation' | 'subscription';
  tenant: Tenant;
  validArgs(): Record<string, unknown>;
  /** The operation's selection set around the call, e.g. `model(id: $v0)`. */
  around(call: string): string;
}

const MODEL_SELECTION = /* GraphQL */ `{ id metadata { name labels { key value } } spec { status } }`;
const PAYLOAD_SELECTION = (object: string) => /* GraphQL */ `{ clientMutationId ${object} { id } userErrors { code field message } }`;
let createdNames = 0;

const SITES: Site[] = [
  { coordinate: 'Query.model', kind: 'query', tenant: reads, validArgs: () => ({ id: modelIds.reads[0] }), around: (call) => `{ ${call} ${MODEL_SELECTION} }` },
  { coordinate: 'Query.node', kind: 'query', tenant: reads, validArgs: () => ({ id: reads.workspaceId }), around: (call) => `{ ${call} { __typename id } }` },
  {
    coordinate: 'Query.nodes',
    kind: 'query',
    tenant: reads,
    validArgs: () => ({ ids: [modelIds.reads[0], reads.workspaceId, modelIds.foreign[0]] }),
    around: (call) => `{ ${call} { __typename id ... on Model ${MODEL_SELECTION} } }`,
  },
  { coordinate: 'Query.workspace', kind: 'query', tenant: reads, validArgs: () => ({ id: reads.workspaceId }), around: (call) => `{ ${call} { id name labels { key } } }` },
  {
    coordinate: 'Query.workspaces',
    kind: 'query',
    tenant: reads,
    validArgs: () => ({ first: 10 }),
    around: (call) => `{ ${call} { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`,
  },
  {
    coordinate: 'Workspace.models',
    kind: 'query',
    tenant: reads,
    validArgs: () => ({
      first: 10,
      filter: { status: 'MODEL_STATUS_ENABLED', provider: 'anthropic', search: 'claude', labels: [{ key: 'env', value: 'prod' }] },
      orderBy: { field: 'NAME', direction: 'DESC' },
    }),
    around: (call) =>
      `{ workspace(id: ${JSON.stringify(reads.workspaceId)}) { id ${call} { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node ${MODEL_SELECTION} } } } }`,
  },
  {
    coordinate: 'Model.statusHistory',
    kind: 'query',
    tenant: reads,
    validArgs: () => ({ first: 5 }),
    around: (call) =>
      `{ model(id: ${JSON.stringify(modelIds.reads[0])}) { id ${call} { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { from to profileId requestId at model { id } } } } } }`,
  },
  {
    coordinate: 'Mutation.enableModel',
    kind: 'mutation',
    tenant: writes,
    validArgs: () => ({ input: { id: modelIds.writes[2], clientMutationId: 'fuzz' } }),
    around: (call) => `{ ${call} ${PAYLOAD_SELECTION('model')} }`,
  },
  {
    coordinate: 'Mutation.disableModel',
    kind: 'mutation',
    tenant: writes,
    validArgs: () => ({ input: { id: modelIds.writes[2], clientMutationId: 'fuzz' } }),
    around: (call) => `{ ${call} ${PAYLOAD_SELECTION('model')} }`,
  },
  {
    coordinate: 'Mutation.setModelStatuses',
    kind: 'mutation',
    tenant: writes,
    validArgs: () => ({ input: { workspaceId: writes.workspaceId, ids: [modelIds.writes[3], modelIds.writes[4]], status: 'MODEL_STATUS_DISABLED', clientMutationId: 'fuzz' } }),
    around: (call) => `{ ${call} { clientMutationId models { id spec { status } } userErrors { code field message } } }`,
  },
  {
    // Sent as JSON (sendOperation): a subscription that starts is refused 406 and closed at once;
    // the over-the-wire transports are fuzzed by their own tests.
    coordinate: 'Subscription.modelStatusChanged',
    kind: 'subscription',
    tenant: reads,
    validArgs: () => ({ workspaceId: reads.workspaceId }),
    around: (call) => `{ ${call} { from to profileId requestId at model { id } } }`,
  },
  {
    coordinate: 'Mutation.setModelStatus',
    kind: 'mutation',
    tenant: writes,
    validArgs: () => ({ input: { id: modelIds.writes[0], status: 'MODEL_STATUS_DISABLED', clientMutationId: 'fuzz' } }),
    around: (call) => `{ ${call} ${PAYLOAD_SELECTION('model')} }`,
  },
  {
    coordinate: 'Mutation.setModelLabels',
    kind: 'mutation',
    tenant: writes,
    validArgs: () => ({ input: { id: modelIds.writes[1], labels: [{ key: 'env', value: 'prod' }], clientMutationId: 'fuzz' } }),
    around: (call) => `{ ${call} ${PAYLOAD_SELECTION('model')} }`,
  },
  {
    coordinate: 'Mutation.createWorkspace',
    kind: 'mutation',
    tenant: writes,
    validArgs: () => ({ input: { name: `Fuzz ${++createdNames}`, labels: [{ key: 'env', value: 'prod' }], clientMutationId: 'fuzz' } }),
    around: (call) => `{ ${call} ${PAYLOAD_SELECTION('workspace')} }`,
  },
];

function fieldAt(coordinate: string): GraphQLField<unknown, unknown> {
  const [typeName, fieldName] = coordinate.split('.') as [string, string];
  const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName];
  if (!field) throw new Error(`No field ${coordinate}`);
  return field;
}

/** Every place a value can go under a type: the value itself, each input field, the first list item. */
function pathsUnder(type: GraphQLInputType, prefix: Path): Path[] {
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) return [prefix, ...pathsUnder(nullable.ofType, [...prefix, 0])];
  if (isInputObjectType(nullable)) return [prefix, ...Object.values(nullable.getFields()).flatMap((f) => pathsUnder(f.type, [...prefix, f.name]))];
  return [prefix];
}

/** A copy of `args` with `value` at `path`, creating what lies on the way. */
function withValueAt(args: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(args);
  let node: any = copy;
  path.forEach((step, i) => {
    if (i === path.length - 1) node[step] = value;
    else node = node[step] ??= typeof path[i + 1] === 'number' ? [] : {};
  });
  return copy;
}

interface Slot {
  site: Site;
  path: Path;
}
const SLOTS: Slot[] = SITES.flatMap((site) => fieldAt(site.coordinate).args.flatMap((arg) => pathsUnder(arg.type, [arg.name]).map((path) => ({ site, path }))));
const slotName = ({ site, path }: Slot) => `${site.coordinate}(${path.join('.')})`;

/** A value for a slot: one made for its name (an id, a cursor, a label key…), or anything at all. */
function hostileValueFor(path: Path): fc.Arbitrary<unknown> {
  const last = path.at(-1);
  const name = typeof last === 'string' ? last : path.at(-2) === 'ids' ? 'id' : undefined;
  const forName = name === undefined ? undefined : VALUES_BY_NAME[name];
  return forName ? fc.oneof({ weight: 2, arbitrary: forName }, { weight: 1, arbitrary: hostileValue }) : hostileValue;
}

function siteOperation(site: Site, args: Record<string, unknown>, inline: boolean): Operation {
  const writer = new OperationWriter();
  const field = fieldAt(site.coordinate);
  return writer.operation(site.kind, site.around(`${field.name}${writer.arguments(field.args, args, inline)}`));
}

// ---------------------------------------------------------------------------
// Random operations from the schema, drawn with fast-check's `gen`.

type Draw = fc.GeneratorValue;
const MAX_DEPTH = 5;
const oneIn = (draw: Draw, n: number) => draw(fc.integer, { min: 1, max: n }) === 1;
/** 1 to `max` of the fields, drawn by name (schema objects are cyclic; fast-check compares what it draws). */
function drawSome<F extends { name: string }>(draw: Draw, fields: readonly F[], max: number): F[] {
  if (fields.length === 0) return [];
  const names = draw(fc.subarray, fields.map((f) => f.name), { minLength: 1, maxLength: Math.min(max, fields.length) });
  return names.map((name) => fields.find((f) => f.name === name)!);
}
const WRONG_DECLARATIONS = ['Int', 'String', 'ID!', '[ID!]!', 'Boolean', 'ModelStatus', 'LabelInput', 'NoSuchType', '[[String]]'];

/**
 * What one random operation is drawn with. A well-typed operation passes
 * validation (its values are of the right types, hostile in content) and so
 * reaches the resolvers; the others also get values of any type, wrong
 * variable declarations, unknown arguments and fields.
 */
interface OperationDraw {
  draw: Draw;
  writer: OperationWriter;
  wellTyped: boolean;
}

const PAGE_SIZE_IN_RANGE = fc.integer({ min: 0, max: 100 });

/** A value for an input type: of that type with hostile content, or (not well-typed) sometimes of any type. */
function randomInputValue(op: OperationDraw, type: GraphQLInputType, name: string): unknown {
  const { draw, wellTyped } = op;
  if (!wellTyped && oneIn(draw, 15)) return draw(() => hostileValue);
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) {
    const list = VALUES_BY_NAME[name];
    if (list && oneIn(draw, 2)) return draw(() => list);
    const itemName = name === 'ids' ? 'id' : name;
    return Array.from({ length: draw(fc.integer, { min: 0, max: 3 }) }, () => randomInputValue(op, nullable.ofType, itemName));
  }
  if (isInputObjectType(nullable)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      const include = isNonNullType(field.type) ? wellTyped || !oneIn(draw, 20) : oneIn(draw, 3);
      if (include) value[field.name] = randomInputValue(op, field.type, field.name);
    }
    return value;
  }
  if (isEnumType(nullable)) return wellTyped ? draw(fc.constantFrom, ...nullable.getValues().map((v) => v.name)) : draw(() => enumValue(nullable));
  if (wellTyped && nullable.name === 'Int') return draw(() => PAGE_SIZE_IN_RANGE);
  return draw(() => VALUES_BY_NAME[name] ?? scalarValue(nullable.name));
}

function randomArguments(op: OperationDraw, args: readonly GraphQLArgument[]): string {
  const { draw, writer, wellTyped } = op;
  const parts: string[] = [];
  for (const arg of args) {
    const include = isNonNullType(arg.type) ? wellTyped || !oneIn(draw, 20) : draw(fc.boolean);
    if (!include) continue;
    const value = randomInputValue(op, arg.type, arg.name);
    // Inline text must be well-formed to parse; a well-typed operation keeps to that.
    const inline = draw(fc.boolean) && (!wellTyped || stringsIn(value, []).every((text) => text.isWellFormed()));
    const declared = !wellTyped && oneIn(draw, 20) ? draw(fc.constantFrom, ...WRONG_DECLARATIONS) : String(arg.type);
    parts.push(writer.argument(arg.name, arg.type, value, inline, declared));
  }
  if (!wellTyped && oneIn(draw, 30)) parts.push(writer.argument('noSuchArgument', GraphQLString, draw(() => hostileString), draw(fc.boolean)));
  return parts.length > 0 ? `(${parts.join(', ')})` : '';
}

function randomField(op: OperationDraw, field: GraphQLField<unknown, unknown>, depth: number): string {
  const alias = oneIn(op.draw, 4) ? `${op.writer.alias()}: ` : '';
  const args = randomArguments(op, field.args);
  const type = getNamedType(field.type);
  const selection = isLeafType(type) ? '' : ` ${randomSelectionSet(op, type as GraphQLCompositeType, depth + 1)}`;
  return `${alias}${field.name}${args}${selection}`;
}

/** A random selection set: a subset of the fields (leaves only at the depth bound), __typename, fragments. */
function randomSelectionSet(op: OperationDraw, type: GraphQLCompositeType, depth: number): string {
  const { draw, writer } = op;
  const parts: string[] = [];
  if (isObjectType(type)) {
    const fields = Object.values(type.getFields()).filter((f) => depth < MAX_DEPTH || isLeafType(getNamedType(f.type)));
    for (const field of drawSome(draw, fields, 4)) parts.push(randomField(op, field, depth));
  } else {
    if (draw(fc.boolean)) parts.push('id');
    for (const possible of schema.getPossibleTypes(type)) {
      if (draw(fc.boolean)) parts.push(`... on ${possible.name} ${randomSelectionSet(op, possible, depth)}`);
    }
  }
  if (parts.length === 0 || oneIn(draw, 4)) parts.push('__typename');
  if (!op.wellTyped && oneIn(draw, 40)) parts.push('noSuchField');
  const selectionSet = `{ ${parts.join(' ')} }`;
  switch (draw(fc.integer, { min: 0, max: 5 })) {
    case 0:
      return `{ ... on ${type.name} ${selectionSet} }`;
    case 1:
      return `{ ...${writer.fragment(type.name, selectionSet)} }`;
    default:
      return selectionSet;
  }
}

function randomOperation(draw: Draw): { kind: 'query' | 'mutation'; operation: Operation } {
  const kind = draw(fc.constantFrom, 'query', 'query', 'query', 'mutation') as 'query' | 'mutation';
  const root = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const op: OperationDraw = { draw, writer: new OperationWriter(), wellTyped: draw(fc.integer, { min: 1, max: 10 }) <= 7 };
  const parts = drawSome(draw, Object.values(root.getFields()), 3).map((field) => randomField(op, field, 1));
  if (kind === 'query' && oneIn(draw, 10)) {
    parts.push(`__type(${op.writer.argument('name', new GraphQLNonNull(GraphQLString), draw(() => hostileString), false)}) { name kind }`);
  }
  return { kind, operation: op.writer.operation(kind, `{ ${parts.join(' ')} }`) };
}

// ---------------------------------------------------------------------------
// Raw HTTP requests: envelopes of every shape, bodies that are not JSON.

const SOME_QUERIES = [
  '{ viewer { role } }',
  'query Q($id: ID!) { model(id: $id) { id } }',
  'mutation { createWorkspace(input: { name: "" }) { userErrors { code } } }',
  '{ __typename }',
  'subscription { viewer { role } }',
  '{ viewer { role } } { viewer { role } }',
  'query A { viewer { role } } query B { __typename }',
];
const envelope = fc.record(
  {
    query: fc.oneof(fc.constantFrom(...SOME_QUERIES), hostileString, fc.jsonValue({ maxDepth: 2 })),
    variables: fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), hostileValue, { maxKeys: 3 }), fc.jsonValue({ maxDepth: 2 }), hostileString),
    operationName: fc.oneof(fc.constantFrom('A', 'B', 'Q', ''), hostileString, fc.jsonValue({ maxDepth: 1 })),
    extensions: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ persistedQuery: { version: 1, sha256Hash: 'abc' } })),
  },
  { requiredKeys: [] },
);
type RawBody = { text: string; sent: string[] } | { bytes: Uint8Array<ArrayBuffer>; sent: string[] };
/** A well-formed envelope, so that some requests get through to execution whatever the HTTP around them. */
const goodEnvelope = fc
  .tuple(fc.constantFrom(...SOME_QUERIES.slice(0, 4)), idString)
  .map(([query, id]) => ({ query, variables: { id }, ...(query.startsWith('query Q') ? { operationName: 'Q' } : {}) }));
const rawBody: fc.Arbitrary<RawBody> = fc.oneof(
  { weight: 3, arbitrary: goodEnvelope.map((e) => ({ text: JSON.stringify(e), sent: stringsIn(e, []) })) },
  { weight: 5, arbitrary: envelope.map((e) => ({ text: JSON.stringify(e), sent: stringsIn(e, []) })) },
  { weight: 1, arbitrary: fc.array(envelope, { maxLength: 3 }).map((batch) => ({ text: JSON.stringify(batch), sent: stringsIn(batch, []) })) },
  {
    weight: 1,
    arbitrary: fc.tuple(envelope, fc.nat()).map(([e, cut]) => {
      const text = JSON.stringify(e);
      return { text: text.slice(0, cut % (text.length + 1)), sent: [text, ...stringsIn(e, [])] };
    }),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text, sent: [text] })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes, sent: [] })) },
);
const httpRequest = fc.record({
  method: fc.oneof({ weight: 6, arbitrary: fc.constant('POST') }, { weight: 2, arbitrary: fc.constant('GET') }, fc.constantFrom('PUT', 'PATCH', 'DELETE')),
  contentType: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8') },
    fc.constantFrom('application/graphql-response+json', 'application/graphql', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=fuzz', null),
  ),
  accept: fc.constantFrom('application/json', 'application/graphql-response+json', 'application/graphql-response+json, application/json;q=0.9', '*/*'),
  csrfHeader: fc.boolean(),
  caller: callerArb,
  body: rawBody,
});

type HttpRequest = typeof httpRequest extends fc.Arbitrary<infer R> ? R : never;

async function sendHttp(violations: Violations, request: HttpRequest): Promise<void> {
  tally(stats.runs, 'httpRequests');
  const headers: Record<string, string> = { accept: request.accept, ...authorization(reads, request.caller) };
  if (request.contentType) headers['content-type'] = request.contentType;
  if (request.csrfHeader) headers['x-graphql-yoga-csrf'] = '1';
  const payload = 'text' in request.body ? request.body.text : request.body.bytes;
  let url = 'http://test/graphql';
  if (request.method === 'GET') {
    // A GET carries the envelope in the query string.
    const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1');
    let fields: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(text);
      fields = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : { query: text };
    } catch {
      fields = { query: text };
    }
    const params = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    url += `?${params}`;
  }
  const response = await app.yoga.fetch(url, { method: request.method, headers, ...(request.method === 'GET' ? {} : { body: payload }) });
  const shownBody = request.method === 'GET' ? '' : typeof payload === 'string' ? JSON.stringify(payload) : `bytes ${Buffer.from(payload).toString('hex')}`;
  const described = `${request.method} ${url} (content-type ${request.contentType}, csrf header ${request.csrfHeader}, ${request.caller}) ${clip(shownBody)}`;
  const parsed = checkResponse(violations, response.status, await response.text(), request.body.sent, described);
  if (parsed?.data) tally(stats.executed, 'httpRequests');
}

// ---------------------------------------------------------------------------
// NUL and ill-formed Unicode: refused anywhere (DESIGN.md, "Mutations").

/** Text slots of inputs, excluding ids (a malformed id is simply not found). */
const TEXT_SLOTS = SLOTS.filter(({ site, path }) => {
  const last = path.at(-1);
  return (site.kind === 'mutation' || path[0] === 'filter') && typeof last === 'string' && ['name', 'key', 'value', 'clientMutationId', 'search', 'provider', 'family', 'bundleKey'].includes(last);
});

// ---------------------------------------------------------------------------

describe('fuzz', () => {
  it('covers every field of the schema that takes arguments, and every argument in it', () => {
    const withArgs = Object.values(schema.getTypeMap())
      .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
      .flatMap((type) => Object.values(type.getFields()).filter((f) => f.args.length > 0).map((f) => `${type.name}.${f.name}`));
    expect(SITES.map((site) => site.coordinate).sort()).toEqual(withArgs.sort());
    expect(SLOTS.length).toBeGreaterThan(40);
    expect(TEXT_SLOTS.map(slotName)).toEqual(
      expect.arrayContaining([
        'Mutation.createWorkspace(input.name)',
        'Mutation.setModelLabels(input.labels.0.key)',
        'Mutation.setModelLabels(input.labels.0.value)',
        'Mutation.setModelStatus(input.clientMutationId)',
        'Workspace.models(filter.search)',
      ]),
    );
  });

  it(
    `hostile values in every argument and input field (${RUNS.hostileArguments} runs)`,
    async () => {
      const violations = new Violations();
      // Every slot gets its share of the runs, with a seed of its own.
      const runsPerSlot = Math.ceil(RUNS.hostileArguments / SLOTS.length);
      for (const [index, slot] of SLOTS.entries()) {
        await fc.assert(
          fc.asyncProperty(hostileValueFor(slot.path), fc.boolean(), callerArb, async (value, inline, caller) => {
            const args = withValueAt(slot.site.validArgs(), slot.path, value);
            await sendOperation('hostileArguments', violations, slot.site.tenant, caller, siteOperation(slot.site, args, inline));
          }),
          { seed: SEED + index, numRuns: runsPerSlot },
        );
      }
      expect(violations.list()).toEqual([]);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    `random operations built from the schema (${RUNS.randomOperations} runs)`,
    async () => {
      const violations = new Violations();
      await fc.assert(
        fc.asyncProperty(fc.gen(), callerArb, async (draw, caller) => {
          const { kind, operation } = randomOperation(draw);
          await sendOperation('randomOperations', violations, kind === 'mutation' ? writes : reads, caller, operation);
        }),
        { seed: SEED, numRuns: RUNS.randomOperations },
      );
      expect(violations.list()).toEqual([]);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    `keyset cursors of the right shape with hostile keys (${RUNS.keysetCursors} runs)`,
    async () => {
      const violations = new Violations();
      const modelsSite = SITES.find((site) => site.coordinate === 'Workspace.models')!;
      const run = fc.constantFrom(...MODEL_ORDERS).chain((order) =>
        fc.record({
          order: fc.constant(order),
          keys: modelCursorKeys(order),
          cursorArg: fc.constantFrom('after', 'before'),
          sizeArg: fc.constantFrom('first', 'last'),
          size: fc.integer({ min: 0, max: 100 }),
          caller: fc.constantFrom<Caller>('admin', 'reader'),
        }),
      );
      let pagesServed = 0;
      await fc.assert(
        fc.asyncProperty(run, async ({ order, keys, cursorArg, sizeArg, size, caller }) => {
          const cursor = forgeCursor([`${reads.workspaceId}:${order.field}:${order.direction}`, ...keys]);
          const args = { [sizeArg]: size, [cursorArg]: cursor, orderBy: order };
          const body = await sendOperation('keysetCursors', violations, reads, caller, siteOperation(modelsSite, args, false));
          const codes: string[] = (body?.errors ?? []).map((error: { extensions?: { code?: string } }) => error.extensions?.code);
          if (codes.length === 0) pagesServed++;
          for (const code of codes.filter((c) => c !== 'BAD_USER_INPUT')) {
            violations.record(`error ${code} for a well-shaped cursor`, `${JSON.stringify(keys)} → ${JSON.stringify(body)}`);
          }
        }),
        { seed: SEED, numRuns: RUNS.keysetCursors },
      );
      console.log(`Keyset cursors: ${pagesServed} of ${RUNS.keysetCursors} forged cursors were served a page from the database.`);
      expect(violations.list()).toEqual([]);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    `malformed HTTP requests (${RUNS.httpRequests} runs)`,
    async () => {
      const violations = new Violations();
      await fc.assert(
        fc.asyncProperty(httpRequest, (request) => sendHttp(violations, request)),
        { seed: SEED, numRuns: RUNS.httpRequests },
      );
      expect(violations.list()).toEqual([]);
    },
    PROPERTY_TIMEOUT,
  );

  // Every text slot × every bad character × inline and variable × start, middle and end.
  const badTextCases = TEXT_SLOTS.flatMap((slot) =>
    BAD_CHARACTERS.flatMap((bad) => [false, true].flatMap((inline) => [0, 3, 6].map((at) => ({ slot, text: putAt('abcdef', bad, at), inline })))),
  );
  it(`NUL or ill-formed Unicode in any text input is refused (${badTextCases.length} cases)`, async () => {
    const violations = new Violations();
    for (const { slot, text, inline } of badTextCases) {
      const args = withValueAt(slot.site.validArgs(), slot.path, text);
      const body = await sendOperation('badText', violations, slot.site.tenant, 'admin', siteOperation(slot.site, args, inline));
      if (!body) continue;
      const refusedByGraphQL = Array.isArray(body.errors) && body.errors.length > 0;
      const payloads = Object.values(body.data ?? {}) as { userErrors?: unknown[] }[];
      const refusedByPayload = slot.site.kind === 'mutation' && payloads.every((payload) => (payload?.userErrors?.length ?? 0) > 0);
      if (!refusedByGraphQL && !refusedByPayload) {
        violations.record(`accepted ${slotName(slot)}`, `${JSON.stringify(text)} (${inline ? 'inline' : 'variable'}) → ${JSON.stringify(body)}`);
      }
    }
    expect(violations.list()).toEqual([]);
  });

  it('the app still answers correctly after every run', async () => {
    for (const [tenant, role] of [
      [reads, 'ADMIN'],
      [writes, 'ADMIN'],
      [reads, 'READER'],
    ] as const) {
      const res = await app.gql(/* GraphQL */ `query Alive { viewer { role accountId } }`, { key: role === 'ADMIN' ? tenant.adminKey : tenant.readerKey });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { viewer: { role, accountId: tenant.accountId } } });
    }
    // No subscription the fuzzing started is still held.
    expect(app.live.subscribers()).toBe(0);
    const runs = [...stats.runs.values()].reduce((a, b) => a + b, 0);
    const byStatus = [...stats.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
    const byCode = [...stats.codes].sort(([, a], [, b]) => b - a).map(([code, n]) => `${code}: ${n}`);
    console.log(
      `Fuzz (seed ${SEED}): ${runs} requests (${[...stats.runs].map(([p, n]) => `${p} ${n}, ${stats.executed.get(p) ?? 0} executed`).join('; ')}); ` +
        `responses by status: ${byStatus.join(', ')}; error codes: ${byCode.join(', ')}`,
    );
    expect(runs).toBeGreaterThanOrEqual(2_000);
  });
});
