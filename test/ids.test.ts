import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../src/domain/catalog.ts';
import { idKind, idPrefixes, isIdOf, newId, type IdKind } from '../src/db/ids.ts';
import { setupTestApp, type Tenant } from './helpers.ts';

const app = await setupTestApp();

const RFC3339_UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface CatalogRow {
  id: string;
  provider: string;
  family: string;
}

/** Every model of a workspace (the catalog has fewer than 100), as the tenant's admin sees it. */
async function modelsOf(tenant: Tenant, workspaceId = tenant.workspaceId): Promise<CatalogRow[]> {
  const res = await app.gql(
    /* GraphQL */ `
      query WorkspaceModelIds($id: ID!) {
        workspace(id: $id) { models(first: 100) { nodes { id spec { provider family } } } }
      }
    `,
    { key: tenant.adminKey, variables: { id: workspaceId } },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.workspace.models.nodes.map((n: { id: string; spec: { provider: string; family: string } }) => ({
    id: n.id,
    ...n.spec,
  }));
}

/** The same id through all four lookups at once. */
const LOOKUP_ALL = /* GraphQL */ `
  query LookupEverywhere($id: ID!) {
    model(id: $id) { id }
    workspace(id: $id) { id }
    node(id: $id) { __typename id }
    nodes(ids: [$id]) { __typename id }
  }
`;
const ALL_NULL = { model: null, workspace: null, node: null, nodes: [null] };

async function lookupAll(key: string, id: string) {
  const res = await app.gql(LOOKUP_ALL, { key, variables: { id } });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

let alice: Tenant;
let bob: Tenant;
let aliceModels: CatalogRow[];
let bobModels: CatalogRow[];
let sonnet: CatalogRow;

beforeAll(async () => {
  [alice, bob] = await Promise.all([app.tenant('Alice'), app.tenant('Bob')]);
  [aliceModels, bobModels] = await Promise.all([modelsOf(alice), modelsOf(bob)]);
  sonnet = aliceModels.find((m) => m.provider === 'anthropic' && m.family === 'claude-sonnet-4.6')!;
  expect(sonnet).toBeDefined();
});

describe('own ids resolve', () => {
  it('model(id) and workspace(id) return the objects', async () => {
    const res = await app.gql(
      /* GraphQL */ `
        query OwnModelAndWorkspace($model: ID!, $ws: ID!) {
          model(id: $model) { id metadata { id name } spec { provider family } }
          workspace(id: $ws) { id name accountId }
        }
      `,
      { key: alice.adminKey, variables: { model: sonnet.id, ws: alice.workspaceId } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      model: {
        id: sonnet.id,
        metadata: { id: sonnet.id, name: 'Claude Sonnet 4.6' },
        spec: { provider: 'anthropic', family: 'claude-sonnet-4.6' },
      },
      workspace: { id: alice.workspaceId, name: 'Alice workspace', accountId: alice.accountId },
    });
  });

  it('node(id) returns a Model or a Workspace with its fields', async () => {
    const res = await app.gql(
      /* GraphQL */ `
        query OwnNodes($model: ID!, $ws: ID!) {
          m: node(id: $model) { __typename id ... on Model { spec { family } } }
          w: node(id: $ws) { __typename id ... on Workspace { name accountId } }
        }
      `,
      { key: alice.adminKey, variables: { model: sonnet.id, ws: alice.workspaceId } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      m: { __typename: 'Model', id: sonnet.id, spec: { family: 'claude-sonnet-4.6' } },
      w: { __typename: 'Workspace', id: alice.workspaceId, name: 'Alice workspace', accountId: alice.accountId },
    });
  });

  it('nodes(ids) keeps the order of ids, duplicates and misses included, mixing types', async () => {
    const [m1, m2] = aliceModels as [CatalogRow, CatalogRow];
    const unknown = newId('Model');
    const ids = [m2.id, alice.workspaceId, m1.id, m2.id, unknown, alice.workspaceId, m1.id];
    const res = await app.gql(
      /* GraphQL */ `
        query MixedNodes($ids: [ID!]!) {
          nodes(ids: $ids) {
            __typename
            id
            ... on Model { spec { family } }
            ... on Workspace { name }
          }
        }
      `,
      { key: alice.adminKey, variables: { ids } },
    );
    expect(res.body.errors).toBeUndefined();
    const model = (m: CatalogRow) => ({ __typename: 'Model', id: m.id, spec: { family: m.family } });
    const workspace = { __typename: 'Workspace', id: alice.workspaceId, name: 'Alice workspace' };
    expect(res.body.data.nodes).toEqual([model(m2), workspace, model(m1), model(m2), null, workspace, model(m1)]);
  });

  it('Model.workspace resolves to its workspace', async () => {
    const res = await app.gql(
      /* GraphQL */ `
        query ModelWorkspace($id: ID!) { model(id: $id) { workspace { id name accountId } } }
      `,
      { key: alice.adminKey, variables: { id: sonnet.id } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.model.workspace).toEqual({ id: alice.workspaceId, name: 'Alice workspace', accountId: alice.accountId });
  });
});

describe('ids that resolve to null', () => {
  // A real-looking ULID to derive malformed variants from.
  const ulid = newId('Model').slice('model_'.length);

  it.each([
    ['empty', ''],
    ['prefix only', 'model_'],
    ['too short', 'model_123'],
    ['lower-case ULID', `model_${ulid.toLowerCase()}`],
    ['one character too many', `model_${ulid}0`],
    ['one character too few', `model_${ulid.slice(1)}`],
    ['leading space', ` model_${ulid}`],
    ['trailing space', `model_${ulid} `],
    ['inner space', `model_ ${ulid}`],
    ['trailing newline', `model_${ulid}\n`],
    ['URL-encoded underscore', `model%5F${ulid}`],
    ['double underscore', `model__${ulid}`],
    ['no underscore', `model${ulid}`],
    ['upper-case prefix', `MODEL_${ulid}`],
    ['unknown prefix', `thing_${ulid}`],
    ['excluded Crockford letter (I)', `model_${ulid.slice(0, 25)}I`],
    ['timestamp overflow (first char 8)', `model_8${ulid.slice(1)}`],
    ['SQL-ish', `model_${ulid}' or '1'='1`],
    ['10k characters', `model_${'0'.repeat(10_000 - 6)}`],
  ])('malformed id (%s) is null everywhere', async (_case, id) => {
    expect(await lookupAll(alice.adminKey, id)).toEqual(ALL_NULL);
  });

  it.each([
    ['Model', () => newId('Model')],
    ['Workspace', () => newId('Workspace')],
  ])('an unknown well-formed %s id is null everywhere', async (_kind, makeId) => {
    expect(await lookupAll(alice.adminKey, makeId())).toEqual(ALL_NULL);
  });

  it('an id of another type is null', async () => {
    const res = await app.gql(
      /* GraphQL */ `
        query WrongTypes($ws: ID!, $model: ID!, $account: ID!, $profile: ID!, $key: ID!) {
          modelByWorkspaceId: model(id: $ws) { id }
          workspaceByModelId: workspace(id: $model) { id }
          modelByAccountId: model(id: $account) { id }
          workspaceByAccountId: workspace(id: $account) { id }
          nodeByAccountId: node(id: $account) { id }
          nodeByProfileId: node(id: $profile) { id }
          nodeByKeyId: node(id: $key) { id }
          nodes(ids: [$account, $profile, $key]) { id }
        }
      `,
      {
        key: alice.adminKey,
        variables: {
          ws: alice.workspaceId,
          model: sonnet.id,
          account: alice.accountId,
          profile: alice.profileId,
          // The id part of the caller's own API key: `key_<ULID>.<secret>`.
          key: alice.adminKey.split('.')[0],
        },
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      modelByWorkspaceId: null,
      workspaceByModelId: null,
      modelByAccountId: null,
      workspaceByAccountId: null,
      nodeByAccountId: null,
      nodeByProfileId: null,
      nodeByKeyId: null,
      nodes: [null, null, null],
    });
  });

  it.each([
    ['model', () => bobModels[0]!.id, () => newId('Model')],
    ['workspace', () => bob.workspaceId, () => newId('Workspace')],
  ])("another tenant's %s id is null, answered byte for byte like an unknown id", async (_kind, foreignId, unknownId) => {
    // Bob sees his own object, so the id is real.
    const own = await lookupAll(bob.adminKey, foreignId());
    expect([own.model, own.workspace].some((x) => x?.id === foreignId())).toBe(true);

    const foreign = await lookupAll(alice.adminKey, foreignId());
    const unknown = await lookupAll(alice.adminKey, unknownId());
    expect(foreign).toEqual(ALL_NULL);
    expect(JSON.stringify(foreign)).toBe(JSON.stringify(unknown));
  });

  it("another tenant's ids in nodes(ids) are null in place", async () => {
    const res = await app.gql(
      /* GraphQL */ `query ForeignInNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { key: alice.adminKey, variables: { ids: [bobModels[0]!.id, sonnet.id, bob.workspaceId, alice.workspaceId] } },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.nodes).toEqual([null, { id: sonnet.id }, null, { id: alice.workspaceId }]);
  });
});

describe('nodes(ids) limit', () => {
  const NODES = /* GraphQL */ `query ManyNodes($ids: [ID!]!) { nodes(ids: $ids) { id } }`;
  const idsOf = (n: number) => Array.from({ length: n }, (_, i) => aliceModels[i % aliceModels.length]!.id);

  it('accepts exactly 100 ids', async () => {
    const ids = idsOf(100);
    const res = await app.gql(NODES, { key: alice.adminKey, variables: { ids } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.nodes.map((n: { id: string }) => n.id)).toEqual(ids);
  });

  it('refuses 101 ids with BAD_USER_INPUT mentioning 100', async () => {
    const res = await app.gql(NODES, { key: alice.adminKey, variables: { ids: idsOf(101) } });
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toContain('100');
  });
});

describe('model metadata and spec', () => {
  it('has the owner, creator, time, externalId and no labels', async () => {
    const res = await app.gql(
      /* GraphQL */ `
        query ModelMetadata($id: ID!) {
          model(id: $id) {
            metadata { id accountId workspaceId profileId createdAt name bundleKey externalId labels { key value } }
          }
        }
      `,
      { key: alice.adminKey, variables: { id: sonnet.id } },
    );
    expect(res.body.errors).toBeUndefined();
    const { metadata } = res.body.data.model;
    expect(metadata).toEqual({
      id: sonnet.id,
      accountId: alice.accountId,
      workspaceId: alice.workspaceId,
      profileId: alice.profileId,
      createdAt: expect.stringMatching(RFC3339_UTC_MS),
      name: 'Claude Sonnet 4.6',
      bundleKey: null,
      externalId: 'anthropic/claude-sonnet-4.6',
      labels: [],
    });
    expect(Math.abs(Date.parse(metadata.createdAt) - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('a new workspace holds the whole catalog, enabled, with decimal-string prices', async () => {
    const res = await app.gql(
      /* GraphQL */ `
        query CatalogOfWorkspace($id: ID!) {
          workspace(id: $id) {
            createdAt
            models(first: 100) {
              totalCount
              nodes {
                metadata { name externalId labels { key } createdAt }
                spec { provider family status inputPricePerMillionTokens outputPricePerMillionTokens maxInputTokens maxOutputTokens }
              }
            }
          }
        }
      `,
      { key: alice.adminKey, variables: { id: alice.workspaceId } },
    );
    expect(res.body.errors).toBeUndefined();
    const { createdAt, models } = res.body.data.workspace;
    expect(createdAt).toMatch(RFC3339_UTC_MS);
    type Node = {
      metadata: { name: string; externalId: string; labels: unknown[]; createdAt: string };
      spec: { provider: string; family: string; status: string } & Record<string, unknown>;
    };
    const nodes: Node[] = models.nodes;

    expect(models.totalCount).toBe(nodes.length);
    expect(nodes.length).toBeGreaterThanOrEqual(15);
    const providers = new Set(nodes.map((n) => n.spec.provider));
    expect(providers.size).toBeGreaterThanOrEqual(5);
    for (const p of ['anthropic', 'openai', 'google']) expect(providers).toContain(p);

    for (const { metadata, spec } of nodes) {
      expect(spec.status).toBe('MODEL_STATUS_ENABLED');
      expect(metadata.externalId).toBe(`${spec.provider}/${spec.family}`);
      expect(metadata.labels).toEqual([]);
      expect(metadata.createdAt).toMatch(RFC3339_UTC_MS);
      expect(typeof spec.inputPricePerMillionTokens).toBe('string');
      expect(typeof spec.outputPricePerMillionTokens).toBe('string');
    }
    // One model per provider/family pair, and exactly the catalog's values.
    expect(new Set(nodes.map((n) => n.metadata.externalId)).size).toBe(nodes.length);
    const served = nodes.map(({ metadata, spec }) => ({
      provider: spec.provider,
      family: spec.family,
      name: metadata.name,
      inputPricePerMillionTokens: spec.inputPricePerMillionTokens,
      outputPricePerMillionTokens: spec.outputPricePerMillionTokens,
      maxInputTokens: spec.maxInputTokens,
      maxOutputTokens: spec.maxOutputTokens,
    }));
    expect(served).toEqual(expect.arrayContaining([...catalog]));
    expect(served).toHaveLength(catalog.length);

    const spec = (family: string) => nodes.find((n) => n.spec.family === family)!.spec;
    expect(spec('claude-sonnet-4.6')).toMatchObject({ inputPricePerMillionTokens: '300', outputPricePerMillionTokens: '1500' });
    // Decimals survive as written, never through a float.
    expect(spec('gemini-2.0-flash-lite').inputPricePerMillionTokens).toBe('7.5');
  });
});

describe('newId', () => {
  it('is <prefix>_<ULID> for every kind, and recognised as that kind only', () => {
    for (const kind of Object.keys(idPrefixes) as IdKind[]) {
      const id = newId(kind);
      expect(id).toMatch(new RegExp(`^${idPrefixes[kind]}_[0-7][0-9A-HJKMNP-TV-Z]{25}$`));
      expect(idKind(id)).toBe(kind);
      for (const other of Object.keys(idPrefixes) as IdKind[]) expect(isIdOf(other, id)).toBe(other === kind);
    }
  });

  it('keeps increasing within a millisecond: ids made together sort in the order they were made', () => {
    const ids = Array.from({ length: 10_000 }, () => newId('Model'));
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // Many share a time part (the first 10 characters): the random part is what increased.
    const times = new Set(ids.map((id) => id.slice('model_'.length, 'model_'.length + 10)));
    expect(times.size).toBeLessThan(ids.length);
  });

  it('carries the time it was made', () => {
    const before = Date.now();
    const id = newId('Account');
    const time = [...id.slice('acct_'.length, 'acct_'.length + 10)].reduce((t, c) => t * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c), 0);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});
