import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema/index.ts';
import { loadTrustedDocuments, type TrustedDocuments } from '../src/graphql/trusted-documents.ts';
import { createApp } from '../src/http/app.ts';
import { setupTestApp, type Tenant, type TestApp } from './helpers.ts';
import { killAll, launchServer, startServer, within } from './processes.ts';
import { send, serve, type Answer } from './sockets.ts';

const MODEL = /* GraphQL */ `
  query ModelById($id: ID!) {
    model(id: $id) { id metadata { name } spec { status } }
  }
`;
const PAGE = /* GraphQL */ `
  query Page($workspaceId: ID!, $after: String) {
    workspace(id: $workspaceId) { models(first: 3, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }
  }
`;
const DISABLE = /* GraphQL */ `
  mutation Disable($id: ID!) {
    setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED }) { model { id spec { status } } userErrors { code } }
  }
`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ids = { model: sha256(MODEL), page: sha256(PAGE), disable: sha256(DISABLE) };

function manifestFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'trusted-')), 'persisted-documents.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('TRUSTED_DOCUMENTS: the manifest', () => {
  it('loads a manifest of ids to documents', () => {
    const documents = loadTrustedDocuments(manifestFile({ [ids.model]: MODEL, [ids.page]: PAGE }), schema) as TrustedDocuments;
    expect(documents.size).toBe(2);
    expect(documents.get(ids.model)).toBe(MODEL);
    expect(documents.get('nope')).toBeUndefined();
  });

  it('reports every problem of a manifest at once', () => {
    const problems = loadTrustedDocuments(
      manifestFile({ a: 'query { nope }', b: 42, '': MODEL, c: 'query {', d: MODEL }),
      schema,
    ) as string[];
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/"a" does not run against this schema: Cannot query field "nope"/);
    expect(problems.join('\n')).toMatch(/"b" is not a string/);
    expect(problems.join('\n')).toMatch(/empty id/);
    expect(problems.join('\n')).toMatch(/"c" does not run against this schema: Syntax Error/);
  });

  it.each([
    ['not JSON', '{', /cannot read .* as JSON/],
    ['an array', '[]', /must hold a JSON object/],
    ['empty', '{}', /holds no documents/],
  ])('refuses a manifest that is %s', (_, content, message) => {
    expect((loadTrustedDocuments(manifestFile(content), schema) as string[]).join()).toMatch(message);
  });

  it('refuses a file that does not exist', () => {
    expect((loadTrustedDocuments('/nonexistent/persisted-documents.json', schema) as string[]).join()).toMatch(/cannot read/);
  });
});

describe('TRUSTED_DOCUMENTS: requests', () => {
  let t: TestApp;
  let tenant: Tenant;
  let modelId: string;
  /** The front door with its fast path; the same app answering only through yoga; an app without a manifest. */
  let direct: string;
  let yogaOnly: string;
  let open: string;

  beforeAll(async () => {
    t = await setupTestApp();
    tenant = await t.tenant();
    const trustedDocuments = loadTrustedDocuments(manifestFile({ [ids.model]: MODEL, [ids.page]: PAGE, [ids.disable]: DISABLE }), schema) as TrustedDocuments;
    direct = await serve(createApp({ db: t.db, compileQueries: { after: 0 }, trustedDocuments }).frontDoor.listener);
    yogaOnly = await serve(createApp({ db: t.db, compileQueries: false, direct: false, trustedDocuments }).frontDoor.listener);
    open = await serve(createApp({ db: t.db, compileQueries: { after: 0 } }).frontDoor.listener);
    const page = await t.gql(PAGE, { key: tenant.adminKey, variables: { workspaceId: tenant.workspaceId } });
    modelId = page.body.data.workspace.models.nodes[0].id;
  });

  const post = (base: string, body: unknown, key: string | null = tenant.adminKey, headers: Record<string, string> = {}) =>
    send(base, {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    });
  const json = (answer: Answer) => JSON.parse(answer.body);
  const codes = (answer: Answer) => (json(answer).errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
  /** Both paths of the manifest's server answer alike, byte for byte but for the request id. */
  const bothPaths = async (body: unknown, key?: string | null, headers?: Record<string, string>) => {
    const [fast, slow] = [await post(direct, body, key, headers), await post(yogaOnly, body, key, headers)];
    expect(fast.status).toBe(slow.status);
    expect(fast.body).toBe(slow.body);
    expect(fast.headers).toEqual(slow.headers);
    return fast;
  };
  const pathCount = async (base: string, pathName: 'fast' | 'yoga') => {
    const metrics = (await send(base, { method: 'GET', path: '/metrics' })).body;
    const lines = metrics.split('\n').filter((line) => line.startsWith('graphql_operations_total{') && line.includes('operation_name="ModelById"') && line.includes(`path="${pathName}"`));
    return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  it('runs a manifest document named by documentId, as the same query sent as text runs without a manifest', async () => {
    const byId = await bothPaths({ documentId: ids.model, variables: { id: modelId } });
    const asText = await post(open, { query: MODEL, variables: { id: modelId } });
    expect(byId.status).toBe(200);
    expect(json(byId).data.model.id).toBe(modelId);
    expect(byId.body).toBe(asText.body);
  });

  it('runs one named by extensions.persistedQuery (the Apollo and urql form)', async () => {
    const answer = await bothPaths({ extensions: { persistedQuery: { version: 1, sha256Hash: ids.model } }, variables: { id: modelId } });
    expect(json(answer).data.model.id).toBe(modelId);
  });

  it('answers a trusted document on the compiled fast path once warm', async () => {
    const before = await pathCount(direct, 'fast');
    for (let i = 0; i < 3; i++) await post(direct, { documentId: ids.model, variables: { id: modelId } });
    expect(await pathCount(direct, 'fast')).toBe(before + 3);
    expect(await pathCount(yogaOnly, 'fast')).toBe(0);
  });

  it('pages with a trusted document and its variables', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } = json(await bothPaths({ documentId: ids.page, variables: { workspaceId: tenant.workspaceId, after } })).data.workspace.models;
      seen.push(...page.nodes.map((n: { id: string }) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThanOrEqual(15);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('runs a trusted mutation', async () => {
    const answer = await post(direct, { documentId: ids.disable, variables: { id: modelId } });
    expect(json(answer).data.setModelStatus).toEqual({ model: { id: modelId, spec: { status: 'MODEL_STATUS_DISABLED' } }, userErrors: [] });
  });

  it('refuses a query sent as text with PERSISTED_QUERY_ONLY, even one in the manifest or with an id beside it', async () => {
    for (const body of [{ query: MODEL, variables: { id: modelId } }, { query: MODEL, documentId: ids.model, variables: { id: modelId } }, { query: '{ __typename }' }]) {
      const answer = await bothPaths(body);
      expect(answer.status).toBe(400);
      expect(codes(answer)).toEqual(['PERSISTED_QUERY_ONLY']);
      expect(json(answer).data).toBeUndefined();
    }
  });

  it('refuses an unknown id, or none, with PERSISTED_QUERY_NOT_FOUND', async () => {
    for (const body of [
      { documentId: sha256('query { __typename }') },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } },
      { variables: { id: modelId } },
      { documentId: 42 },
    ]) {
      const answer = await bothPaths(body);
      expect(answer.status).toBe(404);
      expect(codes(answer)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    }
  });

  it('answers extensions that are not an object as yoga does, on both paths', async () => {
    // Warm: the fast path runs this document compiled.
    expect((await post(direct, { documentId: ids.model, variables: { id: modelId } })).status).toBe(200);
    for (const extensions of [[], 'x']) {
      const answer = await bothPaths({ documentId: ids.model, extensions, variables: { id: modelId } });
      expect(answer.status).toBe(400);
    }
  });

  it('still needs a valid key: a trusted document without one is UNAUTHENTICATED', async () => {
    for (const key of [null, 'key_01J00000000000000000000000.nope']) {
      const answer = await bothPaths({ documentId: ids.model, variables: { id: modelId } }, key);
      expect(answer.status).toBe(401);
      expect(codes(answer)).toEqual(['UNAUTHENTICATED']);
    }
  });

  it('serves a trusted query by GET with documentId in the query string', async () => {
    const search = new URLSearchParams({ documentId: ids.model, variables: JSON.stringify({ id: modelId }) });
    const answer = await send(direct, { method: 'GET', path: `/graphql?${search}`, headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${tenant.adminKey}` } });
    expect(answer.status).toBe(200);
    expect(json(answer).data.model.id).toBe(modelId);
    const text = new URLSearchParams({ query: MODEL, variables: JSON.stringify({ id: modelId }) });
    const refused = await send(direct, { method: 'GET', path: `/graphql?${text}`, headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', authorization: `Bearer ${tenant.adminKey}` } });
    expect(codes(refused)).toEqual(['PERSISTED_QUERY_ONLY']);
  });

  it('without a manifest, queries run as text and documentId is an unexpected parameter', async () => {
    expect(json(await post(open, { query: MODEL, variables: { id: modelId } })).data.model.id).toBe(modelId);
    const answer = await post(open, { documentId: ids.model, variables: { id: modelId } });
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(['BAD_REQUEST']);
  });
});

describe('TRUSTED_DOCUMENTS: the server process', () => {
  afterEach(killAll);

  it('refuses to start on a manifest that cannot run, naming every problem, before touching the database', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'trusted-data-'));
    const child = launchServer(`pglite://${dataDir}`, { TRUSTED_DOCUMENTS: manifestFile({ a: 'query { nope }', b: 'query {' }) });
    const exit = await within(child, 30_000);
    expect(exit?.code).toBe(1);
    expect(child.stderr()).toMatch(/TRUSTED_DOCUMENTS: document "a" does not run against this schema/);
    expect(child.stderr()).toMatch(/TRUSTED_DOCUMENTS: document "b" does not run against this schema/);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('starts with a manifest, says so, and runs its documents by id', async () => {
    const server = await startServer(`pglite://${mkdtempSync(path.join(tmpdir(), 'trusted-data-'))}`, {
      TRUSTED_DOCUMENTS: manifestFile({ [ids.model]: MODEL }),
    });
    expect(server.stdout()).toMatch(/trusted documents only: 1 in /);
    const key = /admin key:\s+(key_\S+)/.exec(server.stdout())?.[1];
    expect(key).toBeDefined();
    const post = (body: unknown) =>
      fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
    const byId = await post({ documentId: ids.model, variables: { id: 'model_01J00000000000000000000000' } });
    expect(await byId.json()).toEqual({ data: { model: null } });
    const asText = await post({ query: MODEL, variables: { id: 'model_01J00000000000000000000000' } });
    expect(asText.status).toBe(400);
    expect((await asText.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    expect((await server.stop())?.code).toBe(0);
  });
});
