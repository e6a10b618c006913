/**
 * The client repository in miniature (examples/): codegen's trusted-documents
 * manifest, the example client type-checked in strict mode and run as its own
 * process against the server on a real socket, and `npm run codegen:check`
 * failing, file by file, when the generated client no longer matches
 * schema.graphql.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { buildSchema, Kind, parse, print, validate, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelByIdDocument, SetModelStatusDocument, WorkspaceModelsDocument } from '../examples/client/gql/graphql.ts';
import { documentId, requestBody } from '../examples/client/request.ts';
import { createApiKey, createAccount } from '../src/domain/auth.ts';
import { catalog } from '../src/domain/catalog.ts';
import { openDatabase, type Database } from '../src/db/client.ts';
import { models } from '../src/db/schema.ts';
import { createWorkspace } from '../src/domain/workspaces.ts';
import { processDatabase, unwrap } from './helpers.ts';
import { killAll, ROOT, start, startServer, within, type Server } from './processes.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-client-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
// The server lives through its describe block; every other child is waited for or killed by `run`.
afterAll(killAll);

const GENERATED = path.join(ROOT, 'examples/client/gql');
const manifest = JSON.parse(fs.readFileSync(path.join(GENERATED, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
const operations = { WorkspaceModels: WorkspaceModelsDocument, ModelById: ModelByIdDocument, SetModelStatus: SetModelStatusDocument };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const operationOf = (document: DocumentNode) =>
  document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)?.name?.value;

/** Runs a process to its end (at most `ms`), killing it after that. */
async function run(args: string[], env: Record<string, string>, cwd = ROOT, ms = 60_000) {
  const child = start('node', args, env, cwd);
  const exit = (await within(child, ms)) ?? (child.process.kill('SIGKILL'), await child.exited);
  return { ...exit, stdout: child.stdout(), stderr: child.stderr() };
}

describe('the trusted-documents manifest codegen wrote', () => {
  it('maps the sha256 of each document text to that text, one entry per operation, under the ids the documents carry', () => {
    for (const [id, text] of Object.entries(manifest)) expect(sha256(text), text).toBe(id);
    expect(Object.keys(manifest).sort()).toEqual(Object.values(operations).map(documentId).sort());
  });

  it('holds documents valid against the committed schema.graphql, each the operation its id stands for', () => {
    const schema = buildSchema(fs.readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'));
    for (const [name, document] of Object.entries(operations)) {
      const text = manifest[documentId(document)]!;
      expect(validate(schema, parse(text)), text).toEqual([]);
      expect(operationOf(parse(text))).toBe(name);
    }
  });
});

describe('the request body of the example client', () => {
  const variables = { workspaceId: 'ws_01HXK00000000000000000000Z', first: 3, after: 'cursor' };

  it('by id: the document id of the manifest (also usable as extensions.persistedQuery.sha256Hash), never the text', () => {
    const body = requestBody(WorkspaceModelsDocument, variables, 'id');
    expect(body).toEqual({ documentId: expect.stringMatching(/^[0-9a-f]{64}$/), operationName: 'WorkspaceModels', variables });
    const id = 'documentId' in body ? body.documentId : '';
    expect(sha256(manifest[id]!)).toBe(id);
    expect(operationOf(parse(manifest[id]!))).toBe('WorkspaceModels');
  });

  it('as text: the whole document, fragment included, and no id', () => {
    const body = requestBody(SetModelStatusDocument, { input: { id: 'model_x', status: 'MODEL_STATUS_DISABLED' } }, 'text');
    expect(body).not.toHaveProperty('documentId');
    expect(body).toMatchObject({ operationName: 'SetModelStatus', variables: { input: { id: 'model_x', status: 'MODEL_STATUS_DISABLED' } } });
    const text = 'query' in body ? body.query : '';
    expect(print(parse(text))).toBe(print(SetModelStatusDocument));
    expect(text).toMatch(/fragment ModelFields on Model/);
  });
});

it('type-checks examples/client in strict mode, as a project of its own', async () => {
  const tsc = await run([path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'examples/client/tsconfig.json', '--noEmit'], {}, ROOT, 120_000);
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.code).toBe(0);
});

describe('the example client against the server', () => {
  const database = processDatabase(tmp);
  const databaseUrl = database.url;
  const withDatabase = async <T>(fn: (db: Database) => Promise<T>): Promise<T> => {
    const handle = await openDatabase(database.target);
    try {
      return await fn(handle.db);
    } finally {
      await handle.close();
    }
  };
  /** The workspace's models in the connection's default order (CREATED_AT ASC, then id), from the database. */
  const modelsOf = (workspaceId: string) =>
    withDatabase(async (db) => {
      const rows = await db.select({ id: models.id, createdAt: models.createdAt, status: models.status }).from(models).where(eq(models.workspaceId, workspaceId));
      return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    });

  let server: Server;
  let seed: { adminKey: string; readerKey: string; workspaceId: string; expected: string[] };

  beforeAll(async () => {
    // Seeded before the server starts: embedded PGlite admits one process at a time.
    seed = await withDatabase(async (db) => {
      const account = unwrap(await createAccount(db, { name: 'Codegen client' }));
      const reader = unwrap(await createApiKey(db, { accountId: account.accountId, role: 'READER' }));
      const owner = { accountId: account.accountId, profileId: account.profileId };
      const { workspace } = unwrap(await createWorkspace(db, { ...owner, name: 'Listed' }));
      // Another workspace of the same account, whose models must not appear.
      unwrap(await createWorkspace(db, { ...owner, name: 'Not listed' }));
      return { adminKey: account.apiKey, readerKey: reader.apiKey, workspaceId: workspace.id, expected: [] };
    });
    seed.expected = (await modelsOf(seed.workspaceId)).map((row) => row.id);
    expect(seed.expected).toHaveLength(catalog.length);
    server = await startServer(databaseUrl, { LOG_LEVEL: 'warn' });
  }, 120_000);

  const client = (env: Record<string, string>) =>
    run(['--import', 'tsx', 'examples/client/main.ts'], {
      GRAPHQL_URL: server.url,
      API_KEY: seed.adminKey,
      WORKSPACE_ID: seed.workspaceId,
      MODEL_ID: '',
      PAGE_SIZE: '',
      SEND_AS: '',
      ...env,
    });

  async function statusThroughGraphQL(id: string): Promise<string> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${seed.adminKey}` },
      body: JSON.stringify({ query: 'query ReadBack($id: ID!) { model(id: $id) { spec { status } } }', variables: { id } }),
    });
    const body = (await response.json()) as { data: { model: { spec: { status: string } } } };
    return body.data.model.spec.status;
  }

  it('pages through every model of the workspace exactly once, in order, then disables the first (queries sent as text)', async () => {
    const result = await client({ PAGE_SIZE: '3', SEND_AS: 'text' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.modelIds).toEqual(seed.expected);
    expect(new Set(summary.modelIds).size).toBe(seed.expected.length);
    expect(summary).toMatchObject({
      workspace: { id: seed.workspaceId, name: 'Listed' },
      sentAs: 'text',
      pageSize: 3,
      pages: Math.ceil(seed.expected.length / 3),
      count: seed.expected.length,
      totalCount: seed.expected.length,
      model: { id: seed.expected[0], statusBefore: 'MODEL_STATUS_ENABLED', status: 'MODEL_STATUS_DISABLED' },
    });
    expect(await statusThroughGraphQL(seed.expected[0]!)).toBe('MODEL_STATUS_DISABLED');
  });

  it('by id, runs against the server started with its manifest as TRUSTED_DOCUMENTS, which refuses the same client sending text', async () => {
    // Embedded PGlite admits one process: the server restarts with the manifest, and again without it for the tests after this one.
    await server.stop();
    server = await startServer(databaseUrl, { LOG_LEVEL: 'warn', TRUSTED_DOCUMENTS: path.join(GENERATED, 'persisted-documents.json') });
    try {
      const result = await client({ SEND_AS: 'id', PAGE_SIZE: '7', MODEL_ID: seed.expected[1]! });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ sentAs: 'id', pages: Math.ceil(seed.expected.length / 7), count: seed.expected.length, modelIds: seed.expected });
      expect(summary.model).toMatchObject({ id: seed.expected[1], statusBefore: 'MODEL_STATUS_ENABLED', status: 'MODEL_STATUS_DISABLED' });

      const asText = await client({ SEND_AS: 'text', MODEL_ID: seed.expected[2]! });
      expect(asText.code).toBe(1);
      expect(asText.stderr).toContain('PERSISTED_QUERY_ONLY');
      expect(asText.stdout).toBe('');
    } finally {
      await server.stop();
      server = await startServer(databaseUrl, { LOG_LEVEL: 'warn' });
    }
    expect(await statusThroughGraphQL(seed.expected[1]!)).toBe('MODEL_STATUS_DISABLED');
    expect(await statusThroughGraphQL(seed.expected[2]!)).toBe('MODEL_STATUS_ENABLED');
  });

  it('fails with a clear message and exit code 1 on what its user gets wrong, changing nothing', async () => {
    const unknownWorkspaceId = `ws_${'0'.repeat(26)}`;
    const [settings, badKey, unknownWorkspace, reader] = await Promise.all([
      client({ API_KEY: '', WORKSPACE_ID: '', PAGE_SIZE: '101', SEND_AS: 'both', GRAPHQL_URL: 'ftp://example' }),
      client({ API_KEY: 'key_01HXK000000000000000000000.wrong' }),
      client({ WORKSPACE_ID: unknownWorkspaceId }),
      client({ API_KEY: seed.readerKey, MODEL_ID: seed.expected[2]! }),
    ]);
    for (const result of [settings, badKey, unknownWorkspace, reader]) {
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toBe('');
    }
    expect(settings.stderr).toContain('GRAPHQL_URL must be an http(s) URL');
    expect(settings.stderr).toContain('API_KEY is required');
    expect(settings.stderr).toContain('WORKSPACE_ID is required');
    expect(settings.stderr).toContain('PAGE_SIZE must be an integer from 1 to 100');
    expect(settings.stderr).toContain('SEND_AS must be "text" or "id"');
    expect(badKey.stderr).toMatch(/^WorkspaceModels: .*\(UNAUTHENTICATED\)\n$/);
    expect(unknownWorkspace.stderr).toBe(`Workspace ${unknownWorkspaceId} not found: unknown, malformed, or another account's.\n`);
    expect(reader.stderr).toMatch(new RegExp(`^Could not disable ${seed.expected[2]}: FORBIDDEN: `));
    expect(await statusThroughGraphQL(seed.expected[2]!)).toBe('MODEL_STATUS_ENABLED');
  });

  it('leaves exactly the two models it disabled disabled in the database', async () => {
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    const disabled = (await modelsOf(seed.workspaceId)).filter((row) => row.status === 'MODEL_STATUS_DISABLED').map((row) => row.id);
    expect(disabled.sort()).toEqual([seed.expected[0], seed.expected[1]].sort());
  });
});

describe('npm run codegen:check', () => {
  /** A copy of the client repository's inputs and outputs, where the check runs as in a checkout. */
  function checkout(): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'checkout-'));
    fs.copyFileSync(path.join(ROOT, 'schema.graphql'), path.join(dir, 'schema.graphql'));
    fs.cpSync(path.join(ROOT, 'examples/operations'), path.join(dir, 'examples/operations'), { recursive: true });
    fs.cpSync(GENERATED, path.join(dir, 'examples/client/gql'), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    return dir;
  }
  const check = (dir: string) => run(['--import', 'tsx', path.join(ROOT, 'examples/codegen-check.ts')], {}, dir);

  it('passes on the committed files, and names each stale, missing and left-over file after schema.graphql changes', async () => {
    const dir = checkout();
    const current = await check(dir);
    expect(current.stderr).toBe('');
    expect(current).toMatchObject({ code: 0, stdout: 'The generated client is up to date.\n' });

    const schema = path.join(dir, 'schema.graphql');
    // Any change to the schema shows in graphql.ts, which holds every type with its description.
    fs.appendFileSync(schema, '\n"""Added after the client was generated."""\nenum Added {\n  """The one value."""\n  ONE\n}\n');
    fs.rmSync(path.join(dir, 'examples/client/gql/index.ts'));
    fs.writeFileSync(path.join(dir, 'examples/client/gql/old-documents.json'), '{}');
    const stale = await check(dir);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toBe(
      [
        'The generated client is not what schema.graphql and examples/operations/ generate now:',
        '  stale:     examples/client/gql/graphql.ts',
        '  missing:   examples/client/gql/index.ts',
        '  left over: examples/client/gql/old-documents.json (no longer generated: delete it)',
        'Run `npm run codegen` and commit the result.',
        '',
      ].join('\n'),
    );
  });

  it('fails with codegen\'s reason when an operation no longer fits schema.graphql', async () => {
    const dir = checkout();
    const schema = path.join(dir, 'schema.graphql');
    const text = fs.readFileSync(schema, 'utf8');
    expect(text).toContain('  revision: Int!\n');
    fs.writeFileSync(schema, text.replace('  revision: Int!\n', '  version: Int!\n'));
    const broken = await check(dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^Codegen failed, so the generated client cannot be current:/);
    expect(broken.stderr).toMatch(/Cannot query field "revision" on type "ResourceMetadata"/);
  });
});
