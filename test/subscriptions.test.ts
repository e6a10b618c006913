/**
 * Subscription.modelStatusChanged (DESIGN.md, "Live updates and history")
 * over a real port: GraphQL over SSE read from fetch's stream, and the
 * graphql-ws protocol with graphql-ws's own client on `ws`.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../src/db/ids.ts';
import { createApp } from '../src/http/app.ts';
import { createApiKey, revokeApiKey } from '../src/domain/auth.ts';
import { setupTestApp, unwrap, type Tenant } from './helpers.ts';
import { closeCodeOf, sse, STATUS_CHANGED, until, wsClient, wsStream, type Result, type Stream } from './live.ts';
import { serve } from './sockets.ts';

const app = await setupTestApp();
const base = await serve(app.yoga.listener, app.yoga.frontDoor.upgrade);

const SET_STATUS = /* GraphQL */ `
  mutation SetStatus($id: ID!, $status: ModelStatus!) {
    setModelStatus(input: { id: $id, status: $status }) { model { id } userErrors { code } }
  }
`;

let t: Tenant;
let other: Tenant;
let profileId: string;
let modelIds: string[];

/**
 * Each test has accounts of its own: the notice of a change committed just
 * before a subscription began may still arrive after it (and be sent), so a
 * test must not see the changes of the one before.
 */
beforeEach(async () => {
  [t, other] = await Promise.all([app.tenant(), app.tenant()]);
  const res = await app.gql(
    /* GraphQL */ `query Start($ws: ID!) { viewer { profileId } workspace(id: $ws) { models(first: 3) { nodes { id } } } }`,
    { key: t.adminKey, variables: { ws: t.workspaceId } },
  );
  profileId = res.body.data.viewer.profileId;
  modelIds = res.body.data.workspace.models.nodes.map((node: { id: string }) => node.id);
});

// Every test closes what it opened: the source then holds no subscriber (once the server has seen the sockets close).
afterEach(async () => {
  expect(await until(() => app.live.subscribers() === 0, 2_000)).toBe(true);
});

const clients: { dispose(): void | Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
});

/** setModelStatus through the app; its request id. */
async function setStatusGraphQL(id: string, status: string): Promise<string> {
  const res = await app.gql(SET_STATUS, { key: t.adminKey, variables: { id, status } });
  expect(res.body.data.setModelStatus.userErrors).toEqual([]);
  return res.headers.get('x-request-id')!;
}

/** REST PUT …/status over the port; its request id. */
async function setStatusRest(id: string, status: string): Promise<string> {
  const res = await fetch(`${base}/v1/workspaces/${t.workspaceId}/models/${id}/status`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('x-request-id')!;
}

/** The event a change is expected to arrive as. */
const changeOf = (id: string, from: string, to: string, requestId: string) => ({
  data: {
    modelStatusChanged: {
      model: { id, spec: { status: to } },
      from,
      to,
      profileId,
      requestId,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    },
  },
});

/** Subscribes over SSE and over WebSocket, each to `workspaceId` with `key`, and waits until the source holds both. */
async function subscribeBoth(key: string, workspaceId: string): Promise<{ sse: Stream; ws: Stream }> {
  const before = app.live.subscribers();
  const overSse = await sse(base, { query: STATUS_CHANGED, variables: { workspaceId } }, { key });
  expect(overSse.status).toBe(200);
  expect(overSse.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const client = wsClient(base, key);
  clients.push(client);
  const overWs = wsStream(client, { query: STATUS_CHANGED, variables: { workspaceId } });
  expect(await until(() => app.live.subscribers() === before + 2)).toBe(true);
  return { sse: overSse, ws: overWs };
}

describe('modelStatusChanged', () => {
  it('delivers changes of setModelStatus and of REST PUT …/status over SSE and WebSocket, in order, nothing for a no-op', async () => {
    const { sse: a, ws: b } = await subscribeBoth(t.adminKey, t.workspaceId);
    const [first, second] = modelIds as [string, string];
    const disabled = await setStatusGraphQL(first, 'MODEL_STATUS_DISABLED');
    const noOp = await setStatusGraphQL(first, 'MODEL_STATUS_DISABLED');
    expect(noOp).not.toBe(disabled);
    const enabled = await setStatusRest(first, 'MODEL_STATUS_ENABLED');
    const restNoOp = await setStatusRest(second, 'MODEL_STATUS_ENABLED');
    expect(restNoOp).toBeTruthy();
    const disabledAgain = await setStatusRest(second, 'MODEL_STATUS_DISABLED');
    const expected = [
      changeOf(first, 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', disabled),
      changeOf(first, 'MODEL_STATUS_DISABLED', 'MODEL_STATUS_ENABLED', enabled),
      changeOf(second, 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', disabledAgain),
    ];
    for (const stream of [a, b]) {
      const received: (Result | null)[] = [];
      for (let i = 0; i < expected.length; i++) received.push(await stream.next());
      expect(received).toEqual(expected);
      // The no-ops sent nothing.
      expect(await stream.next(300)).toBeNull();
    }
    a.close();
    b.close();
    await setStatusRest(second, 'MODEL_STATUS_ENABLED');
  });

  it("keeps one model's changes in commit order however fast they come", async () => {
    const { sse: a, ws: b } = await subscribeBoth(t.adminKey, t.workspaceId);
    const id = modelIds[2]!;
    const statuses = ['MODEL_STATUS_DISABLED', 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', 'MODEL_STATUS_ENABLED'];
    // Sent at once: each waits for the row lock of the one before, so they commit in some order, each flipping the status.
    await Promise.all(statuses.map((status) => app.gql(SET_STATUS, { key: t.adminKey, variables: { id, status } })));
    for (const stream of [a, b]) {
      const events: { from: string; to: string }[] = [];
      for (;;) {
        const result = await stream.next(events.length === 0 ? 5_000 : 500);
        if (!result) break;
        events.push(result.data.modelStatusChanged);
      }
      expect(events.length).toBeGreaterThan(0);
      // In commit order, each change starts where the one before ended.
      events.forEach((event, i) => {
        expect(event.from).not.toBe(event.to);
        if (i > 0) expect(event.from).toBe(events[i - 1]!.to);
      });
    }
    a.close();
    b.close();
  });

  it("sends a subscriber nothing of another account's changes", async () => {
    const { sse: a, ws: b } = await subscribeBoth(other.adminKey, other.workspaceId);
    await setStatusGraphQL(modelIds[0]!, 'MODEL_STATUS_DISABLED');
    await setStatusGraphQL(modelIds[0]!, 'MODEL_STATUS_ENABLED');
    // The other account's own change arrives, and is the first thing to.
    const otherModel = (
      await app.gql(/* GraphQL */ `query OtherFirst($ws: ID!) { workspace(id: $ws) { models(first: 1) { nodes { id } } } }`, {
        key: other.adminKey,
        variables: { ws: other.workspaceId },
      })
    ).body.data.workspace.models.nodes[0].id as string;
    await app.gql(SET_STATUS, { key: other.adminKey, variables: { id: otherModel, status: 'MODEL_STATUS_DISABLED' } });
    for (const stream of [a, b]) {
      const first = await stream.next();
      expect(first?.data.modelStatusChanged.model.id).toBe(otherModel);
    }
    a.close();
    b.close();
  });

  it('refuses a foreign, unknown or malformed workspace id with NOT_FOUND on both transports', async () => {
    const client = wsClient(base, t.adminKey);
    clients.push(client);
    for (const workspaceId of [other.workspaceId, newId('Workspace'), 'not-an-id', modelIds[0]!]) {
      const overSse = await sse(base, { query: STATUS_CHANGED, variables: { workspaceId } }, { key: t.adminKey });
      const overWs = wsStream(client, { query: STATUS_CHANGED, variables: { workspaceId } });
      for (const stream of [overSse, overWs]) {
        const result = await stream.next();
        expect(result).toMatchObject({ errors: [{ path: ['modelStatusChanged'], extensions: { code: 'NOT_FOUND', requestId: expect.any(String) } }] });
        expect(result!.errors![0]!.message).not.toContain(other.accountId);
        expect(await stream.next(100)).toBeNull();
        stream.close();
      }
    }
    expect(app.live.subscribers()).toBe(0);
  });

  it('lets a reader subscribe', async () => {
    const { sse: a, ws: b } = await subscribeBoth(t.readerKey, t.workspaceId);
    const requestId = await setStatusGraphQL(modelIds[1]!, 'MODEL_STATUS_DISABLED');
    for (const stream of [a, b]) expect(await stream.next()).toEqual(changeOf(modelIds[1]!, 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', requestId));
    a.close();
    b.close();
    await setStatusGraphQL(modelIds[1]!, 'MODEL_STATUS_ENABLED');
  });

  it('ends a subscription with UNAUTHENTICATED at its first event after its key was revoked', async () => {
    const { apiKeyId, apiKey } = unwrap(await createApiKey(app.db, { accountId: t.accountId, role: 'READER' }));
    const { sse: a, ws: b } = await subscribeBoth(apiKey, t.workspaceId);
    const first = await setStatusGraphQL(modelIds[0]!, 'MODEL_STATUS_DISABLED');
    for (const stream of [a, b]) expect(await stream.next()).toEqual(changeOf(modelIds[0]!, 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', first));
    unwrap(await revokeApiKey(app.db, apiKeyId));
    // A key's check is cached for a second at most.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await setStatusGraphQL(modelIds[0]!, 'MODEL_STATUS_ENABLED');
    for (const stream of [a, b]) {
      expect(await stream.next()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
      expect(await stream.next(500)).toBeNull();
    }
    a.close();
    b.close();
  });

  it('holds no subscriber once every subscriber has gone', async () => {
    const streams = [await subscribeBoth(t.adminKey, t.workspaceId), await subscribeBoth(other.adminKey, other.workspaceId)];
    expect(app.live.subscribers()).toBe(4);
    for (const { sse: a, ws: b } of streams) {
      a.close();
      b.close();
    }
    expect(await until(() => app.live.subscribers() === 0, 2_000)).toBe(true);
    // A change with nobody listening is not even read.
    const { sql } = await app.countStatements(async () => {
      await setStatusGraphQL(modelIds[0]!, 'MODEL_STATUS_DISABLED');
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    await setStatusGraphQL(modelIds[0]!, 'MODEL_STATUS_ENABLED');
    expect(sql.filter((statement) => statement.includes('model_status_changes'))).toEqual([]);
  });
});

describe('a subscription asked for as JSON', () => {
  it('is refused 406 with a message naming SSE and WebSocket, and leaves no subscriber behind', async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json', accept },
        body: JSON.stringify({ query: STATUS_CHANGED, variables: { workspaceId: t.workspaceId } }),
      });
      expect(res.status).toBe(406);
      expect(res.headers.get('x-request-id')).toBeTruthy();
      const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors).toEqual([{ message: expect.stringContaining('text/event-stream'), extensions: { code: 'NOT_ACCEPTABLE' } }]);
      expect(body.errors[0]!.message).toMatch(/WebSocket/);
    }
    // Closed at once, not when the client goes: yoga alone left it subscribed for good.
    expect(app.live.subscribers()).toBe(0);
  });
});

describe('credentials', () => {
  it('answers SSE without a key, or with a bad one, 401 UNAUTHENTICATED', async () => {
    for (const key of [null, 'key_nope']) {
      const stream = await sse(base, { query: STATUS_CHANGED, variables: { workspaceId: t.workspaceId } }, { key });
      expect(stream.status).toBe(401);
      stream.close();
    }
    expect(app.live.subscribers()).toBe(0);
  });

  it('closes a WebSocket without credentials, or with bad ones, with 4403 Forbidden', async () => {
    expect(await closeCodeOf(base, undefined)).toBe(4403);
    expect(await closeCodeOf(base, { Authorization: 'Bearer key_nope' })).toBe(4403);
    expect(await closeCodeOf(base, { authorization: 'Bearer key_nope' })).toBe(4403);
  });

  it("takes a WebSocket's key from connection_init (either case) or from the upgrade request", async () => {
    for (const params of [{ Authorization: `Bearer ${t.adminKey}` }, { authorization: `Bearer ${t.adminKey}` }]) {
      const client = wsClient(base, null, params);
      clients.push(client);
      expect(await wsStream(client, { query: '{ viewer { accountId } }' }).next()).toEqual({ data: { viewer: { accountId: t.accountId } } });
    }
    // The upgrade request's header, with an empty connection_init.
    const socket = new (await import('ws')).default(`${base.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    const acked = await new Promise<string>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data) => resolve(JSON.parse(String(data)).type));
    });
    expect(acked).toBe('connection_ack');
    socket.close();
  });

  it('refuses upgrades of any other path', async () => {
    const code = await new Promise<number | string>((resolve) => {
      import('ws').then(({ default: WebSocket }) => {
        const socket = new WebSocket(`${base.replace('http', 'ws')}/v1/workspaces`, 'graphql-transport-ws');
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('open', () => resolve('opened'));
        socket.on('error', () => {});
      });
    });
    expect(code).toBe(404);
  });
});

describe('operations over WebSocket', () => {
  it('runs queries and mutations with a request id of their own', async () => {
    const client = wsClient(base, t.adminKey);
    clients.push(client);
    const viewer = await wsStream(client, { query: '{ viewer { accountId role } }' }).next();
    expect(viewer).toEqual({ data: { viewer: { accountId: t.accountId, role: 'ADMIN' } } });
    const changed = await wsStream(client, { query: SET_STATUS, variables: { id: modelIds[0], status: 'MODEL_STATUS_DISABLED' } }).next();
    expect(changed).toEqual({ data: { setModelStatus: { model: { id: modelIds[0] }, userErrors: [] } } });
    const history = await app.gql(/* GraphQL */ `query Read($id: ID!) { model(id: $id) { spec { status } } }`, { key: t.adminKey, variables: { id: modelIds[0] } });
    expect(history.body.data.model.spec.status).toBe('MODEL_STATUS_DISABLED');
    await setStatusGraphQL(modelIds[0]!, 'MODEL_STATUS_ENABLED');
  });

  it('applies the limits: a too deep query is refused', async () => {
    const client = wsClient(base, t.adminKey);
    clients.push(client);
    let selection = 'id';
    for (let i = 0; i < 8; i++) selection = `workspace { models(first: 1) { nodes { ${selection} } } }`;
    const result = await wsStream(client, { query: `query Deep($id: ID!) { model(id: $id) { ${selection} } }`, variables: { id: modelIds[0] } }).next();
    expect(result?.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_DEPTH_EXCEEDED', requestId: expect.any(String) });
  });

  it('counts event streams and WebSockets apart from /graphql requests in http_requests_total, once each closes', async () => {
    const counted = async (route: string, method: string, status: number) => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`http_requests_total{route="${route}",method="${method}",status="${status}"} `));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const [streams, sockets] = [await counted('/graphql (event stream)', 'POST', 200), await counted('/graphql (websocket)', 'GET', 101)];
    const stream = await sse(base, { query: STATUS_CHANGED, variables: { workspaceId: t.workspaceId } }, { key: t.adminKey });
    const client = wsClient(base, t.adminKey);
    const overWs = wsStream(client, { query: STATUS_CHANGED, variables: { workspaceId: t.workspaceId } });
    expect(await until(() => app.live.subscribers() === 2)).toBe(true);
    stream.close();
    overWs.close();
    await client.dispose();
    const both = async () => [await counted('/graphql (event stream)', 'POST', 200), await counted('/graphql (websocket)', 'GET', 101)];
    // Sockets of earlier tests' clients may close meanwhile too: at least this one.
    await until(async () => {
      const [a, b] = await both();
      return a === streams + 1 && b! >= sockets + 1;
    });
    const [a, b] = await both();
    expect(a).toBe(streams + 1);
    expect(b).toBeGreaterThanOrEqual(sockets + 1);
    // Never under the endpoint's own route.
    expect(await counted('/graphql', 'GET', 101)).toBe(0);
  });

  it('counts operations with path "ws" in graphql_operations_total', async () => {
    const client = wsClient(base, t.adminKey);
    clients.push(client);
    await wsStream(client, { query: 'query CountedOverWs { viewer { role } }' }).next();
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/graphql_operations_total\{operation_name="CountedOverWs",operation_type="query",path="ws"\} 1/);
    expect(metrics).toMatch(/live_subscribers \d+/);
  });
});

describe('trusted documents', () => {
  const documents = new Map([
    ['sub1', STATUS_CHANGED],
    ['viewer1', 'query Viewer { viewer { role } }'],
  ]);
  const trusted = createApp({ db: app.db, live: app.live, trustedDocuments: { get: (id) => documents.get(id), size: documents.size } });
  let trustedBase: string;
  beforeAll(async () => {
    trustedBase = await serve(trusted.listener, trusted.frontDoor.upgrade);
  });

  it('over WebSocket: runs a document by id, refuses text and unknown ids', async () => {
    const client = wsClient(trustedBase, t.adminKey);
    clients.push(client);
    expect(await wsStream(client, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: 'viewer1' } } }).next()).toEqual({
      data: { viewer: { role: 'ADMIN' } },
    });
    const byDocumentId = wsStream(client, { query: '', documentId: 'viewer1' } as never);
    expect(await byDocumentId.next()).toEqual({ data: { viewer: { role: 'ADMIN' } } });
    const text = await wsStream(client, { query: 'query Viewer { viewer { role } }' }).next();
    expect(text?.errors?.[0]?.extensions).toMatchObject({ code: 'PERSISTED_QUERY_ONLY' });
    const unknown = await wsStream(client, { query: '', documentId: 'nope' } as never).next();
    expect(unknown?.errors?.[0]?.extensions).toMatchObject({ code: 'PERSISTED_QUERY_NOT_FOUND' });

    const before = app.live.subscribers();
    const stream = wsStream(client, { query: '', documentId: 'sub1', variables: { workspaceId: t.workspaceId } } as never);
    expect(await until(() => app.live.subscribers() === before + 1)).toBe(true);
    const requestId = await setStatusGraphQL(modelIds[1]!, 'MODEL_STATUS_DISABLED');
    expect(await stream.next()).toEqual(changeOf(modelIds[1]!, 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', requestId));
    stream.close();
    await setStatusGraphQL(modelIds[1]!, 'MODEL_STATUS_ENABLED');
  });

  it('over SSE (GET and POST): runs a document by id, refuses text', async () => {
    const refused = await sse(trustedBase, { query: STATUS_CHANGED, variables: { workspaceId: t.workspaceId } }, { key: t.adminKey });
    expect(refused.status).toBe(400);
    refused.close();
    for (const method of ['GET', 'POST'] as const) {
      const before = app.live.subscribers();
      const stream = await sse(trustedBase, { documentId: 'sub1', variables: { workspaceId: t.workspaceId } }, { key: t.adminKey, method });
      expect(stream.status).toBe(200);
      expect(await until(() => app.live.subscribers() === before + 1)).toBe(true);
      const requestId = await setStatusGraphQL(modelIds[1]!, 'MODEL_STATUS_DISABLED');
      expect(await stream.next()).toEqual(changeOf(modelIds[1]!, 'MODEL_STATUS_ENABLED', 'MODEL_STATUS_DISABLED', requestId));
      stream.close();
      await setStatusGraphQL(modelIds[1]!, 'MODEL_STATUS_ENABLED');
      expect(await until(() => app.live.subscribers() === 0)).toBe(true);
    }
  });
});
