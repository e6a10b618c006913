/**
 * The tenant isolation matrix (issue 3): three accounts, C reusing A's names,
 * × ADMIN and READER keys × every operation that takes an id (or lists, or
 * creates) × every kind of id a client could send. The contract (DESIGN.md,
 * "Ids"): a foreign id is answered exactly like an unknown one, reads never
 * show another account's rows, and no write lands outside the caller's account.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { catalog } from '../src/domain/catalog.ts';
import { idPrefixes, newId } from '../src/db/ids.ts';
import { modelRowColumns, models, workspaces, type Labels, type ModelRow, type WorkspaceRow } from '../src/db/schema.ts';
import { setupTestApp, type GraphQLResponse, type Tenant } from './helpers.ts';

const app = await setupTestApp();

type Role = 'ADMIN' | 'READER';
const ROLES: readonly Role[] = ['ADMIN', 'READER'];
type Target = 'Model' | 'Workspace';
type Label = { key: string; value: string };

// ---------------------------------------------------------------------------
// Three accounts. A and C are both named "Twin" (so both first workspaces are
// "Twin workspace") and both create "Production" and "Staging" through the API.

const SHARED_NAMES = ['Production', 'Staging'];

const CREATE_WORKSPACE = /* GraphQL */ `
  mutation CreateWorkspace($name: String!) {
    createWorkspace(input: { name: $name, clientMutationId: "isolation" }) {
      clientMutationId
      workspace { id name accountId models(first: 100) { totalCount nodes { metadata { accountId workspaceId } } } }
      userErrors { code field message }
    }
  }
`;

interface Account {
  name: 'A' | 'B' | 'C';
  tenant: Tenant;
  /** The id part of the admin key, `key_<ULID>`. */
  keyId: string;
  workspaceId: string;
  workspaceName: string;
  /** A model of the first workspace. */
  modelId: string;
  /** The cursor of the first workspace in the workspaces connection. */
  workspaceCursor: string;
  /** Responses to the createWorkspace calls of the fixture, by name. */
  sharedNameResponses: Map<string, GraphQLResponse>;
}

async function openAccount(name: Account['name'], tenantName: string): Promise<Account> {
  const tenant = await app.tenant(tenantName);
  const sharedNameResponses = new Map<string, GraphQLResponse>();
  for (const workspaceName of SHARED_NAMES) {
    sharedNameResponses.set(workspaceName, await app.gql(CREATE_WORKSPACE, { key: tenant.adminKey, variables: { name: workspaceName } }));
  }
  const res = await app.gql(
    /* GraphQL */ `
      query Fixture($id: ID!) {
        workspace(id: $id) { name models(first: 1) { nodes { id } } }
        workspaces(first: 1) { edges { cursor } }
      }
    `,
    { key: tenant.adminKey, variables: { id: tenant.workspaceId } },
  );
  if (res.body.errors || !res.body.data?.workspace) throw new Error(`Fixture of ${name}: ${JSON.stringify(res.body)}`);
  return {
    name,
    tenant,
    keyId: tenant.adminKey.split('.')[0]!,
    workspaceId: tenant.workspaceId,
    workspaceName: res.body.data.workspace.name,
    modelId: res.body.data.workspace.models.nodes[0].id,
    workspaceCursor: res.body.data.workspaces.edges[0].cursor,
    sharedNameResponses,
  };
}

const A = await openAccount('A', 'Twin');
const B = await openAccount('B', 'Solo');
const C = await openAccount('C', 'Twin');
const accounts = [A, B, C] as const;
const othersOf = (viewer: Account) => accounts.filter((account) => account !== viewer);
const keyOf = (viewer: Account, role: Role) => (role === 'ADMIN' ? viewer.tenant.adminKey : viewer.tenant.readerKey);

// ---------------------------------------------------------------------------
// Snapshots of every row, and the writes each account's own admin made.

interface AccountRows {
  workspaces: WorkspaceRow[];
  models: ModelRow[];
}

async function rowsOf(account: Account): Promise<AccountRows> {
  const accountId = account.tenant.accountId;
  return {
    workspaces: await app.db.select().from(workspaces).where(eq(workspaces.accountId, accountId)).orderBy(workspaces.id),
    models: await app.db.select(modelRowColumns).from(models).where(eq(models.accountId, accountId)).orderBy(models.id),
  };
}

const idsOf = (rows: { id: string }[]) => rows.map((row) => row.id);

async function modelRow(id: string): Promise<ModelRow | undefined> {
  return (await app.db.select().from(models).where(eq(models.id, id)))[0];
}

/** What an admin's successful mutation left, as its payload reported it. */
interface ModelState {
  status: ModelRow['status'];
  labels: Labels;
  revision: number;
}

const ownWrites = new Map<Account, { models: Map<string, ModelState>; workspaceIds: Set<string> }>(
  accounts.map((account) => [account, { models: new Map(), workspaceIds: new Set() }]),
);

const before = new Map<Account, AccountRows>();
for (const account of accounts) before.set(account, await rowsOf(account));

// ---------------------------------------------------------------------------
// Responses, compared byte for byte.

/** The response as JSON: status, data and errors, without the per-request id. */
function comparable(res: GraphQLResponse): string {
  const errors = res.body.errors?.map(({ extensions, ...error }) => {
    const { requestId: _requestId, ...rest } = extensions ?? {};
    return { ...error, extensions: rest };
  });
  return JSON.stringify({ status: res.status, data: res.body.data, errors });
}

const labelsOf = (list: Label[]): Labels => Object.fromEntries(list.map(({ key, value }) => [key, value]));

// ---------------------------------------------------------------------------
// Kinds of id.

const ID_KINDS = [
  'own',
  'foreign real',
  'unknown well-formed',
  'malformed',
  'wrong prefix',
  'empty',
  'very long',
  'URL-encoded',
  'extra separators',
] as const;
type IdKind = (typeof ID_KINDS)[number];

interface IdCase {
  kind: IdKind;
  label: string;
  id: string;
}

/** Unknown to every account: the baseline every other non-own id is compared with. */
const UNKNOWN_IDS: Record<Target, string> = { Model: newId('Model'), Workspace: newId('Workspace') };
const TEN_THOUSAND = 10_000;
const percentEncodeAll = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * Every id the viewer could send where an id of `target` is expected. Ids
 * derived from the viewer's own id (encoded, padded, re-prefixed) are the
 * tempting ones: a lenient parser would find the viewer's own object.
 * `anyType`: node/nodes, where both models and workspaces are found.
 */
function idCases(viewer: Account, target: Target, anyType: boolean): IdCase[] {
  const own = target === 'Model' ? viewer.modelId : viewer.workspaceId;
  const otherType: Target = target === 'Model' ? 'Workspace' : 'Model';
  const prefix = idPrefixes[target];
  const otherPrefix = idPrefixes[otherType];
  const ulid = own.slice(prefix.length + 1);
  const c = (kind: IdKind, label: string, id: string): IdCase => ({ kind, label, id });
  return [
    c('own', `own ${prefix}_ id`, own),
    ...othersOf(viewer).flatMap((other) => [
      c('foreign real', `${other.name}'s model id`, other.modelId),
      c('foreign real', `${other.name}'s workspace id`, other.workspaceId),
    ]),
    c('unknown well-formed', `unknown ${prefix}_ id`, UNKNOWN_IDS[target]),
    c('malformed', 'lower-case ULID', `${prefix}_${ulid.toLowerCase()}`),
    c('malformed', 'a letter outside Crockford (U)', `${prefix}_${ulid.slice(0, 25)}U`),
    c('malformed', 'one character too many', `${own}0`),
    c('malformed', 'timestamp overflow', `${prefix}_8${ulid.slice(1)}`),
    c('malformed', 'SQL-ish suffix', `${own}' OR '1'='1`),
    c('malformed', 'NUL inside', `${prefix}_\u0000${ulid}`),
    ...(anyType ? [] : [c('wrong prefix', `own ${otherPrefix}_ id`, target === 'Model' ? viewer.workspaceId : viewer.modelId)]),
    c('wrong prefix', `own ULID behind ${otherPrefix}_`, `${otherPrefix}_${ulid}`),
    c('wrong prefix', 'own acct_ id', viewer.tenant.accountId),
    c('wrong prefix', 'own prof_ id', viewer.tenant.profileId),
    c('wrong prefix', 'own key_ id', viewer.keyId),
    c('wrong prefix', 'upper-case prefix', `${prefix.toUpperCase()}_${ulid}`),
    c('empty', 'empty string', ''),
    c('very long', 'own id padded to 10,000 chars', own.padEnd(TEN_THOUSAND, '0')),
    c('very long', `${prefix}_ and 10,000 chars of zeros`, `${prefix}_`.padEnd(TEN_THOUSAND, '0')),
    c('URL-encoded', 'underscore as %5F', `${prefix}%5F${ulid}`),
    c('URL-encoded', 'slash as %2F instead of _', encodeURIComponent(`${prefix}/${ulid}`)),
    c('URL-encoded', 'trailing %2F', `${own}%2F`),
    c('URL-encoded', 'every byte percent-encoded', percentEncodeAll(own)),
    c('extra separators', 'double underscore', `${prefix}__${ulid}`),
    c('extra separators', 'trailing underscore', `${own}_`),
    c('extra separators', 'leading space', ` ${own}`),
    c('extra separators', 'trailing newline', `${own}\n`),
    c('extra separators', 'hyphen instead of underscore', `${prefix}-${ulid}`),
    c('extra separators', 'underscore inside the ULID', `${prefix}_${ulid.slice(0, 13)}_${ulid.slice(13)}`),
  ];
}

// ---------------------------------------------------------------------------
// Operations that take an id.

const MODEL_FIELDS = /* GraphQL */ `
  id
  metadata { id accountId workspaceId profileId name externalId labels { key value } }
  spec { provider family status }
  workspace { id accountId name }
`;
const WORKSPACE_FIELDS = /* GraphQL */ `id accountId name labels { key value }`;
const NODE_FIELDS = /* GraphQL */ `
  __typename
  id
  ... on Model { ${MODEL_FIELDS} }
  ... on Workspace { ${WORKSPACE_FIELDS} }
`;
const MUTATED_MODEL = /* GraphQL */ `id metadata { accountId revision labels { key value } } spec { status }`;

interface IdOperation {
  name: string;
  target: Target;
  anyType: boolean;
  mutation: boolean;
  query: string;
  variables(id: string, viewer: Account): Record<string, unknown>;
  /** `data` for an unknown id (reads) — mutations answer userErrors instead. */
  unknownData?: Record<string, unknown>;
  /** Checks the answer to the viewer's own id, for a read (both keys) or an admin's mutation. */
  expectOwn(data: any, id: string, viewer: Account): void;
}

/** The object a read returned for an own id: itself, and of the viewer's account. */
function expectOwnObject(object: any, id: string, viewer: Account, target: Target) {
  expect(object?.id).toBe(id);
  if (target === 'Model') {
    expect(object.metadata.accountId).toBe(viewer.tenant.accountId);
    expect(object.workspace.accountId).toBe(viewer.tenant.accountId);
  } else {
    expect(object.accountId).toBe(viewer.tenant.accountId);
  }
}

const readOperations = (target: Target): IdOperation[] => {
  const noun = target === 'Model' ? 'model' : 'workspace';
  return [
    {
      name: `node (${noun} ids)`,
      target,
      anyType: true,
      mutation: false,
      query: /* GraphQL */ `query Node($id: ID!) { node(id: $id) { ${NODE_FIELDS} } }`,
      variables: (id) => ({ id }),
      unknownData: { node: null },
      expectOwn: (data, id, viewer) => {
        expect(data.node.__typename).toBe(target);
        expectOwnObject(data.node, id, viewer, target);
      },
    },
    {
      name: `nodes (${noun} ids)`,
      target,
      anyType: true,
      mutation: false,
      query: /* GraphQL */ `query Nodes($ids: [ID!]!) { nodes(ids: $ids) { ${NODE_FIELDS} } }`,
      variables: (id) => ({ ids: [id] }),
      unknownData: { nodes: [null] },
      expectOwn: (data, id, viewer) => {
        expect(data.nodes).toHaveLength(1);
        expect(data.nodes[0].__typename).toBe(target);
        expectOwnObject(data.nodes[0], id, viewer, target);
      },
    },
  ];
};

/** The model payload of an admin's successful mutation on an own model; recorded as an own write. */
function expectOwnModelWrite(payload: any, id: string, viewer: Account, check: (model: any) => void) {
  expect(payload.userErrors).toEqual([]);
  expect(payload.clientMutationId).toBe('isolation');
  expect(payload.model.id).toBe(id);
  expect(payload.model.metadata.accountId).toBe(viewer.tenant.accountId);
  check(payload.model);
  ownWrites.get(viewer)!.models.set(id, {
    status: payload.model.spec.status,
    labels: labelsOf(payload.model.metadata.labels),
    revision: payload.model.metadata.revision,
  });
}

const ID_OPERATIONS: IdOperation[] = [
  {
    name: 'model',
    target: 'Model',
    anyType: false,
    mutation: false,
    query: /* GraphQL */ `query Model($id: ID!) { model(id: $id) { ${MODEL_FIELDS} } }`,
    variables: (id) => ({ id }),
    unknownData: { model: null },
    expectOwn: (data, id, viewer) => expectOwnObject(data.model, id, viewer, 'Model'),
  },
  {
    name: 'workspace',
    target: 'Workspace',
    anyType: false,
    mutation: false,
    query: /* GraphQL */ `query Workspace($id: ID!) { workspace(id: $id) { ${WORKSPACE_FIELDS} } }`,
    variables: (id) => ({ id }),
    unknownData: { workspace: null },
    expectOwn: (data, id, viewer) => expectOwnObject(data.workspace, id, viewer, 'Workspace'),
  },
  ...readOperations('Model'),
  ...readOperations('Workspace'),
  {
    name: 'workspace.models',
    target: 'Workspace',
    anyType: false,
    mutation: false,
    query: /* GraphQL */ `
      query WorkspaceModels($id: ID!) {
        workspace(id: $id) {
          id
          accountId
          models(first: 100) { totalCount edges { cursor node { ${MODEL_FIELDS} } } }
        }
      }
    `,
    variables: (id) => ({ id }),
    unknownData: { workspace: null },
    expectOwn: (data, id, viewer) => {
      expectOwnObject(data.workspace, id, viewer, 'Workspace');
      const nodes = data.workspace.models.edges.map((edge: { node: any }) => edge.node);
      expect(nodes).toHaveLength(catalog.length);
      expect(data.workspace.models.totalCount).toBe(catalog.length);
      for (const node of nodes) {
        expect(node.metadata.accountId).toBe(viewer.tenant.accountId);
        expect(node.metadata.workspaceId).toBe(id);
        expect(node.workspace.id).toBe(id);
      }
    },
  },
  {
    name: 'setModelStatus',
    target: 'Model',
    anyType: false,
    mutation: true,
    query: /* GraphQL */ `
      mutation SetStatus($id: ID!) {
        setModelStatus(input: { id: $id, status: MODEL_STATUS_DISABLED, clientMutationId: "isolation" }) {
          clientMutationId
          model { ${MUTATED_MODEL} }
          userErrors { code field message }
        }
      }
    `,
    variables: (id) => ({ id }),
    expectOwn: (data, id, viewer) =>
      expectOwnModelWrite(data.setModelStatus, id, viewer, (model) => expect(model.spec.status).toBe('MODEL_STATUS_DISABLED')),
  },
  {
    name: 'setModelLabels',
    target: 'Model',
    anyType: false,
    mutation: true,
    query: /* GraphQL */ `
      mutation SetLabels($id: ID!, $value: String!) {
        setModelLabels(input: { id: $id, labels: [{ key: "isolation", value: $value }], clientMutationId: "isolation" }) {
          clientMutationId
          model { ${MUTATED_MODEL} }
          userErrors { code field message }
        }
      }
    `,
    variables: (id, viewer) => ({ id, value: `set by ${viewer.name}` }),
    expectOwn: (data, id, viewer) =>
      expectOwnModelWrite(data.setModelLabels, id, viewer, (model) =>
        expect(model.metadata.labels).toEqual([{ key: 'isolation', value: `set by ${viewer.name}` }]),
      ),
  },
];

/** The payload of a mutation that was refused: nothing returned, one userError. */
function refusedPayload(code: 'NOT_FOUND' | 'FORBIDDEN') {
  return {
    clientMutationId: 'isolation',
    model: null,
    userErrors: [{ code, field: code === 'NOT_FOUND' ? ['input', 'id'] : null, message: expect.any(String) }],
  };
}

// ---------------------------------------------------------------------------
// Bookkeeping: what the matrix checked, for the closing count.

const planned = new Map<string, number>();
const checked = new Map<string, number>();
const countKey = (operation: string, role: Role, kind: string) => `${operation}\t${role}\t${kind}`;
const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

/** The answer to the unknown id for this operation, viewer and key: computed once. */
const baselines = new Map<string, Promise<string>>();
function baseline(operation: IdOperation, viewer: Account, role: Role): Promise<string> {
  const key = `${operation.name}\t${viewer.name}\t${role}`;
  if (!baselines.has(key)) {
    const variables = operation.variables(UNKNOWN_IDS[operation.target], viewer);
    baselines.set(key, app.gql(operation.query, { key: keyOf(viewer, role), variables }).then(comparable));
  }
  return baselines.get(key)!;
}

// ---------------------------------------------------------------------------

describe('names are per account', () => {
  it.each(SHARED_NAMES)('A and C both created a workspace named %j through createWorkspace', (name) => {
    const created = [A, C].map((account) => {
      const res = account.sharedNameResponses.get(name)!;
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      const payload = res.body.data.createWorkspace;
      expect(payload.userErrors).toEqual([]);
      expect(payload.workspace).toMatchObject({ name, accountId: account.tenant.accountId });
      expect(payload.workspace.models.totalCount).toBe(catalog.length);
      return payload.workspace.id;
    });
    expect(new Set(created).size).toBe(2);
  });

  it("A's and C's first workspaces share a name, not an id", () => {
    expect(A.workspaceName).toBe(C.workspaceName);
    expect(A.workspaceId).not.toBe(C.workspaceId);
  });
});

for (const operation of ID_OPERATIONS) {
  describe(`${operation.name} × keys × id kinds`, () => {
    const cells = accounts.flatMap((viewer) =>
      ROLES.flatMap((role) =>
        idCases(viewer, operation.target, operation.anyType).map((idCase) => ({
          name: `${viewer.name} ${role.toLowerCase()} key · ${idCase.kind}: ${idCase.label}`,
          viewer,
          role,
          idCase,
        })),
      ),
    );
    for (const { role, idCase } of cells) bump(planned, countKey(operation.name, role, idCase.kind));

    it.each(cells)('$name', async ({ viewer, role, idCase }) => {
      const key = keyOf(viewer, role);
      const readerWrite = operation.mutation && role === 'READER';
      const rowBefore = readerWrite && idCase.kind === 'own' ? await modelRow(idCase.id) : undefined;

      const res = await app.gql(operation.query, { key, variables: operation.variables(idCase.id, viewer) });
      expect(res.status).toBe(200);

      if (idCase.kind === 'unknown well-formed') {
        // The baseline itself must be what the contract says.
        expect(res.body.errors).toBeUndefined();
        if (operation.mutation) {
          expect(Object.values(res.body.data!)).toEqual([refusedPayload(readerWrite ? 'FORBIDDEN' : 'NOT_FOUND')]);
        } else {
          expect(res.body.data).toEqual(operation.unknownData);
        }
      } else if (idCase.kind === 'own' && !readerWrite) {
        expect(res.body.errors).toBeUndefined();
        operation.expectOwn(res.body.data, idCase.id, viewer);
      } else {
        // Foreign, malformed, wrong type…, and a reader's write even to its own
        // model: exactly what the unknown id gets.
        expect(comparable(res)).toBe(await baseline(operation, viewer, role));
      }

      if (rowBefore) expect(await modelRow(idCase.id)).toEqual(rowBefore);
      bump(checked, countKey(operation.name, role, idCase.kind));
    });
  });
}

describe('nodes × keys with own, foreign and unknown ids mixed', () => {
  const cells = accounts.flatMap((viewer) => ROLES.map((role) => ({ name: `${viewer.name} ${role.toLowerCase()} key`, viewer, role })));
  for (const { role } of cells) bump(planned, countKey('nodes (mixed)', role, 'own + foreign real + unknown'));

  it.each(cells)('$name: foreign ids are null in place, like unknown ones', async ({ viewer, role }) => {
    const [first, second] = othersOf(viewer) as [Account, Account];
    const ids = [viewer.modelId, first.modelId, viewer.workspaceId, second.workspaceId, UNKNOWN_IDS.Model, second.modelId, first.workspaceId];
    const res = await app.gql(/* GraphQL */ `query MixedNodes($ids: [ID!]!) { nodes(ids: $ids) { ${NODE_FIELDS} } }`, {
      key: keyOf(viewer, role),
      variables: { ids },
    });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.nodes;
    expect(nodes).toHaveLength(ids.length);
    expectOwnObject(nodes[0], viewer.modelId, viewer, 'Model');
    expectOwnObject(nodes[2], viewer.workspaceId, viewer, 'Workspace');
    expect([nodes[1], nodes[3], nodes[4], nodes[5], nodes[6]]).toEqual([null, null, null, null, null]);
    bump(checked, countKey('nodes (mixed)', role, 'own + foreign real + unknown'));
  });
});

describe('workspaces × keys × cursors', () => {
  const WORKSPACES = /* GraphQL */ `
    query Workspaces($first: Int, $last: Int, $after: String) {
      workspaces(first: $first, last: $last, after: $after) {
        totalCount
        edges {
          cursor
          node { id accountId name models(first: 100) { totalCount nodes { id metadata { accountId workspaceId } } } }
        }
      }
    }
  `;
  interface CursorCase {
    kind: string;
    label: string;
    args: (viewer: Account) => Record<string, unknown>;
  }
  const cursorCases = (viewer: Account): CursorCase[] => [
    { kind: 'no cursor', label: 'first: 100', args: () => ({ first: 100 }) },
    { kind: 'no cursor', label: 'last: 100', args: () => ({ last: 100 }) },
    { kind: 'own', label: 'after its own first cursor', args: (v) => ({ first: 100, after: v.workspaceCursor }) },
    ...othersOf(viewer).map((other) => ({
      kind: 'foreign real',
      label: `after ${other.name}'s first cursor`,
      args: () => ({ first: 100, after: other.workspaceCursor }),
    })),
  ];
  const cells = accounts.flatMap((viewer) =>
    ROLES.flatMap((role) =>
      cursorCases(viewer).map((cursor) => ({ name: `${viewer.name} ${role.toLowerCase()} key · ${cursor.kind}: ${cursor.label}`, viewer, role, cursor })),
    ),
  );
  for (const { role, cursor } of cells) bump(planned, countKey('workspaces', role, cursor.kind));

  it.each(cells)('$name lists only its own workspaces and models', async ({ viewer, role, cursor }) => {
    const res = await app.gql(WORKSPACES, { key: keyOf(viewer, role), variables: cursor.args(viewer) });
    expect(res.status).toBe(200);
    if (cursor.kind === 'foreign real' && res.body.errors) {
      // Refusing another connection's cursor is fine too, as a client error.
      expect(res.body.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    } else {
      expect(res.body.errors).toBeUndefined();
      const own = await rowsOf(viewer);
      const foreignIds = new Set((await Promise.all(othersOf(viewer).map(rowsOf))).flatMap((rows) => [...idsOf(rows.workspaces), ...idsOf(rows.models)]));
      const { totalCount, edges } = res.body.data.workspaces;
      const listed = edges.map((edge: { node: any }) => edge.node);
      expect(totalCount).toBe(own.workspaces.length);
      for (const workspace of listed) {
        expect(workspace.accountId).toBe(viewer.tenant.accountId);
        expect(foreignIds.has(workspace.id)).toBe(false);
        for (const model of workspace.models.nodes) {
          expect(model.metadata).toEqual({ accountId: viewer.tenant.accountId, workspaceId: workspace.id });
          expect(foreignIds.has(model.id)).toBe(false);
        }
        expect(workspace.models.nodes).toHaveLength(catalog.length);
      }
      if (cursor.kind === 'no cursor') expect(idsOf(listed).sort()).toEqual(idsOf(own.workspaces));
      if (cursor.kind === 'own') expect(listed).toHaveLength(own.workspaces.length - 1);
    }
    bump(checked, countKey('workspaces', role, cursor.kind));
  });
});

describe('createWorkspace × keys × names', () => {
  const fold = (name: string) => name.trim().toLowerCase();
  /** A name some other account has and the viewer has not (at the start of the matrix). */
  const foreignName = (viewer: Account) => {
    const own = new Set(before.get(viewer)!.workspaces.map((w) => fold(w.name)));
    const name = othersOf(viewer)
      .flatMap((other) => before.get(other)!.workspaces.map((w) => w.name))
      .find((n) => !own.has(fold(n)));
    if (!name) throw new Error(`No foreign name for ${viewer.name}`);
    return name;
  };
  interface NameCase {
    kind: 'new' | "another account's name" | 'own duplicate';
    label: string;
    name: string;
  }
  const nameCases = (viewer: Account, role: Role): NameCase[] => [
    { kind: 'new', label: 'a name no account has', name: `New of ${viewer.name} (${role})` },
    { kind: "another account's name", label: `${JSON.stringify(foreignName(viewer))}`, name: foreignName(viewer) },
    { kind: 'own duplicate', label: 'its first workspace name', name: viewer.workspaceName },
    { kind: 'own duplicate', label: 'its last workspace name, upper-cased and padded', name: `  ${before.get(viewer)!.workspaces.at(-1)!.name.toUpperCase()}\t` },
  ];
  const cells = accounts.flatMap((viewer) =>
    ROLES.flatMap((role) =>
      nameCases(viewer, role).map((nameCase) => ({
        name: `${viewer.name} ${role.toLowerCase()} key · ${nameCase.kind}: ${nameCase.label}`,
        viewer,
        role,
        nameCase,
      })),
    ),
  );
  for (const { role, nameCase } of cells) bump(planned, countKey('createWorkspace', role, nameCase.kind));

  it.each(cells)('$name', async ({ viewer, role, nameCase }) => {
    const rowsBefore = await rowsOf(viewer);
    const res = await app.gql(CREATE_WORKSPACE, { key: keyOf(viewer, role), variables: { name: nameCase.name } });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data.createWorkspace;
    expect(payload.clientMutationId).toBe('isolation');

    if (role === 'READER' || nameCase.kind === 'own duplicate') {
      const code = role === 'READER' ? 'FORBIDDEN' : 'CONFLICT';
      expect(payload).toEqual({
        clientMutationId: 'isolation',
        workspace: null,
        userErrors: [{ code, field: code === 'CONFLICT' ? ['input', 'name'] : null, message: expect.any(String) }],
      });
      expect(await rowsOf(viewer)).toEqual(rowsBefore);
    } else {
      expect(payload.userErrors).toEqual([]);
      const { workspace } = payload;
      expect(workspace).toMatchObject({ name: nameCase.name.trim(), accountId: viewer.tenant.accountId });
      expect(workspace.models.totalCount).toBe(catalog.length);
      for (const { metadata } of workspace.models.nodes) {
        expect(metadata).toEqual({ accountId: viewer.tenant.accountId, workspaceId: workspace.id });
      }
      ownWrites.get(viewer)!.workspaceIds.add(workspace.id);
    }
    bump(checked, countKey('createWorkspace', role, nameCase.kind));
  });
});

describe('after the matrix', () => {
  it.each(accounts.map((account) => ({ name: account.name, account })))(
    "account $name: every row unchanged, except its own admin's writes",
    async ({ account }) => {
      const start = before.get(account)!;
      const now = await rowsOf(account);
      const writes = ownWrites.get(account)!;
      const createdHere = (workspaceId: string) => writes.workspaceIds.has(workspaceId);

      // Workspaces: the old ones untouched; the new ones exactly those its admin created.
      expect(now.workspaces.filter((w) => !createdHere(w.id))).toEqual(start.workspaces);
      expect(new Set(idsOf(now.workspaces.filter((w) => createdHere(w.id))))).toEqual(writes.workspaceIds);

      // Models: the old ones as they were, but for what its admin's payloads reported.
      const expected = start.models.map((row) => {
        const state = writes.models.get(row.id);
        return state ? { ...row, ...state } : row;
      });
      expect(now.models.filter((m) => !createdHere(m.workspaceId))).toEqual(expected);
      expect(now.models.filter((m) => createdHere(m.workspaceId))).toHaveLength(catalog.length * writes.workspaceIds.size);

      // Every model of the account sits in one of the account's workspaces.
      const ownWorkspaceIds = new Set(idsOf(now.workspaces));
      for (const model of now.models) expect(ownWorkspaceIds.has(model.workspaceId)).toBe(true);

      // The admin's writes did happen (the matrix mutates one own model).
      expect(writes.models.size).toBe(1);
      expect(writes.workspaceIds.size).toBe(2);
    },
  );

  it('checked every cell: operations × keys × id kinds', () => {
    const rows = [...planned].map(([key, count]) => {
      const [operation, role, kind] = key.split('\t') as [string, Role, string];
      return { operation, role, kind, planned: count, checked: checked.get(key) ?? 0 };
    });
    const sum = (list: typeof rows) => list.reduce((total, r) => total + r.checked, 0);
    const by = (key: 'operation' | 'kind') =>
      [...new Set(rows.map((r) => r[key]))].map((value) => `${value} ${sum(rows.filter((r) => r[key] === value))}`).join(', ');
    const total = rows.reduce((n, r) => n + r.planned, 0);
    console.log(
      `Isolation matrix: ${accounts.length} accounts × ${ROLES.length} keys (ADMIN, READER) × ` +
        `${new Set(rows.map((r) => r.operation)).size} operations × ${ID_KINDS.length} id kinds (+ cursor and name kinds): ` +
        `${sum(rows)}/${total} cells checked, ${sum(rows.filter((r) => r.kind === 'foreign real'))} with foreign real ids or cursors.\n` +
        `  by operation: ${by('operation')}\n  by kind: ${by('kind')}`,
    );
    expect(rows.filter((r) => r.checked !== r.planned)).toEqual([]);
    for (const kind of ID_KINDS) expect(rows.some((r) => r.kind === kind)).toBe(true);
  });
});
