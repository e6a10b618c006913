/**
 * The benchmark's operations, sent identically to our server and to the
 * baseline. Each scenario picks random variables from the seeded data for
 * every request.
 */

export interface BenchData {
  /** One admin key per account; account i owns workspaces[i]. */
  accounts: { adminKey: string; workspaceIds: string[] }[];
  /** The account and workspace holding 1,000,000 models. */
  big: { adminKey: string; workspaceId: string; deepCursors: string[] };
  /** A sample of model ids of the 1,000 ordinary workspaces, with their account's key. */
  models: { id: string; adminKey: string }[];
}

export interface Operation {
  key: string;
  body: { query: string; operationName: string; variables: Record<string, unknown> };
}

const MODEL_FIELDS = /* GraphQL */ `
  id
  metadata { id accountId createdAt name profileId workspaceId bundleKey externalId labels { key value } revision }
  spec { provider family status inputPricePerMillionTokens outputPricePerMillionTokens maxInputTokens maxOutputTokens }
`;

export const queries = {
  ModelById: /* GraphQL */ `query ModelById($id: ID!) { model(id: $id) { ${MODEL_FIELDS} } }`,
  ModelsPage: /* GraphQL */ `
    query ModelsPage($workspace: ID!, $first: Int!, $after: String) {
      workspace(id: $workspace) {
        models(first: $first, after: $after) {
          edges { cursor node { ${MODEL_FIELDS} } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
    }`,
  ModelsPageWithCount: /* GraphQL */ `
    query ModelsPageWithCount($workspace: ID!, $first: Int!) {
      workspace(id: $workspace) {
        models(first: $first) {
          totalCount
          edges { cursor node { ${MODEL_FIELDS} } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
    }`,
  Nested: /* GraphQL */ `
    query Nested($workspaces: Int!, $models: Int!) {
      workspaces(first: $workspaces) {
        nodes { id name models(first: $models) { nodes { ${MODEL_FIELDS} } } }
      }
    }`,
  SetStatus: /* GraphQL */ `
    mutation SetStatus($id: ID!, $status: ModelStatus!) {
      setModelStatus(input: { id: $id, status: $status }) {
        model { id spec { status } metadata { revision } }
        userErrors { code field message }
      }
    }`,
} as const;

export type OperationName = keyof typeof queries;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const op = (key: string, operationName: OperationName, variables: Record<string, unknown>): Operation => ({
  key,
  body: { query: queries[operationName], operationName, variables },
});

const byId = (data: BenchData) => {
  const model = pick(data.models);
  return op(model.adminKey, 'ModelById', { id: model.id });
};
const firstPage = (data: BenchData) => {
  const account = pick(data.accounts);
  return op(account.adminKey, 'ModelsPage', { workspace: pick(account.workspaceIds), first: 20 });
};
const setStatus = (data: BenchData) => {
  const model = pick(data.models);
  return op(model.adminKey, 'SetStatus', { id: model.id, status: Math.random() < 0.5 ? 'MODEL_STATUS_ENABLED' : 'MODEL_STATUS_DISABLED' });
};

export interface Scenario {
  name: string;
  next(data: BenchData): Operation;
}

export const scenarios: Scenario[] = [
  { name: 'model(id)', next: byId },
  { name: 'first page (20)', next: firstPage },
  {
    name: 'deep page of 1M (~500k in)',
    next: (data) => op(data.big.adminKey, 'ModelsPage', { workspace: data.big.workspaceId, first: 20, after: pick(data.big.deepCursors) }),
  },
  {
    name: 'first page + totalCount',
    next: (data) => {
      const account = pick(data.accounts);
      return op(account.adminKey, 'ModelsPageWithCount', { workspace: pick(account.workspaceIds), first: 20 });
    },
  },
  {
    name: 'totalCount of 1M',
    next: (data) => op(data.big.adminKey, 'ModelsPageWithCount', { workspace: data.big.workspaceId, first: 20 }),
  },
  {
    name: 'nested 20 × 20',
    next: (data) => op(pick(data.accounts).adminKey, 'Nested', { workspaces: 20, models: 20 }),
  },
  { name: 'setModelStatus', next: setStatus },
  {
    name: 'mix 80/15/5',
    next: (data) => {
      const roll = Math.random();
      return roll < 0.8 ? firstPage(data) : roll < 0.95 ? byId(data) : setStatus(data);
    },
  },
];
