import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../src/domain/catalog.ts';
import { newId } from '../src/db/ids.ts';
import { setupTestApp, type Tenant } from './helpers.ts';

const app = await setupTestApp();

type Label = { key: string; value: string };
type UserError = { code: string; field: string[] | null; message: string };

/** Runs an operation with the tenant's admin key; a GraphQL error fails the test. */
async function admin(tenant: Tenant, query: string, variables: Record<string, unknown> = {}) {
  const res = await app.gql(query, { key: tenant.adminKey, variables });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

const userError = (code: string, field: string[] | null): UserError => ({ code, field, message: expect.any(String) });

/** Ids of the first `n` models of the tenant's workspace. */
async function modelIds(tenant: Tenant, n: number): Promise<string[]> {
  const data = await admin(
    tenant,
    /* GraphQL */ `query FirstModels($ws: ID!, $n: Int!) { workspace(id: $ws) { models(first: $n) { nodes { id } } } }`,
    { ws: tenant.workspaceId, n },
  );
  return data.workspace.models.nodes.map((m: { id: string }) => m.id);
}

/** A model as stored, read back in a request of its own. */
async function readModel(tenant: Tenant, id: string): Promise<{ status: string; labels: Label[] } | null> {
  const data = await admin(
    tenant,
    /* GraphQL */ `query ReadModel($id: ID!) { model(id: $id) { spec { status } metadata { labels { key value } } } }`,
    { id },
  );
  return data.model && { status: data.model.spec.status, labels: data.model.metadata.labels };
}

describe('setModelStatus', () => {
  const SET_STATUS = /* GraphQL */ `
    mutation SetStatus($input: SetModelStatusInput!) {
      setModelStatus(input: $input) {
        clientMutationId
        model { id spec { status } }
        userErrors { code field message }
      }
    }
  `;
  const setStatus = async (tenant: Tenant, input: Record<string, unknown>) =>
    (await admin(tenant, SET_STATUS, { input })).setModelStatus;

  let t: Tenant;
  let other: Tenant;
  let id: string;
  let foreignId: string;
  beforeAll(async () => {
    [t, other] = await Promise.all([app.tenant('Status'), app.tenant('Status other')]);
    [[id], [foreignId]] = (await Promise.all([modelIds(t, 1), modelIds(other, 1)])) as [[string], [string]];
  });

  it('disables then enables, visible in later requests', async () => {
    for (const status of ['MODEL_STATUS_DISABLED', 'MODEL_STATUS_ENABLED']) {
      expect(await setStatus(t, { id, status })).toEqual({ clientMutationId: null, model: { id, spec: { status } }, userErrors: [] });
      expect((await readModel(t, id))?.status).toBe(status);
    }
  });

  it('setting the status a model already has succeeds (idempotent)', async () => {
    for (let i = 0; i < 2; i++) {
      const payload = await setStatus(t, { id, status: 'MODEL_STATUS_DISABLED' });
      expect(payload.userErrors).toEqual([]);
      expect(payload.model.spec.status).toBe('MODEL_STATUS_DISABLED');
    }
    expect((await readModel(t, id))?.status).toBe('MODEL_STATUS_DISABLED');
    await setStatus(t, { id, status: 'MODEL_STATUS_ENABLED' });
  });

  it('MODEL_STATUS_UNSPECIFIED → INVALID_ARGUMENT on input.status, nothing changed', async () => {
    const before = await readModel(t, id);
    expect(await setStatus(t, { id, status: 'MODEL_STATUS_UNSPECIFIED' })).toEqual({
      clientMutationId: null,
      model: null,
      userErrors: [userError('INVALID_ARGUMENT', ['input', 'status'])],
    });
    expect(await readModel(t, id)).toEqual(before);
  });

  it.each([
    ['empty', () => ''],
    ['malformed', () => 'model_123'],
    ['lower-case', () => newId('Model').toLowerCase()],
    ['unknown', () => newId('Model')],
    ['a workspace id', () => t.workspaceId],
    ['an account id', () => t.accountId],
    ['an API key id', () => t.adminKey.split('.')[0]!],
    ["another tenant's model", () => foreignId],
  ])('%s id → NOT_FOUND on input.id', async (_case, badId) => {
    expect(await setStatus(t, { id: badId(), status: 'MODEL_STATUS_DISABLED' })).toEqual({
      clientMutationId: null,
      model: null,
      userErrors: [userError('NOT_FOUND', ['input', 'id'])],
    });
    expect((await readModel(other, foreignId))?.status).toBe('MODEL_STATUS_ENABLED');
  });

  it.each([
    ['on success', () => id, 'MODEL_STATUS_ENABLED'],
    ['on a user error', () => newId('Model'), 'MODEL_STATUS_ENABLED'],
  ])('echoes clientMutationId %s', async (_case, target, status) => {
    const payload = await setStatus(t, { id: target(), status, clientMutationId: 'abc-123' });
    expect(payload.clientMutationId).toBe('abc-123');
  });

  it('returns the new status in the same request', async () => {
    const data = await admin(
      t,
      /* GraphQL */ `
        mutation DisableAndRead($id: ID!) {
          setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED }) { model { spec { status } } }
        }
      `,
      { id },
    );
    expect(data.setModelStatus.model.spec.status).toBe('MODEL_STATUS_DISABLED');
    await setStatus(t, { id, status: 'MODEL_STATUS_ENABLED' });
  });

  it('costs at most 2 statements: authentication and UPDATE … RETURNING', async () => {
    const { statements, result, sql } = await app.countStatements(() =>
      app.gql(
        /* GraphQL */ `
          mutation CountedStatus($id: ID!) {
            setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED }) {
              model { id spec { status } metadata { name } }
              userErrors { code }
            }
          }
        `,
        { key: t.adminKey, variables: { id } },
      ),
    );
    expect(result.body.data.setModelStatus).toMatchObject({ model: { id, spec: { status: 'MODEL_STATUS_DISABLED' } }, userErrors: [] });
    expect(statements, sql.join('\n')).toBeLessThanOrEqual(2);
    await setStatus(t, { id, status: 'MODEL_STATUS_ENABLED' });
  });
});

describe('setModelLabels', () => {
  const SET_LABELS = /* GraphQL */ `
    mutation SetLabels($id: ID!, $labels: [LabelInput!]!, $cmid: ID) {
      setModelLabels(input: { id: $id, labels: $labels, clientMutationId: $cmid }) {
        clientMutationId
        model { id metadata { labels { key value } } }
        userErrors { code field message }
      }
    }
  `;
  let t: Tenant;
  let id: string;
  const setLabels = async (labels: Label[], cmid?: string) =>
    (await admin(t, SET_LABELS, { id, labels, cmid })).setModelLabels;
  const labelsNow = async () => (await readModel(t, id))?.labels;
  const pairs = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${String(i).padStart(2, '0')}`, value: `v${i}` }));

  beforeAll(async () => {
    t = await app.tenant('Labels');
    [id] = (await modelIds(t, 1)) as [string];
  });

  it('replaces all labels and returns them sorted by key, whatever the input order', async () => {
    await setLabels([{ key: 'old', value: '1' }, { key: 'older', value: '2' }]);
    const payload = await setLabels(
      [
        { key: 'zone', value: 'eu' },
        { key: 'app', value: 'chat' },
        { key: 'env', value: 'production' },
      ],
      'labels-1',
    );
    const expected = [
      { key: 'app', value: 'chat' },
      { key: 'env', value: 'production' },
      { key: 'zone', value: 'eu' },
    ];
    expect(payload).toEqual({ clientMutationId: 'labels-1', model: { id, metadata: { labels: expected } }, userErrors: [] });
    expect(await labelsNow()).toEqual(expected);
  });

  it('an empty list clears the labels', async () => {
    await setLabels(pairs(3));
    const payload = await setLabels([]);
    expect(payload.userErrors).toEqual([]);
    expect(payload.model.metadata.labels).toEqual([]);
    expect(await labelsNow()).toEqual([]);
  });

  it.each([
    ['64 pairs', pairs(64)],
    ['a 63-character key and a 255-character value', [{ key: 'k'.repeat(63), value: 'v'.repeat(255) }]],
    ['a value of 255 code points (510 UTF-16 units)', [{ key: 'emoji', value: '😀'.repeat(255) }]],
    ['an empty value', [{ key: 'empty', value: '' }]],
    ['every allowed key character', [{ key: 'a-z.0_9/x', value: 'ok' }]],
    ['a key named "constructor"', [{ key: 'constructor', value: 'c' }]],
    // "__proto__" is 9 characters of [a-z_]: a valid key like any other.
    ['a key named "__proto__"', [{ key: 'env', value: 'e' }, { key: '__proto__', value: 'p' }]],
  ])('accepts %s', async (_case, labels) => {
    const payload = await setLabels(labels);
    const sorted = [...labels].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    expect(payload.userErrors).toEqual([]);
    expect(payload.model.metadata.labels).toEqual(sorted);
    expect(await labelsNow()).toEqual(sorted);
  });

  it.each([
    ['65 pairs', pairs(65), ['labels']],
    ['a duplicate key', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'a', value: '3' }], ['labels', '2', 'key']],
    ['an empty key', [{ key: '', value: 'x' }], ['labels', '0', 'key']],
    ['a 64-character key', [{ key: 'k'.repeat(64), value: 'x' }], ['labels', '0', 'key']],
    ['an upper-case key', [{ key: 'ok', value: 'x' }, { key: 'Env', value: 'x' }], ['labels', '1', 'key']],
    ['a key with a space', [{ key: 'my key', value: 'x' }], ['labels', '0', 'key']],
    ['a non-ASCII key', [{ key: 'é', value: 'x' }], ['labels', '0', 'key']],
    ['a NUL in a key', [{ key: 'a\u0000', value: 'x' }], ['labels', '0', 'key']],
    ['a 256-character value', [{ key: 'a', value: 'v'.repeat(256) }], ['labels', '0', 'value']],
    ['a NUL in a value', [{ key: 'a', value: 'x\u0000y' }], ['labels', '0', 'value']],
    ['a lone surrogate in a value', [{ key: 'a', value: 'x\ud800' }], ['labels', '0', 'value']],
  ])('refuses %s: INVALID_ARGUMENT naming the field, nothing changed', async (_case, labels, field) => {
    const kept = [{ key: 'keep', value: 'me' }];
    await setLabels(kept);
    expect(await setLabels(labels, 'bad')).toEqual({
      clientMutationId: 'bad',
      model: null,
      userErrors: [userError('INVALID_ARGUMENT', ['input', ...field])],
    });
    expect(await labelsNow()).toEqual(kept);
  });
});

describe('createWorkspace', () => {
  const CREATE = /* GraphQL */ `
    mutation Create($input: CreateWorkspaceInput!) {
      createWorkspace(input: $input) {
        clientMutationId
        workspace {
          id name accountId createdAt
          labels { key value }
          models(first: 100) { totalCount nodes { spec { status } } }
        }
        userErrors { code field message }
      }
    }
  `;
  const create = async (tenant: Tenant, input: Record<string, unknown>) => (await admin(tenant, CREATE, { input })).createWorkspace;
  const workspaceNames = async (tenant: Tenant): Promise<string[]> =>
    (await admin(tenant, /* GraphQL */ `query Names { workspaces(first: 100) { nodes { name } } }`)).workspaces.nodes.map(
      (w: { name: string }) => w.name,
    );

  /** Expects a refusal with this code and field, and that the tenant's workspaces did not change. */
  async function expectRefused(tenant: Tenant, input: Record<string, unknown>, code: string, field: string[]) {
    const before = await workspaceNames(tenant);
    expect(await create(tenant, input)).toEqual({
      clientMutationId: input.clientMutationId ?? null,
      workspace: null,
      userErrors: [userError(code, ['input', ...field])],
    });
    expect(await workspaceNames(tenant)).toEqual(before);
  }

  it('creates a trimmed, seeded, labelled workspace', async () => {
    const t = await app.tenant('Create');
    const payload = await create(t, {
      name: '  Team A  ',
      labels: [
        { key: 'team', value: 'a' },
        { key: 'cost-center', value: '42' },
      ],
      clientMutationId: 'create-1',
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.clientMutationId).toBe('create-1');
    const labels = [
      { key: 'cost-center', value: '42' },
      { key: 'team', value: 'a' },
    ];
    expect(payload.workspace).toMatchObject({ name: 'Team A', accountId: t.accountId, labels });
    expect(payload.workspace.id).toMatch(/^ws_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(payload.workspace.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(payload.workspace.models.totalCount).toBe(catalog.length);
    expect(payload.workspace.models.nodes).toHaveLength(catalog.length);
    for (const m of payload.workspace.models.nodes) expect(m.spec.status).toBe('MODEL_STATUS_ENABLED');

    // Stored as returned: read it back in another request.
    const data = await admin(
      t,
      /* GraphQL */ `query ReadWorkspace($id: ID!) { workspace(id: $id) { name labels { key value } models { totalCount } } }`,
      { id: payload.workspace.id },
    );
    expect(data.workspace).toEqual({ name: 'Team A', labels, models: { totalCount: catalog.length } });
  });

  it('clientMutationId is null when not given', async () => {
    const t = await app.tenant('Create cmid');
    const payload = await create(t, { name: 'No cmid' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.clientMutationId).toBeNull();
  });

  it.each(['team a', 'TEAM A', '  Team A ', 'Team A'])(
    'a duplicate name (%j) in the same account → CONFLICT on input.name',
    async (duplicate) => {
      const t = await app.tenant();
      expect((await create(t, { name: 'Team A' })).userErrors).toEqual([]);
      await expectRefused(t, { name: duplicate, clientMutationId: 'dup' }, 'CONFLICT', ['name']);
    },
  );

  it('folds ASCII case only: names differing in non-ASCII case are distinct', async () => {
    const t = await app.tenant();
    expect((await create(t, { name: 'Équipe' })).userErrors).toEqual([]);
    expect((await create(t, { name: 'équipe' })).userErrors).toEqual([]);
  });

  it('the same name in another account succeeds', async () => {
    const [a, b] = await Promise.all([app.tenant(), app.tenant()]);
    expect((await create(a, { name: 'Shared name' })).userErrors).toEqual([]);
    const payload = await create(b, { name: 'shared NAME' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.workspace).toMatchObject({ name: 'shared NAME', accountId: b.accountId });
  });

  it.each([
    ['100 × "é"', 'é'.repeat(100)],
    ['100 emoji (200 UTF-16 units)', '🚀'.repeat(100)],
    ['100 code points between spaces', `   ${'x'.repeat(99)}🚀   `],
  ])('accepts a name of exactly 100 code points: %s', async (_case, name) => {
    const t = await app.tenant();
    const payload = await create(t, { name });
    expect(payload.userErrors).toEqual([]);
    expect(payload.workspace.name).toBe(name.trim());
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \t  '],
    ['101 × "é"', 'é'.repeat(101)],
    ['101 emoji', '🚀'.repeat(101)],
    ['a BEL control character', 'a\u0007b'],
    ['a newline', 'a\nb'],
    ['a DEL control character', 'a\u007fb'],
    ['a NUL', 'a\u0000b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('refuses a name with %s: INVALID_ARGUMENT on input.name', async (_case, name) => {
    const t = await app.tenant();
    await expectRefused(t, { name, clientMutationId: 'bad-name' }, 'INVALID_ARGUMENT', ['name']);
  });

  it('refuses bad labels: INVALID_ARGUMENT naming the label', async () => {
    const t = await app.tenant();
    await expectRefused(t, { name: 'Labelled', labels: [{ key: 'ok', value: '1' }, { key: 'Bad', value: '2' }] }, 'INVALID_ARGUMENT', [
      'labels',
      '1',
      'key',
    ]);
  });
});

describe('metadata.revision', () => {
  const REVISION = /* GraphQL */ `
    mutation Revise($status: SetModelStatusInput!, $labels: SetModelLabelsInput!) {
      status: setModelStatus(input: $status) { model { metadata { revision } } }
      labels: setModelLabels(input: $labels) { model { metadata { revision } } }
    }
  `;

  it('starts at 1, moves by one per real change, and not on a write that changes nothing', async () => {
    const tenant = await app.tenant();
    const [id] = await modelIds(tenant, 1);
    const read = async () => (await admin(tenant, `query R($id: ID!) { model(id: $id) { metadata { revision } } }`, { id })).model.metadata.revision;
    expect(await read()).toBe(1);
    const revise = (status: string, labels: Label[]) => admin(tenant, REVISION, { status: { id, status }, labels: { id, labels } });
    expect(await revise('MODEL_STATUS_DISABLED', [{ key: 'a', value: '1' }])).toEqual({
      status: { model: { metadata: { revision: 2 } } },
      labels: { model: { metadata: { revision: 3 } } },
    });
    // The same values again: nothing changes, the revision stays.
    expect(await revise('MODEL_STATUS_DISABLED', [{ key: 'a', value: '1' }])).toEqual({
      status: { model: { metadata: { revision: 3 } } },
      labels: { model: { metadata: { revision: 3 } } },
    });
    expect(await read()).toBe(3);
  });
});

describe('clientMutationId', () => {
  it.each(['\u0000x', 'x\ud800'])('with NUL or ill-formed Unicode (%j) is refused as INVALID_ARGUMENT and changes nothing', async (clientMutationId) => {
    const tenant = await app.tenant();
    const [id] = await modelIds(tenant, 1);
    const data = await admin(
      tenant,
      /* GraphQL */ `mutation S($input: SetModelStatusInput!) { setModelStatus(input: $input) { model { id } userErrors { code field message } } }`,
      { input: { id, status: 'MODEL_STATUS_DISABLED', clientMutationId } },
    );
    expect(data.setModelStatus).toEqual({ model: null, userErrors: [userError('INVALID_ARGUMENT', ['input', 'clientMutationId'])] });
    expect((await readModel(tenant, id!))?.status).toBe('MODEL_STATUS_ENABLED');
  });
});
