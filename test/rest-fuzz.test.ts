/**
 * Fuzzing the REST resource (DESIGN.md, "The REST resource" and "Errors"):
 * hostile path segments, query strings, methods, headers and bodies on every
 * route, sent over real sockets to the app's front door (`app.listener`).
 *
 * Every answer: status < 500; an `x-request-id`; a JSON body that is either
 * the route's success shape or a google.rpc.Status whose code matches the
 * HTTP status; no stack, SQL, driver message or `Error:` in it. Where the
 * contract pins the answer down (a well-formed request: 200/401/403/404; a
 * wrong method: 405 with Allow; a bad parameter or body: 400; a body over the
 * limit: 413), the status must be that one. A request naming another
 * account's ids must get exactly what the same request with unknown ids gets
 * (a twin is sent to compare), never 200 or 403. Statuses change only by a
 * valid admin request, which is tracked; all models are compared with a
 * snapshot after each property. Fixed seed; each property collects every kind
 * of violation it met, with the shortest example.
 */
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultLimits } from '../src/config.ts';
import { idPrefixes, newId, type IdKind } from '../src/db/ids.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { setupTestApp, testTarget, unwrap } from './helpers.ts';
import { Violations } from './violations.ts';
import { killAll, startServer } from './processes.ts';

/** The server process for what node:http refuses itself (the last test): started first, so it comes up while the rest runs. */
const target = testTarget();
const serverProcess = startServer(target.kind === 'postgres' ? target.url : 'pglite://memory', { LOG_LEVEL: 'silent' }).then(
  (server) => ({ server, error: null }),
  (error: unknown) => ({ server: null, error }),
);

const t = await setupTestApp();

const SEED = 20261130;
/** Runs per property; their sum is at least 2,000. */
const RUNS = { paths: 600, queries: 450, headers: 400, bodies: 450, mixed: 300 } as const;
type Focus = keyof typeof RUNS;
const PROPERTY_TIMEOUT = 180_000;
const BODY_LIMIT = defaultLimits.bodyBytes;
/** node:http refuses a request line and headers over 16 KiB before the front door sees them (tested on its own below). */
const HEAD_BUDGET = 14_000;

// ---------------------------------------------------------------------------
// Fixture: the fuzzing tenant (two workspaces) and a foreign one, served on a socket.

const fuzz = await t.tenant('REST fuzz');
const foreign = await t.tenant('REST foreign');
const secondWorkspace = unwrap(
  await createWorkspace(t.db, { accountId: fuzz.accountId, profileId: fuzz.profileId, name: 'REST fuzz second' }),
).workspace.id;

type Owner = 'fuzz' | 'foreign';
const TENANTS = { fuzz, foreign } as const;
const WORKSPACES: { id: string; owner: Owner }[] = [
  { id: fuzz.workspaceId, owner: 'fuzz' },
  { id: secondWorkspace, owner: 'fuzz' },
  { id: foreign.workspaceId, owner: 'foreign' },
];

interface ModelState {
  workspaceId: string;
  owner: Owner;
  status: string;
  /** Everything but the status, which must never change. */
  rest: string;
}

const SNAPSHOT = /* GraphQL */ `query RestFuzzSnapshot($w: ID!) {
  workspace(id: $w) { models(first: 100) { nodes { id
    metadata { name bundleKey externalId labels { key value } }
    spec { status provider family inputPricePerMillionTokens outputPricePerMillionTokens maxInputTokens maxOutputTokens } } } }
}`;

/** Every model of the three workspaces, read through GraphQL with the owner's admin key. */
async function snapshot(): Promise<Map<string, ModelState>> {
  const states = new Map<string, ModelState>();
  for (const { id: workspaceId, owner } of WORKSPACES) {
    const res = await t.gql(SNAPSHOT, { key: TENANTS[owner].adminKey, variables: { w: workspaceId } });
    for (const node of res.body.data.workspace.models.nodes as { id: string; metadata: unknown; spec: { status: string } }[]) {
      const { status, ...spec } = node.spec;
      states.set(node.id, { workspaceId, owner, status, rest: JSON.stringify({ metadata: node.metadata, spec }) });
    }
  }
  return states;
}

const initial = await snapshot();
/** The statuses the models must have: the snapshot's, changed by every valid admin request answered 200. */
const expectedStatus = new Map([...initial].map(([id, state]) => [id, state.status]));

interface KnownId {
  owner: Owner;
  kind: IdKind;
  /** A model's workspace. */
  workspaceId?: string;
}
const known = new Map<string, KnownId>();
for (const [id, state] of initial) known.set(id, { owner: state.owner, kind: 'Model', workspaceId: state.workspaceId });
for (const { id, owner } of WORKSPACES) known.set(id, { owner, kind: 'Workspace' });
for (const owner of ['fuzz', 'foreign'] as const) {
  const tenant = TENANTS[owner];
  known.set(tenant.accountId, { owner, kind: 'Account' });
  known.set(tenant.profileId, { owner, kind: 'Profile' });
  known.set(tenant.adminKey.split('.')[0]!, { owner, kind: 'ApiKey' });
  known.set(tenant.readerKey.split('.')[0]!, { owner, kind: 'ApiKey' });
}
const modelsOf = (workspaceId: string) => [...initial].filter(([, s]) => s.workspaceId === workspaceId).map(([id]) => id);
const MODEL_IDS = [...initial.keys()];
const WORKSPACE_IDS = WORKSPACES.map((w) => w.id);
const OTHER_IDS = [...known].filter(([, k]) => k.kind !== 'Model' && k.kind !== 'Workspace').map(([id]) => id);
expect(modelsOf(fuzz.workspaceId).length).toBeGreaterThanOrEqual(15);

const servers: Server[] = [];
async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const base = await serve(t.yoga.listener);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
afterAll(async () => {
  agent.destroy();
  await (await serverProcess).server?.stop();
  killAll();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Real cursors of the list, for the `cursor` parameter. */
async function listCursors(): Promise<string[]> {
  const cursors: string[] = [];
  for (const query of ['limit=2', 'limit=3&sortOrder=desc', 'limit=1&status=MODEL_STATUS_ENABLED']) {
    for (const { id, owner } of WORKSPACES) {
      const answer = await send({ method: 'GET', path: `/v1/workspaces/${id}/models?${query}`, headers: [['authorization', `Bearer ${TENANTS[owner].adminKey}`]], body: NO_BODY });
      const cursor = JSON.parse(answer.body.toString()).pagination?.next_cursor;
      if (typeof cursor === 'string') cursors.push(cursor);
    }
  }
  return cursors;
}

// ---------------------------------------------------------------------------
// Sending: one request over the socket, as raw as node:http's client allows.

interface Body {
  bytes: Buffer | null;
  /** 0: sent with a Content-Length; n: sent chunked, in n chunks. */
  chunks: number;
  label: string;
}
const NO_BODY: Body = { bytes: null, chunks: 0, label: 'no body' };

interface Sent {
  method: string;
  path: string;
  headers: [string, string][];
  body: Body;
}
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function sendOnce({ method, path, headers, body }: Sent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing: Record<string, string | string[]> = {};
    for (const [name, value] of headers) outgoing[name] = value;
    const bytes = body.bytes;
    if (bytes && body.chunks > 0) outgoing['transfer-encoding'] = 'chunked';
    else if (bytes) outgoing['content-length'] = String(bytes.length);
    const request = httpRequest(`${base}${path}`, { method, headers: outgoing, agent });
    request.setTimeout(30_000, () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', (error) => reject(Object.assign(error, { reused: request.reusedSocket })));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    if (bytes && body.chunks > 0) {
      const size = Math.ceil(bytes.length / body.chunks) || 1;
      for (let at = 0; at < bytes.length; at += size) request.write(bytes.subarray(at, at + size));
      request.end();
    } else request.end(bytes ?? undefined);
  });
}

async function send(sent: Sent): Promise<Answer> {
  try {
    return await sendOnce(sent);
  } catch (error) {
    // A kept-alive socket the server had just closed: the request never reached it.
    if ((error as { reused?: boolean }).reused) return sendOnce(sent);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Path segments.

interface Segment {
  /** As it appears in the path. */
  text: string;
  /** The real id it stands for (as it is, or percent-encoded), else null. */
  id: string | null;
  /** How `text` was made from `id`: the twin of a foreign id is made the same way from an unknown one. */
  make: (id: string) => string;
  /** `dot`: `.`/`..` (also percent-encoded) that URL parsing removes; `slash`: more segments than one; `empty`. */
  shape: 'plain' | 'dot' | 'slash' | 'empty';
  /** A `:` in the path itself, or once decoded (`%3A`). */
  rawColon: boolean;
  decodedColon: boolean;
  label: string;
}

const same = (text: string) => text;
function segment(text: string, label: string, id: string | null = null, make: (id: string) => string = same): Segment {
  const shape = text === '' ? 'empty' : /^(\.|%2e){1,2}$/i.test(text) ? 'dot' : text.includes('/') ? 'slash' : 'plain';
  return { text, id, make, shape, rawColon: text.includes(':'), decodedColon: /%3a/i.test(text), label };
}
const realSegment = (id: string, label = 'a real id', make: (id: string) => string = same) => segment(make(id), label, id, make);

/** The same id with one character percent-encoded (upper- or lower-case hex). */
const percentEncodeAt = (at: number, lower: boolean) => (id: string) => {
  const i = at % id.length;
  const hex = id.charCodeAt(i).toString(16).padStart(2, '0');
  return `${id.slice(0, i)}%${lower ? hex.toLowerCase() : hex.toUpperCase()}${id.slice(i + 1)}`;
};

const PREFIXES = Object.values(idPrefixes);
/** Ways a real id gets mangled: none of them is the id any more. */
const TWEAKS: { label: string; tweak: (id: string) => string }[] = [
  { label: 'lower case', tweak: (id) => id.toLowerCase() },
  { label: 'upper case', tweak: (id) => id.toUpperCase() },
  { label: 'one character short', tweak: (id) => id.slice(0, -1) },
  { label: 'one character more', tweak: (id) => `${id}0` },
  { label: 'doubled underscore', tweak: (id) => id.replace('_', '__') },
  { label: 'dash for underscore', tweak: (id) => id.replace('_', '-') },
  { label: 'trailing %00', tweak: (id) => `${id}%00` },
  { label: 'leading %00', tweak: (id) => `%00${id}` },
  { label: 'trailing %20', tweak: (id) => `${id}%20` },
  { label: 'leading %20', tweak: (id) => `%20${id}` },
  { label: 'trailing %0A', tweak: (id) => `${id}%0A` },
  { label: 'trailing +', tweak: (id) => `${id}+` },
  { label: 'encoded slash', tweak: (id) => `${id}%2F` },
  { label: 'encoded slash inside', tweak: (id) => `${id.slice(0, 5)}%2F${id.slice(5)}` },
  { label: 'double-encoded underscore', tweak: (id) => id.replace('_', '%255F') },
  { label: 'base64url', tweak: (id) => Buffer.from(id).toString('base64url') },
  { label: 'padded to 3,000', tweak: (id) => id.padEnd(3_000, 'Z') },
  { label: 'trailing %', tweak: (id) => `${id}%` },
  { label: 'trailing %2', tweak: (id) => `${id}%2` },
  { label: 'trailing %ZZ', tweak: (id) => `${id}%ZZ` },
  { label: 'trailing invalid UTF-8', tweak: (id) => `${id}%C0%AF` },
  { label: 'trailing encoded lone surrogate', tweak: (id) => `${id}%ED%A0%80` },
  ...PREFIXES.map((prefix) => ({ label: `prefix ${prefix}_`, tweak: (id: string) => id.replace(/^[a-z]+_/, `${prefix}_`) })),
];
const PERCENT_JUNK = [
  '%', '%%', '%Z', '%ZZ', '%0', '%G0', '%00', '%2F', '%2f', '%3A', '%3a', '%25', '%5C', '%E0%A4%A', '%C0%AF', '%C0%80', '%FF',
  '%FE%FF', '%ED%A0%80', '%ED%B0%80', '%F4%90%80%80', '%EF%BF%BF', '%u0041', '%%32%65', '%F0%9F%98%80', '%C3%28', '%80',
];
const ULID = fc.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/);
const PATH_SAFE = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]{1,24}$/;

function hostileSegment(kind: 'Workspace' | 'Model'): fc.Arbitrary<Segment> {
  const right = kind === 'Workspace' ? WORKSPACE_IDS : MODEL_IDS;
  const wrong = [...OTHER_IDS, ...(kind === 'Workspace' ? MODEL_IDS.slice(0, 4) : WORKSPACE_IDS)];
  const anyReal = [...right, ...wrong];
  const arbitraries: fc.WeightedArbitrary<Segment>[] = [
    { weight: 3, arbitrary: fc.constantFrom(...right).map((id) => realSegment(id)) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...right), fc.nat(), fc.boolean())
        .map(([id, at, lower]) => realSegment(id, 'a real id, percent-encoded', percentEncodeAt(at, lower))),
    },
    { weight: 3, arbitrary: fc.constantFrom(...wrong).map((id) => realSegment(id, 'a real id of another type')) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...PREFIXES), ULID).map(([p, u]) => segment(`${p}_${u}`, `an unknown ${p}_ id`)) },
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...anyReal), fc.constantFrom(...TWEAKS)).map(([id, { label, tweak }]) => segment(tweak(id), `a real id, ${label}`)) },
    { weight: 3, arbitrary: fc.constantFrom(...PERCENT_JUNK).map((junk) => segment(junk, 'percent junk')) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...right), fc.constantFrom(...PERCENT_JUNK), fc.boolean())
        .map(([id, junk, before]) => segment(before ? `${junk}${id}` : `${id}${junk}`, 'a real id with percent junk')),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map((s) => segment(encodeURIComponent(s), 'unicode, encoded')) },
    { weight: 2, arbitrary: fc.stringMatching(PATH_SAFE).map((s) => segment(s, 'path-safe ASCII')) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 1_000, max: 3_000 }), fc.constantFrom('Z', 'a', '%00', '%ZZ', '%F0%9F%98%80', '_', 'ws_', 'model_'))
        .map(([n, piece]) => segment(piece.repeat(Math.ceil(n / piece.length)).slice(0, n), 'very long')),
    },
    { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%2e', '%2E%2E', '.%2e').map((s) => segment(s, 'dot or empty segment')) },
    { weight: 1, arbitrary: fc.constantFrom(...right).map((id) => segment(`${id}/`, 'a real id with a slash')) },
  ];
  if (kind === 'Model') {
    arbitraries.push({
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...right), fc.constantFrom(':enable', ':disable', ':frob', ':', ':enable:disable', '%3Aenable'))
        .map(([id, verb]) => segment(`${id}${verb}`, 'a real id with a custom verb')),
    });
  }
  return fc.oneof(...arbitraries);
}

const canonicalSegment = (kind: 'Workspace' | 'Model'): fc.Arbitrary<Segment> =>
  kind === 'Workspace'
    ? fc.oneof(
        { weight: 5, arbitrary: fc.constant(realSegment(fuzz.workspaceId)) },
        { weight: 1, arbitrary: fc.constant(realSegment(secondWorkspace)) },
        { weight: 2, arbitrary: fc.constant(realSegment(foreign.workspaceId)) },
      )
    : fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...modelsOf(fuzz.workspaceId)).map((id) => realSegment(id)) },
        { weight: 1, arbitrary: fc.constantFrom(...modelsOf(secondWorkspace)).map((id) => realSegment(id)) },
        { weight: 2, arbitrary: fc.constantFrom(...modelsOf(foreign.workspaceId)).map((id) => realSegment(id)) },
      );

// ---------------------------------------------------------------------------
// Query strings.

type Validity = 'valid' | 'invalid' | 'either';
const worst = (values: Validity[]): Validity => (values.includes('invalid') ? 'invalid' : values.includes('either') ? 'either' : 'valid');

interface QueryPart {
  raw: string;
  /** The parameter's name when it is one the list knows, as sent (no brackets). */
  name: string | null;
  validity: Validity;
  /** What the server decodes, to tell a quoted input from a leak. */
  sent: string[];
  label: string;
}

const KNOWN_PARAMS = ['limit', 'cursor', 'status', 'bundleKey', 'labels', 'prefix', 'query', 'sortOrder'] as const;
type KnownParam = (typeof KNOWN_PARAMS)[number];
const LABEL_KEY = /^[a-z0-9._/-]{1,63}$/;
const STATUSES = ['MODEL_STATUS_UNSPECIFIED', 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED'];

/** `limit`: an integer 1–100 (DESIGN.md). Digits only is clear either way; signs and spaces around digits are a judgement call. */
function limitValidity(value: string): Validity {
  if (/^\d+$/.test(value)) return Number(value) >= 1 && Number(value) <= 100 ? 'valid' : 'invalid';
  if (/^[\s+]*\d+\s*$/.test(value)) return 'either';
  return 'invalid';
}
/** `labels`: `key=value,key2=value2`, with the label rules of the GraphQL contract. */
function labelsValidity(value: string): Validity {
  if (value === '') return 'either';
  const pairs = value.split(',');
  if (pairs.length > 64) return 'invalid';
  const keys = new Set<string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) return 'invalid';
    const key = pair.slice(0, at);
    const text = pair.slice(at + 1);
    if (!LABEL_KEY.test(key) || keys.has(key) || text.includes('\0') || [...text].length > 255) return 'invalid';
    keys.add(key);
  }
  return 'valid';
}
/** Free text: NUL is refused anywhere; short text is fine; the length bound is the implementation's. */
const textValidity = (value: string): Validity => (value.includes('\0') ? 'invalid' : value.length <= 100 ? 'valid' : 'either');

function validityOf(name: KnownParam, value: string): Validity {
  switch (name) {
    case 'limit':
      return limitValidity(value);
    case 'status':
      return STATUSES.includes(value) ? 'valid' : 'invalid';
    case 'sortOrder':
      return value === 'asc' || value === 'desc' ? 'valid' : 'invalid';
    case 'cursor':
      return value === '' ? 'invalid' : 'either';
    case 'labels':
      return labelsValidity(value);
    default:
      return textValidity(value);
  }
}

const hugeText = fc
  .tuple(fc.integer({ min: 1_000, max: 3_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', '%', '0', ' ', 'k=v,'))
  .map(([n, piece]) => piece.repeat(Math.ceil(n / piece.length)).slice(0, n));
const anyText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '%', '_', '%_', '\\', "' OR '1'='1", "'; DROP TABLE models; --", 'select 1', '$1', '::text', 'null', '__proto__', 'constructor', '{}', '[]', 'ANTHROPIC', 'claude', 'model_', 'anthropic/') },
  { weight: 1, arbitrary: hugeText },
);
const numberText = fc.oneof(
  fc.integer({ min: 1, max: 100 }).map(String),
  fc.constantFrom('0', '-1', '101', '1000000', '1.5', '2.7', '99.9', '100.0', '1e1', '0x10', '0b1', 'true', 'false', '', ' 5', '+5', '05', 'NaN', 'Infinity', '-0', '9'.repeat(30), '1,2', '[1]', '5;status=x'),
  fc.integer().map(String),
  fc.double({ noNaN: true }).map(String),
);
const cursorArbitrary = (cursors: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...cursors) },
    { weight: 1, arbitrary: fc.constantFrom(...cursors).map((c) => `${c}A`) },
    { weight: 1, arbitrary: fc.constantFrom(...cursors).map((c) => c.slice(1)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 48 }).map((b) => Buffer.from(b).toString('base64url')) },
    { weight: 2, arbitrary: anyText },
  );
const labelsText = fc.oneof(
  fc.array(fc.tuple(fc.stringMatching(/^[a-z0-9._/-]{1,12}$/), fc.string({ maxLength: 10 })), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v.replaceAll(',', '')}`).join(',')),
  fc.constantFrom('a', '=b', 'a=1,a=2', 'A=1', 'a=1,', ',', 'environment=production', `${'k'.repeat(64)}=v`, `k=${'v'.repeat(256)}`, 'k=\u0000', 'k\u0000=v', 'a==b'),
  anyText,
);

function valueFor(name: KnownParam, cursors: string[]): fc.Arbitrary<string> {
  switch (name) {
    case 'limit':
      return numberText;
    case 'status':
      return fc.oneof(fc.constantFrom(...STATUSES), fc.constantFrom('model_status_enabled', 'ENABLED', 'MODEL_STATUS_ENABLED ', '1', ''), anyText);
    case 'sortOrder':
      return fc.oneof(fc.constantFrom('asc', 'desc'), fc.constantFrom('ASC', 'Desc', 'ascending', '', '-1', 'createdAt'), anyText);
    case 'cursor':
      return cursorArbitrary(cursors);
    case 'labels':
      return labelsText;
    default:
      return anyText;
  }
}

const encodeValue = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    // Lone surrogates: as a client with a lenient encoder would send them.
    return encodeURIComponent(value.toWellFormed());
  }
};

const UNKNOWN_NAMES = [
  'foo', 'page', 'pageSize', 'filter', 'Limit', 'LIMIT', 'STATUS', 'sort_order', 'next_cursor', 'first', 'after', 'a[b]', 'a[b][c]',
  'a[]', 'a[0]', 'a[999999]', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__proto__[polluted]',
  'constructor[prototype][polluted]', '__proto__.polluted', 'x'.repeat(1_000), 'ümlaut', '😀', 'a.b', 'a b',
];
const RAW_FRAGMENTS = ['', '&', '&&', '=', '==', '=x', '%ZZ', '%', '%00=%00', 'a=%E0%A4%A', 'a=%ED%A0%80', 'b=%', 'c=%%', '%3D=%26', 'd=a=b', 'e'];

function queryPartArbitrary(cursors: string[]): fc.Arbitrary<QueryPart> {
  const knownPart = fc
    .constantFrom(...KNOWN_PARAMS)
    .chain((name) => valueFor(name, cursors).map((value) => ({ name, value })))
    .map(({ name, value }): QueryPart => {
      const pieces = name === 'labels' ? value.split(/[,=]/) : [];
      return { raw: `${name}=${encodeValue(value)}`, name, validity: validityOf(name, value), sent: [value, ...pieces], label: `${name}=${JSON.stringify(value).slice(0, 40)}` };
    });
  const rawJunkValue = fc
    .tuple(fc.constantFrom(...KNOWN_PARAMS), fc.constantFrom(...PERCENT_JUNK))
    .map(([name, junk]): QueryPart => ({ raw: `${name}=${junk}`, name, validity: name === 'limit' || name === 'status' || name === 'sortOrder' ? 'invalid' : 'either', sent: [junk], label: `${name} with percent junk` }));
  const bracketed = fc
    .tuple(fc.constantFrom(...KNOWN_PARAMS), fc.constantFrom('[]', '[x]', '[0]', '[a][b]'), fc.string({ maxLength: 8 }))
    .map(([name, brackets, value]): QueryPart => ({ raw: `${name}${brackets}=${encodeValue(value)}`, name, validity: 'either', sent: [value], label: `${name}${brackets}` }));
  const unknown = fc
    .tuple(fc.constantFrom(...UNKNOWN_NAMES), fc.oneof(anyText, numberText, fc.constantFrom(...PERCENT_JUNK)), fc.boolean())
    .map(([name, value, raw]): QueryPart => ({
      raw: `${/^[\w[\].]+$/.test(name) ? name : encodeValue(name)}=${raw ? value.replace(/[^\x21-\x7e]/g, encodeValue).replaceAll('&', '%26').replaceAll('#', '%23') : encodeValue(value)}`,
      name: null,
      validity: 'valid',
      sent: [name, value],
      label: 'an unknown parameter',
    }));
  const fragment = fc.constantFrom(...RAW_FRAGMENTS).map((raw): QueryPart => ({ raw, name: null, validity: 'valid', sent: [raw], label: 'a raw fragment' }));
  return fc.oneof({ weight: 6, arbitrary: knownPart }, { weight: 1, arbitrary: rawJunkValue }, { weight: 1, arbitrary: bracketed }, { weight: 3, arbitrary: unknown }, { weight: 1, arbitrary: fragment });
}

function hostileQuery(cursors: string[]): fc.Arbitrary<QueryPart[]> {
  const part = queryPartArbitrary(cursors);
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(part, { minLength: 1, maxLength: 5 }) },
    // The same parameter twice or more: `a=1&a=2`.
    { weight: 2, arbitrary: part.chain((p) => fc.array(part, { maxLength: 2 }).map((rest) => [p, p, ...rest])) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.tuple(fc.constantFrom(...UNKNOWN_NAMES.slice(0, 12)), fc.nat(999)), { minLength: 20, maxLength: 200 })
        .map((pairs) => pairs.map(([name, n]): QueryPart => ({ raw: `${name}=${n}`, name: null, validity: 'valid', sent: [], label: 'many unknown parameters' }))),
    },
  );
}

const canonicalQuery = (route: Route): fc.Arbitrary<QueryPart[]> =>
  route !== 'list'
    ? fc.constant<QueryPart[]>([])
    : fc.oneof(
        { weight: 3, arbitrary: fc.constant<QueryPart[]>([]) },
        {
          weight: 2,
          arbitrary: fc
            .record({ limit: fc.integer({ min: 1, max: 100 }), status: fc.constantFrom(...STATUSES), sortOrder: fc.constantFrom('asc', 'desc') }, { requiredKeys: [] })
            .map((params) => Object.entries(params).map(([name, value]): QueryPart => ({ raw: `${name}=${value}`, name, validity: 'valid', sent: [String(value)], label: `${name}=${value}` }))),
        },
      );

// ---------------------------------------------------------------------------
// Callers.

interface Auth {
  header: string | null;
  /** Whose key it is (for `either`: if the server takes it). */
  caller: Owner | null;
  role: 'ADMIN' | 'READER' | null;
  validity: Validity;
  label: string;
}
const keyAuth = (owner: Owner, role: 'ADMIN' | 'READER', label: string): Auth => ({
  header: `Bearer ${role === 'ADMIN' ? TENANTS[owner].adminKey : TENANTS[owner].readerKey}`,
  caller: owner,
  role,
  validity: 'valid',
  label,
});
const ADMIN = keyAuth('fuzz', 'ADMIN', 'admin key');
const READER = keyAuth('fuzz', 'READER', 'reader key');
const FOREIGN_ADMIN = keyAuth('foreign', 'ADMIN', "another tenant's admin key");
const FOREIGN_READER = keyAuth('foreign', 'READER', "another tenant's reader key");
const garbage = (header: string | null, label: string): Auth => ({ header, caller: null, role: null, validity: 'invalid', label });
const FORGED_KEY = `${newId('ApiKey')}.${'A'.repeat(43)}`;
const [adminKeyId, adminSecret] = fuzz.adminKey.split('.') as [string, string];
const readerSecret = fuzz.readerKey.split('.')[1]!;
const GARBAGE_AUTH: Auth[] = [
  garbage(null, 'no Authorization'),
  garbage('Bearer', 'Bearer alone'),
  garbage('Bearer ', 'Bearer and a space'),
  garbage('Basic dXNlcjpwYXNzd29yZA==', 'Basic credentials'),
  garbage(`Basic ${Buffer.from(`${fuzz.adminKey}:`).toString('base64')}`, 'the key as Basic credentials'),
  garbage(`Bearer ${FORGED_KEY}`, 'a forged key'),
  garbage(`Bearer ${fuzz.adminKey}x`, 'the key with a character more'),
  garbage(`Bearer ${fuzz.adminKey.slice(0, -1)}`, 'the key a character short'),
  garbage(`Bearer ${adminKeyId}`, "the key's id alone"),
  garbage(`Bearer ${adminSecret}`, "the key's secret alone"),
  garbage(`Bearer ${adminKeyId}.${readerSecret}`, "the admin key's id with the reader key's secret"),
  garbage(`Bearer ${fuzz.adminKey.toLowerCase()}`, 'the key in lower case'),
  garbage(`Token ${fuzz.adminKey}`, 'another scheme'),
  garbage(fuzz.adminKey, 'the key without a scheme'),
  garbage(`Bearer ${fuzz.adminKey} ${fuzz.readerKey}`, 'two keys'),
  garbage(`Bearer ${fuzz.adminKey},Bearer ${fuzz.readerKey}`, 'two credentials'),
  garbage('Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwiYWNjb3VudF9pZCI6ImFjY3RfMDEifQ.', 'an unsigned JWT'),
  garbage('Bearer a.b.c', 'a JWT-shaped token'),
  garbage(`Bearer ${'A'.repeat(3_000)}`, 'a very long token'),
  garbage('Bearer \u00ff\u00fe\u0080', 'latin-1 bytes'),
  garbage("Bearer ' OR '1'='1", 'SQL in the token'),
];
const EITHER_AUTH: Auth[] = [
  { ...ADMIN, header: `bearer ${fuzz.adminKey}`, validity: 'either', label: 'lower-case scheme' },
  { ...READER, header: `BEARER ${fuzz.readerKey}`, validity: 'either', label: 'upper-case scheme' },
  { ...ADMIN, header: `Bearer  ${fuzz.adminKey}`, validity: 'either', label: 'two spaces' },
  { ...FOREIGN_ADMIN, header: `Bearer\t${foreign.adminKey}`, validity: 'either', label: 'a tab' },
];
const randomAuth = fc
  .tuple(fc.constantFrom('Bearer ', '', 'Basic ', 'bearer '), fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }))
  .map(([scheme, token]) => garbage(`${scheme}${token}`, 'a random token'));

const canonicalAuth = fc.oneof(
  { weight: 5, arbitrary: fc.constant(ADMIN) },
  { weight: 3, arbitrary: fc.constant(READER) },
  { weight: 2, arbitrary: fc.constant(FOREIGN_ADMIN) },
  { weight: 1, arbitrary: fc.constant(FOREIGN_READER) },
);
const hostileAuth = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...GARBAGE_AUTH) },
  { weight: 2, arbitrary: randomAuth },
  { weight: 2, arbitrary: fc.constantFrom(...EITHER_AUTH) },
  { weight: 3, arbitrary: fc.constantFrom(READER, FOREIGN_ADMIN, FOREIGN_READER) },
);

// ---------------------------------------------------------------------------
// Other headers.

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz', 'application/xml', 'application/json; charset=latin1', 'application/merge-patch+json', '*/*', 'garbage',
  'application/json, text/plain', '',
];
const ACCEPTS = ['*/*', 'application/json', 'text/html', 'application/xml', 'text/event-stream', 'application/graphql-response+json', 'garbage', 'application/json;q=0', 'image/png', ''];
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const hostileHeaders: fc.Arbitrary<[string, string][]> = fc
  .record(
    {
      contentType: fc.oneof(fc.constantFrom(...CONTENT_TYPES), headerText),
      accept: fc.oneof(fc.constantFrom(...ACCEPTS), headerText),
      origin: fc.constantFrom('https://app.example', 'null', 'https://evil.example'),
      contentEncoding: fc.constantFrom('gzip', 'br', 'identity', 'deflate', 'garbage'),
      requestId: fc.constantFrom('client-chosen', '', 'a'.repeat(500)),
      connection: fc.constant('close'),
      other: fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerText),
    },
    { requiredKeys: [] },
  )
  .map((h) => {
    const out: [string, string][] = [];
    if (h.contentType !== undefined) out.push(['content-type', h.contentType]);
    if (h.accept !== undefined) out.push(['accept', h.accept]);
    if (h.origin !== undefined) out.push(['origin', h.origin]);
    if (h.contentEncoding !== undefined) out.push(['content-encoding', h.contentEncoding]);
    if (h.requestId !== undefined) out.push(['x-request-id', h.requestId]);
    if (h.connection !== undefined) out.push(['connection', h.connection]);
    if (h.other !== undefined && h.other[0] !== 'x-request-id') out.push(h.other);
    return out;
  });
const canonicalHeaders = (route: Route): fc.Arbitrary<[string, string][]> =>
  fc.constantFrom<[string, string][]>([['accept', 'application/json'], ...(route === 'put' ? [['content-type', 'application/json'] as [string, string]] : [])], []);

// ---------------------------------------------------------------------------
// Bodies.

const text = (value: string, label: string, chunks = 0): Body => ({ bytes: Buffer.from(value), chunks, label });
const json = (value: unknown, label: string): Body => text(JSON.stringify(value), label);
/** A valid status body padded to `size` bytes with an extra field. */
const padded = (size: number, status = 'MODEL_STATUS_DISABLED') => {
  const shell = JSON.stringify({ status, pad: '' });
  return text(JSON.stringify({ status, pad: 'x'.repeat(Math.max(0, size - shell.length)) }), `a valid body of ${size} bytes`);
};

const hostileBodyContent: fc.Arbitrary<Body> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(NO_BODY) },
  { weight: 3, arbitrary: fc.constantFrom('MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED').map((status) => json({ status }, 'a valid status')) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\n', '{}', ' {} ', '\t{}\r\n', '\u00a0', '\ufeff{}').map((s) => text(s, 'empty or {}')) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom<unknown>('MODEL_STATUS_UNSPECIFIED', 'model_status_enabled', ' MODEL_STATUS_ENABLED', 'ENABLED', '', 1, 0, null, true, ['MODEL_STATUS_ENABLED'], { value: 'MODEL_STATUS_ENABLED' }, 'MODEL_STATUS_ENABLED\u0000')
      .map((status) => json({ status }, 'a bad status')),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED'), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 }))
      .map(([status, extra]) => json({ ...extra, status }, 'a valid status with more fields')),
  },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => json(value, 'JSON of any shape')) },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes: Buffer.from(bytes), chunks: 0, label: 'random bytes' })) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => text(s, 'random text')) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED'), fc.nat()).map(([status, cut]) => {
      const whole = JSON.stringify({ status });
      return text(whole.slice(0, cut % whole.length), 'truncated JSON');
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"status":"MODEL_STATUS_ENABLED","status":"BOGUS"}',
      '{"status":"BOGUS","status":"MODEL_STATUS_DISABLED"}',
      '{"__proto__":{"status":"MODEL_STATUS_ENABLED"}}',
      '{"constructor":{"prototype":{"status":"MODEL_STATUS_ENABLED"}}}',
      '\ufeff{"status":"MODEL_STATUS_ENABLED"}',
      '{"status":"MODEL_STATUS_\\u0045NABLED"}',
      "{'status':'MODEL_STATUS_ENABLED'}",
      'status=MODEL_STATUS_ENABLED',
      '--fuzz\r\nContent-Disposition: form-data; name="status"\r\n\r\nMODEL_STATUS_ENABLED\r\n--fuzz--\r\n',
      '<status>MODEL_STATUS_ENABLED</status>',
      '[{"status":"MODEL_STATUS_ENABLED"}]',
      '"MODEL_STATUS_ENABLED"',
      'null',
      '1e400',
      '{"status":"MODEL_STATUS_ENABLED"}\u0000',
      '{"status":"MODEL_STATUS_ENABLED"} trailing',
    ).map((s) => text(s, 'a tricky body')),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((depth) => text('['.repeat(depth), 'deeply nested')) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 5_000 }).map((depth) => text(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, 'deeply nested objects')) },
  { weight: 1, arbitrary: fc.integer({ min: 100_000, max: BODY_LIMIT - 1 }).map((size) => padded(size)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((over) => ({ ...padded(BODY_LIMIT + over), label: `a body ${over} bytes over the limit` })) },
);
const hostileBody: fc.Arbitrary<Body> = fc
  .tuple(hostileBodyContent, fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }) }))
  .map(([body, chunks]) => (body.bytes && body.bytes.length > 0 && chunks > 0 ? { ...body, chunks, label: `${body.label}, chunked` } : body));

const canonicalBody = (route: Route): fc.Arbitrary<Body> => {
  switch (route) {
    case 'put':
      return fc.constantFrom('MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED').map((status) => json({ status }, 'a valid status'));
    case 'enable':
    case 'disable':
      return fc.constantFrom(NO_BODY, text('', 'an empty body'), text('{}', '{}'));
    default:
      return fc.constant(NO_BODY);
  }
};

/** What a body means to a route: whether the contract takes it, and the status a valid one asks for. */
function bodyValidity(route: Route, body: Body): { validity: Validity; intended?: string } {
  const bytes = body.bytes ?? Buffer.alloc(0);
  const content = bytes.toString('utf8');
  const parsed = (): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: JSON.parse(content) };
    } catch {
      return { ok: false };
    }
  };
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (route === 'put') {
    // TextDecoder drops a byte order mark; a client sending one is on its own.
    if (content.startsWith('\ufeff')) return { validity: 'either' };
    const result = parsed();
    if (!result.ok || !isObject(result.value)) return { validity: 'invalid' };
    if (Object.hasOwn(result.value, '__proto__')) return { validity: 'either' };
    const status = result.value.status;
    return status === 'MODEL_STATUS_ENABLED' || status === 'MODEL_STATUS_DISABLED' ? { validity: 'valid', intended: status } : { validity: 'invalid' };
  }
  if (route === 'enable' || route === 'disable') {
    const intended = route === 'enable' ? 'MODEL_STATUS_ENABLED' : 'MODEL_STATUS_DISABLED';
    if (/^[ \t\r\n]*$/.test(content) || /^[ \t\r\n]*\{[ \t\r\n]*\}[ \t\r\n]*$/.test(content)) return { validity: 'valid', intended };
    if (content.trim() === '' || content.startsWith('\ufeff')) return { validity: 'either', intended };
    const result = parsed();
    // "body empty or {}": another object is a judgement call.
    if (result.ok && isObject(result.value)) return { validity: 'either', intended };
    return { validity: 'invalid' };
  }
  return { validity: 'valid' };
}

// ---------------------------------------------------------------------------
// Requests.

type Route = 'list' | 'get' | 'put' | 'enable' | 'disable' | 'openapi' | 'docs' | 'unknown';
const ROUTE_METHOD: Record<Route, string | null> = { list: 'GET', get: 'GET', put: 'PUT', enable: 'POST', disable: 'POST', openapi: 'GET', docs: 'GET', unknown: null };
const MODEL_ROUTES: Route[] = ['get', 'put', 'enable', 'disable'];
const MUTATING: Route[] = ['put', 'enable', 'disable'];
const TEMPLATE: Record<Route, string> = {
  list: '/v1/workspaces/{workspaceId}/models',
  get: '/v1/workspaces/{workspaceId}/models/{id}',
  put: '/v1/workspaces/{workspaceId}/models/{id}/status',
  enable: '/v1/workspaces/{workspaceId}/models/{id}:enable',
  disable: '/v1/workspaces/{workspaceId}/models/{id}:disable',
  openapi: '/openapi.json',
  docs: '/docs',
  unknown: '(none)',
};
/** Paths under /v1 that are none of the resource's: 404 whatever the method. */
const UNKNOWN_PATHS: ((ws: string, model: string) => string)[] = [
  () => '/v1/',
  () => '/v1/workspaces',
  (ws) => `/v1/workspaces/${ws}`,
  (ws) => `/v1/workspaces/${ws}/`,
  (ws) => `/v1/workspaces/${ws}/models/`,
  (ws, model) => `/v1/workspaces/${ws}/models/${model}/status/extra`,
  (ws, model) => `/v1/workspaces/${ws}/models/${model}/labels`,
  (ws, model) => `/v1/workspaces/${ws}/models/${model}:frob`,
  () => '/v1/models',
  (ws) => `/v1/workspaces/${ws}/widgets`,
  (ws, model) => `/v1/workspaces/${ws}/models/${model}/status/`,
];
const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE'];
const EXTENSION_METHODS = ['PROPFIND', 'PURGE', 'SEARCH', 'LOCK', 'REPORT', 'MKCOL'];

interface FuzzRequest {
  focus: Focus;
  route: Route;
  ws: Segment;
  model: Segment;
  unknownPath: number;
  method: string;
  query: QueryPart[];
  auth: Auth;
  headers: [string, string][];
  body: Body;
}

function pathOf(r: FuzzRequest, ws = r.ws.text, model = r.model.text): string {
  let path: string;
  switch (r.route) {
    case 'list':
      path = `/v1/workspaces/${ws}/models`;
      break;
    case 'get':
      path = `/v1/workspaces/${ws}/models/${model}`;
      break;
    case 'put':
      path = `/v1/workspaces/${ws}/models/${model}/status`;
      break;
    case 'enable':
    case 'disable':
      path = `/v1/workspaces/${ws}/models/${model}:${r.route}`;
      break;
    case 'openapi':
      path = '/openapi.json';
      break;
    case 'docs':
      path = '/docs';
      break;
    case 'unknown':
      path = UNKNOWN_PATHS[r.unknownPath % UNKNOWN_PATHS.length]!(ws, model);
  }
  return r.query.length > 0 ? `${path}?${r.query.map((p) => p.raw).join('&')}` : path;
}

function headersOf(r: FuzzRequest): [string, string][] {
  const headers = r.headers.filter(([name]) => name !== 'authorization');
  return r.auth.header === null ? headers : [...headers, ['authorization', r.auth.header]];
}

/** How much of each dimension a property fuzzes (the rest is a canonical, valid value). */
const SHARE: Record<Focus, Record<'path' | 'method' | 'query' | 'auth' | 'headers' | 'body', number>> = {
  paths: { path: 0.85, method: 0.1, query: 0.1, auth: 0.1, headers: 0.05, body: 0.05 },
  queries: { path: 0.1, method: 0.05, query: 0.9, auth: 0.1, headers: 0.05, body: 0.05 },
  headers: { path: 0.1, method: 0.5, query: 0.1, auth: 0.7, headers: 0.8, body: 0.1 },
  bodies: { path: 0.1, method: 0.1, query: 0.05, auth: 0.2, headers: 0.3, body: 0.9 },
  mixed: { path: 0.5, method: 0.4, query: 0.5, auth: 0.5, headers: 0.5, body: 0.5 },
};
const mix = <T,>(share: number, canonical: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>): fc.Arbitrary<T> => {
  const hostileWeight = Math.round(share * 20);
  if (hostileWeight <= 0) return canonical;
  if (hostileWeight >= 20) return hostile;
  return fc.oneof({ weight: 20 - hostileWeight, arbitrary: canonical }, { weight: hostileWeight, arbitrary: hostile });
};

const ROUTE_WEIGHTS: Record<Focus, Partial<Record<Route, number>>> = {
  paths: { list: 4, get: 4, put: 3, enable: 2, disable: 2, unknown: 1 },
  queries: { list: 10, get: 1, put: 1, enable: 1, openapi: 1 },
  headers: { list: 3, get: 3, put: 3, enable: 2, disable: 2, openapi: 1, docs: 1, unknown: 1 },
  bodies: { put: 6, enable: 3, disable: 3, list: 1, get: 1, openapi: 1 },
  mixed: { list: 3, get: 3, put: 3, enable: 2, disable: 2, openapi: 1, docs: 1, unknown: 1 },
};

function requestArbitrary(focus: Focus, cursors: string[]): fc.Arbitrary<FuzzRequest> {
  const share = SHARE[focus];
  const routes = Object.entries(ROUTE_WEIGHTS[focus]).map(([route, weight]) => ({ weight, arbitrary: fc.constant(route as Route) }));
  return fc.oneof(...routes).chain((route) =>
    fc.record({
      focus: fc.constant(focus),
      route: fc.constant(route),
      ws: mix(share.path, canonicalSegment('Workspace'), hostileSegment('Workspace')),
      model: mix(share.path, canonicalSegment('Model'), hostileSegment('Model')),
      unknownPath: fc.nat(),
      method: mix(share.method, fc.constant(ROUTE_METHOD[route] ?? 'GET'), fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...OTHER_METHODS) }, { weight: 1, arbitrary: fc.constantFrom(...EXTENSION_METHODS) })),
      query: mix(share.query, canonicalQuery(route), hostileQuery(cursors)),
      auth: mix(share.auth, canonicalAuth, hostileAuth),
      headers: mix(share.headers, canonicalHeaders(route), hostileHeaders),
      body: mix(share.body, canonicalBody(route), hostileBody),
    }),
  );
}

// ---------------------------------------------------------------------------
// The contract's answer to a request, where it says one.

/** The id a segment names for `caller`, if it is theirs and of `kind`. */
function ownId(seg: Segment, kind: IdKind, caller: Owner | null): KnownId | null {
  const id = seg.id && known.get(seg.id);
  return id && caller !== null && id.owner === caller && id.kind === kind ? id : null;
}

/** The shapes of the segments a route's path is made of: `.` before `:enable` is no dot segment. */
function pathShapes(r: FuzzRequest): Segment['shape'][] {
  if (r.route === 'list') return [r.ws.shape];
  if (r.route === 'enable' || r.route === 'disable') return [r.ws.shape, r.model.shape === 'dot' ? 'plain' : r.model.shape];
  if (MODEL_ROUTES.includes(r.route) || r.route === 'unknown') return [r.ws.shape, r.model.shape];
  return [];
}

/** The statuses the contract allows for `r`, or null where it says nothing more than "< 500". */
function predict(r: FuzzRequest): Set<number> | null {
  const size = r.body.bytes?.length ?? 0;
  if (size > BODY_LIMIT) return new Set([413]);
  // CORS preflights are answered before routing.
  if (r.method === 'OPTIONS') return null;
  // Extra segments match nothing; `.`/`..` are resolved away first, and what is left may be another route's path (405).
  const shapes = pathShapes(r);
  if (shapes.includes('dot')) return new Set([404, 405]);
  if (shapes.some((shape) => shape !== 'plain')) return new Set([404]);
  if (r.route === 'unknown') return new Set(r.model.rawColon || r.model.decodedColon || r.ws.rawColon ? [404, 405] : [404]);

  const own = ROUTE_METHOD[r.route]!;
  const head = r.method === 'HEAD' && own === 'GET';
  // `…/models/a:b` is none of the paths; `…/models/{id}:enable` is the POST one.
  const colonOnGet = r.route === 'get' && (r.model.rawColon || r.model.decodedColon);
  if (r.method !== own && !head) return new Set(r.route === 'get' && r.model.rawColon ? [404, 405] : [405]);
  if (r.route === 'openapi' || r.route === 'docs') return new Set(head ? [200, 405] : [200]);

  const statuses = new Set<number>(head ? [405] : []);
  const mutating = MUTATING.includes(r.route);
  let input: Validity = 'valid';
  if (r.route === 'list') {
    const names = r.query.map((p) => p.name).filter((n): n is string => n !== null);
    const repeated = names.some((n, i) => names.indexOf(n) !== i);
    input = worst([...r.query.map((p) => p.validity), repeated ? 'either' : 'valid']);
  } else if (mutating) {
    input = bodyValidity(r.route, r.body).validity;
    if (r.headers.some(([name, value]) => name === 'content-encoding' && value !== 'identity')) input = worst([input, 'either']);
  }
  const authStates = r.auth.validity === 'either' ? [true, false] : [r.auth.validity === 'valid'];
  const inputStates = input === 'either' ? [true, false] : [input === 'valid'];
  for (const authValid of authStates) {
    const caller = authValid ? r.auth.caller : null;
    const workspace = ownId(r.ws, 'Workspace', caller);
    const model = r.route === 'list' ? null : ownId(r.model, 'Model', caller);
    const idsOk = workspace !== null && (r.route === 'list' || (model !== null && model.workspaceId === r.ws.id));
    for (const inputValid of inputStates) {
      if (!inputValid) {
        statuses.add(400);
        if (!authValid) statuses.add(401);
        else if (!idsOk) statuses.add(404);
        else if (mutating && r.auth.role !== 'ADMIN') statuses.add(403);
        continue;
      }
      if (colonOnGet) [404, 405, ...(authValid ? [] : [401])].forEach((s) => statuses.add(s));
      else if (!authValid) statuses.add(401);
      else if (!idsOk) statuses.add(404);
      else if (mutating && r.auth.role !== 'ADMIN') statuses.add(403);
      else statuses.add(200);
    }
  }
  return statuses;
}

// ---------------------------------------------------------------------------
// Checking an answer.

const RPC_BY_STATUS: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 405: 12 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Stacks and source locations, SQL, the drivers' names and messages. */
const LEAK =
  /\n\s+at |\bat (?:async )?[\w$.<>[\]]+ \(|\bat (?:file|node):|\.(?:ts|js|mjs|cjs):\d|select |insert |update |delete from|syntax error|violates|relation "|postgres|pglite|drizzle|ECONN|invalid input syntax|unterminated/i;
/** A stack frame, in any body. */
const STACK = /\n\s+at \S|\bat (?:async )?[\w$.<>[\]]+ \((?:file|node):|(?:file|node):[^\s)]*:\d+:\d+/;
/** `Error:`, `TypeError:`, `SyntaxError:`… */
const ERROR_PREFIX = /(?:^|[^A-Za-z])[A-Za-z]*(?:Error|Exception):/;
const METADATA_KEYS = ['id', 'accountId', 'createdAt', 'name', 'profileId', 'workspaceId', 'bundleKey', 'externalId', 'labels'];
const SPEC_KEYS = ['family', 'inputPricePerMillionTokens', 'maxInputTokens', 'maxOutputTokens', 'outputPricePerMillionTokens', 'provider', 'status'];
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;


const stats = {
  runs: new Map<string, number>(),
  statuses: new Map<number, number>(),
  codes: new Map<string, number>(),
  predicted: 0,
  twins: 0,
  changes: 0,
};
const tally = <K,>(counts: Map<K, number>, key: K) => counts.set(key, (counts.get(key) ?? 0) + 1);
const requestIds = new Set<string>();
const clip = (text: string, max = 700) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** Keys in the seed's order: a subsequence of `order` that holds every one of `required`. */
function orderProblem(keys: string[], order: string[], required: string[]): string | null {
  let at = -1;
  for (const key of keys) {
    const next = order.indexOf(key);
    if (next === -1) return `unexpected key ${key}`;
    if (next <= at) return `key ${key} out of order`;
    at = next;
  }
  const missing = required.filter((key) => !keys.includes(key));
  return missing.length > 0 ? `missing ${missing.join(', ')}` : null;
}

function modelProblem(value: unknown, expected: { accountId: string; workspaceId: string; id?: string }): string | null {
  if (typeof value !== 'object' || value === null) return 'a model is not an object';
  const model = value as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  if (Object.keys(model).join() !== 'metadata,spec') return `model keys ${Object.keys(model).join()}`;
  const { metadata, spec } = model as { metadata: Record<string, unknown>; spec: Record<string, unknown> };
  const problem =
    orderProblem(Object.keys(metadata), METADATA_KEYS, METADATA_KEYS.slice(0, 6)) ?? orderProblem(Object.keys(spec), SPEC_KEYS, ['family', 'provider', 'status']);
  if (problem) return `model JSON: ${problem}`;
  if (metadata.accountId !== expected.accountId) return "another account's model";
  if (metadata.workspaceId !== expected.workspaceId) return "another workspace's model";
  if (expected.id && metadata.id !== expected.id) return 'another model than the one asked for';
  if (typeof metadata.createdAt !== 'string' || !DATE_TIME.test(metadata.createdAt)) return 'createdAt is not RFC 3339 with milliseconds';
  if (!STATUSES.includes(String(spec.status))) return 'unknown status';
  return null;
}

/** A message with everything the client sent blanked out: quoting the input back is not a leak. */
function withoutInput(message: string, sent: string[]): string {
  let result = message;
  for (const value of [...sent].sort((a, b) => b.length - a.length)) {
    if (value.length < 3) continue;
    for (const form of [value, JSON.stringify(value).slice(1, -1)]) result = result.split(form).join('⟨input⟩');
  }
  return result;
}

function describeRequest(r: FuzzRequest, path = pathOf(r)): string {
  const body = r.body.bytes ? ` body (${r.body.label}, ${r.body.bytes.length} bytes${r.body.chunks ? ', chunked' : ''}): ${JSON.stringify(clip(r.body.bytes.toString('utf8'), 200))}` : '';
  const headers = r.headers.map(([n, v]) => `${n}: ${clip(v, 60)}`).join('; ');
  return `${r.method} ${clip(path, 300)} [${r.auth.label}${headers ? `; ${headers}` : ''}]${body}`;
}

function inputsOf(r: FuzzRequest): string[] {
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return [
    r.ws.text,
    decode(r.ws.text),
    r.model.text,
    decode(r.model.text),
    ...r.query.flatMap((p) => [...p.sent, p.raw, decode(p.raw)]),
    ...(r.body.bytes && r.body.bytes.length < 20_000 ? [r.body.bytes.toString('utf8')] : []),
    ...(r.auth.header ? [r.auth.header] : []),
  ];
}

const accountOf = (owner: Owner | null) => (owner ? TENANTS[owner].accountId : null);

/** Checks one answer against the properties every answer has, and against the contract's prediction. */
function checkAnswer(violations: Violations, r: FuzzRequest, answer: Answer, expected: Set<number> | null, path: string): unknown {
  const { status } = answer;
  tally(stats.statuses, status);
  const bodyText = answer.body.toString('utf8');
  const example = `${describeRequest(r, path)}\n→ ${status} ${answer.headers.allow ? `(Allow: ${answer.headers.allow}) ` : ''}${clip(bodyText, 400)}`;
  const where = `${r.route === 'unknown' ? 'a path of none of the routes' : TEMPLATE[r.route]}${r.method === ROUTE_METHOD[r.route] ? '' : ' (another method)'}`;
  const requestId = answer.headers['x-request-id'];
  if (typeof requestId !== 'string' || !UUID.test(requestId)) violations.record('no x-request-id (or not a UUID)', example);
  else if (requestIds.has(requestId)) violations.record('x-request-id repeated', example);
  else requestIds.add(requestId);
  if (expected) stats.predicted++;
  const stack = STACK.exec(bodyText);
  if (status >= 500) {
    // One rule per failure, whatever else is wrong with it.
    const kind = stack ? 'a stack trace in plain text' : bodyText.length === 0 ? 'an empty body' : /"code":13/.test(bodyText) ? 'masked INTERNAL' : 'another body';
    violations.record(`${where}: status ${status} (${kind})`, example);
    return null;
  }
  if (expected && !expected.has(status)) violations.record(`${where}: ${status} where the contract says ${[...expected].join(' or ')}`, example);
  if (stack) violations.record(`${where}: the ${status} body shows a stack (${JSON.stringify(stack[0])})`, example);
  if (r.method === 'HEAD') {
    if (answer.body.length > 0) violations.record('a body in the answer to HEAD', example);
    return null;
  }
  if (r.method === 'OPTIONS' && status === 204) return null;
  if (r.route === 'docs' && status === 200) {
    if (!String(answer.headers['content-type']).startsWith('text/html')) violations.record('/docs is not HTML', example);
    return null;
  }
  let body: any;
  try {
    body = JSON.parse(bodyText);
  } catch {
    violations.record(`${where}: the ${status} body is not JSON`, example);
    return null;
  }
  if (!String(answer.headers['content-type']).startsWith('application/json')) violations.record(`${where}: JSON without an application/json content type`, example);

  if (status >= 200 && status < 300) {
    const caller = accountOf(r.auth.validity === 'invalid' ? null : r.auth.caller);
    let problem: string | null = null;
    if (r.route === 'openapi') problem = body?.openapi === '3.1.0' && typeof body.paths === 'object' ? null : 'not the OpenAPI document';
    else if (r.route === 'list') {
      const limit = r.query.find((p) => p.name === 'limit' && p.validity === 'valid');
      const max = limit ? Number(decodeURIComponent(limit.raw.slice('limit='.length))) : r.query.some((p) => p.name === 'limit') ? 100 : 50;
      const status = r.query.find((p) => p.name === 'status' && p.validity === 'valid' && !p.raw.endsWith('UNSPECIFIED'));
      if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'items,pagination' || !Array.isArray(body.items)) problem = 'not {items, pagination}';
      else if (body.items.length > max) problem = `${body.items.length} items for a limit of ${max}`;
      else if (Object.keys(body.pagination ?? {}).some((k) => k !== 'next_cursor') || (body.pagination.next_cursor !== undefined && typeof body.pagination.next_cursor !== 'string')) problem = 'pagination is not {next_cursor?}';
      else {
        for (const item of body.items) {
          problem ??= caller ? modelProblem(item, { accountId: caller, workspaceId: r.ws.id ?? '' }) : 'a page without a caller';
          if (status && item?.spec?.status !== status.raw.slice('status='.length)) problem ??= 'an item the status filter excludes';
        }
      }
    } else if (MODEL_ROUTES.includes(r.route)) {
      problem = caller ? modelProblem(body, { accountId: caller, workspaceId: r.ws.id ?? '', id: r.model.id ?? '' }) : 'a model without a caller';
      const intended = bodyValidity(r.route, r.body).intended;
      if (!problem && MUTATING.includes(r.route) && body.spec.status !== intended) problem = `status ${body.spec.status} after asking for ${intended}`;
    } else problem = 'a success on a path of none of the routes';
    if (problem) violations.record(`${where}: success, but ${problem}`, example);
    return body;
  }

  // An error: google.rpc.Status, its code the status's.
  const shapeOk =
    typeof body === 'object' && body !== null && Object.keys(body).sort().join() === 'code,details,message' &&
    Number.isInteger(body.code) && typeof body.message === 'string' && Array.isArray(body.details);
  if (!shapeOk) {
    violations.record(`${where}: the ${status} body is not a google.rpc.Status`, example);
    return body;
  }
  tally(stats.codes, `${status}/${body.code}`);
  if (status !== 413 && RPC_BY_STATUS[status] !== body.code) violations.record(`${where}: code ${body.code} with HTTP ${status}`, example);
  if (status === 405) {
    const allow = answer.headers.allow;
    if (!allow) violations.record(`${where}: 405 without Allow`, example);
    else if (allow.split(/\s*,\s*/).includes(r.method)) violations.record(`${where}: 405 for a method its own Allow header names`, example);
  }
  if (status === 400) {
    const badRequest = body.details.find((d: { '@type'?: string }) => d?.['@type'] === 'type.googleapis.com/google.rpc.BadRequest');
    const violationsOk = Array.isArray(badRequest?.fieldViolations) && badRequest.fieldViolations.length > 0 &&
      badRequest.fieldViolations.every((v: unknown) => typeof (v as { field?: unknown }).field === 'string' && typeof (v as { description?: unknown }).description === 'string');
    if (!violationsOk) violations.record(`${where}: 400 without BadRequest field violations`, example);
  }
  const shown = withoutInput(`${body.message}\n${JSON.stringify(body.details)}`, inputsOf(r));
  const leak = LEAK.exec(shown) ?? ERROR_PREFIX.exec(shown);
  if (leak) violations.record(`${where}: the error shows ${JSON.stringify(leak[0])}`, example);
  return body;
}

/** The segments naming a real id of an account that is not the caller's. */
function foreignSegments(r: FuzzRequest): ('ws' | 'model')[] {
  const caller = r.auth.validity === 'invalid' ? null : r.auth.caller;
  const parts: ('ws' | 'model')[] = [];
  const uses = r.route === 'list' ? ['ws'] : MODEL_ROUTES.includes(r.route) || r.route === 'unknown' ? ['ws', 'model'] : [];
  for (const part of uses as ('ws' | 'model')[]) {
    const id = r[part].id && known.get(r[part].id!);
    // A key the server may or may not take (`either`) is its owner's or nobody's: only ids of neither are foreign.
    if (id && id.owner !== caller) parts.push(part);
  }
  return parts;
}

const kindOfPrefix = new Map<string, IdKind>(Object.entries(idPrefixes).map(([kind, prefix]) => [prefix, kind as IdKind]));
const unknownTwin = (id: string) => newId(kindOfPrefix.get(id.slice(0, id.indexOf('_')))!);
const normalized = (answer: Answer) => ({
  status: answer.status,
  allow: answer.headers.allow ?? null,
  body: answer.body.toString('utf8').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'),
});

async function fuzzOne(violations: Violations, r: FuzzRequest): Promise<void> {
  const path = pathOf(r);
  const headers = headersOf(r);
  const headSize = r.method.length + path.length + headers.reduce((n, [name, value]) => n + name.length + value.length + 4, 0);
  // Over node:http's limit the front door never sees the request: that case has a test of its own.
  fc.pre(headSize < HEAD_BUDGET);
  tally(stats.runs, r.focus);
  const body = r.method === 'HEAD' || r.method === 'TRACE' ? NO_BODY : r.body;
  const request = { ...r, body };
  const expected = predict(request);
  let answer: Answer;
  try {
    answer = await send({ method: r.method, path, headers, body });
  } catch (error) {
    violations.record(`no answer: ${(error as Error).message}`, describeRequest(request, path));
    return;
  }
  const parsed = checkAnswer(violations, request, answer, expected, path);

  // A valid admin request changed a status: that is the one change allowed.
  if (answer.status === 200 && MUTATING.includes(r.route) && (!expected || expected.has(200)) && r.model.id) {
    const status = (parsed as { spec?: { status?: string } } | null)?.spec?.status;
    if (status) {
      if (expectedStatus.get(r.model.id) !== status) stats.changes++;
      expectedStatus.set(r.model.id, status);
    }
  }

  // Another account's ids: never 200 or 403, and exactly the answer unknown ids get.
  // (Without credentials every id is someone else's, and the answer is 401 either way.)
  const foreignParts = r.auth.validity === 'invalid' ? [] : foreignSegments(request);
  if (foreignParts.length === 0) return;
  const example = `${describeRequest(request, path)}\n→ ${answer.status} ${clip(answer.body.toString('utf8'), 300)}`;
  if (answer.status === 200 || answer.status === 403) violations.record(`another account's id answered ${answer.status}`, example);
  const twinWs = foreignParts.includes('ws') ? r.ws.make(unknownTwin(r.ws.id!)) : r.ws.text;
  const twinModel = foreignParts.includes('model') ? r.model.make(unknownTwin(r.model.id!)) : r.model.text;
  const twinPath = pathOf(r, twinWs, twinModel);
  stats.twins++;
  let twin: Answer;
  try {
    twin = await send({ method: r.method, path: twinPath, headers, body });
  } catch (error) {
    violations.record(`no answer: ${(error as Error).message}`, describeRequest(request, twinPath));
    return;
  }
  const a = normalized(answer);
  const b = normalized(twin);
  if (a.status !== b.status || a.allow !== b.allow || a.body !== b.body) {
    violations.record(
      `another account's id answered unlike an unknown id (${a.status} vs ${b.status})`,
      `${example}\nwith unknown ids instead: ${clip(twinPath, 200)}\n→ ${b.status} ${clip(b.body, 300)}`,
    );
  }
}

/** Every model as the tracked valid changes left it; names, prices, labels as they were. */
async function checkModels(violations: Violations): Promise<void> {
  const now = await snapshot();
  for (const [id, before] of initial) {
    const after = now.get(id);
    if (!after) violations.record('a model disappeared', id);
    else if (after.rest !== before.rest) violations.record('a model changed other than its status', `${id}: ${before.rest}\n→ ${after.rest}`);
    else if (after.status !== expectedStatus.get(id)) violations.record('a status changed without a valid admin request answered 200', `${id}: expected ${expectedStatus.get(id)}, is ${after.status}`);
  }
  if (now.size !== initial.size) violations.record('models were added', `${initial.size} → ${now.size}`);
}

// ---------------------------------------------------------------------------

const cursors = await listCursors();

describe('REST fuzz', () => {
  it('the fixture: three workspaces, real cursors, a socket', () => {
    expect(cursors.length).toBeGreaterThan(3);
    expect(initial.size).toBeGreaterThanOrEqual(45);
    expect([...initial.values()].every((m) => m.status === 'MODEL_STATUS_ENABLED')).toBe(true);
  });

  for (const focus of Object.keys(RUNS) as Focus[]) {
    it(
      `hostile ${focus} (${RUNS[focus]} runs)`,
      async () => {
        const violations = new Violations();
        await fc.assert(
          fc.asyncProperty(requestArbitrary(focus, cursors), (r) => fuzzOne(violations, r)),
          { seed: SEED + Object.keys(RUNS).indexOf(focus), numRuns: RUNS[focus] },
        );
        await checkModels(violations);
        expect(violations.list()).toEqual([]);
      },
      PROPERTY_TIMEOUT,
    );
  }

  it('summary: every run was answered, and the app still answers', async () => {
    const answer = await send({ method: 'GET', path: `/v1/workspaces/${fuzz.workspaceId}/models?limit=1`, headers: [['authorization', `Bearer ${fuzz.readerKey}`]], body: NO_BODY });
    expect(answer.status).toBe(200);
    const runs = [...stats.runs.values()].reduce((a, b) => a + b, 0);
    const byStatus = [...stats.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`);
    const byCode = [...stats.codes].sort(([, a], [, b]) => b - a).map(([code, n]) => `${code}: ${n}`);
    console.log(
      `REST fuzz (seed ${SEED}): ${runs} requests (${[...stats.runs].map(([focus, n]) => `${focus} ${n}`).join(', ')}), ` +
        `${stats.predicted} with a status the contract pins down, ${stats.twins} twins with unknown ids for another account's ids, ` +
        `${stats.changes} status changes by valid admin requests; responses by status: ${byStatus.join(', ')}; HTTP/google.rpc codes: ${byCode.join(', ')}`,
    );
    expect(runs).toBeGreaterThanOrEqual(2_000);
  });
});

// ---------------------------------------------------------------------------
// What node:http refuses itself, before the front door: the server process's answer.

/** One raw request over a socket to `port`; resolves with everything the server wrote. */
function raw(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk) => (out += chunk.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => undefined);
    socket.end(bytes);
  });
}

describe('requests node:http refuses before the front door, on the server process', () => {
  it(
    'still carry x-request-id and a google.rpc.Status body (a 20 kB id, a header over 16 KiB, bytes that are not HTTP)',
    async () => {
      const { server, error } = await serverProcess;
      if (!server) throw error;
      const port = Number(new URL(server.url).port);
      const key = `Authorization: Bearer ${fuzz.adminKey}\r\n`;
      const cases = {
        'a 20,000-character model id': `GET /v1/workspaces/${fuzz.workspaceId}/models/${'Z'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n${key}Connection: close\r\n\r\n`,
        'a 20,000-character query value': `GET /v1/workspaces/${fuzz.workspaceId}/models?query=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n${key}Connection: close\r\n\r\n`,
        'an Authorization header of 20,000 characters': `GET /v1/workspaces/${fuzz.workspaceId}/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'A'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
        'a raw 0xFF byte in the path': `GET /v1/workspaces/\xff/models HTTP/1.1\r\nHost: x\r\n${key}Connection: close\r\n\r\n`,
        'a chunk size that is not hex': `PUT /v1/workspaces/${fuzz.workspaceId}/models/x/status HTTP/1.1\r\nHost: x\r\n${key}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      };
      const problems: string[] = [];
      for (const [label, request] of Object.entries(cases)) {
        const answer = await raw(port, Buffer.from(request, 'latin1'));
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
        const problem = [
          !(status >= 400 && status < 500) && `status ${status}`,
          !/\r\nx-request-id: [0-9a-f-]{36}\r\n/i.test(`${head}\r\n`) && 'no x-request-id',
          !/^\s*\{"code":\d+,"message":"[^"]*","details":\[/.test(body) && 'no google.rpc.Status body',
        ].filter(Boolean);
        if (problem.length > 0) problems.push(`${label}: ${problem.join(', ')} → ${JSON.stringify(answer.slice(0, 200))}`);
      }
      expect(problems).toEqual([]);
    },
    120_000,
  );
});
