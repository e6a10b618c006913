/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant as an RFC 3339 string in UTC with millisecond precision, e.g. 2026-11-28T18:00:00.000Z. */
  DateTime: { input: string; output: string; }
};

/** The name and labels of a new workspace. */
export type CreateWorkspaceInput = {
  /** Any string of yours, echoed in the payload to match answers to requests (text with NUL or ill-formed Unicode is an INVALID_ARGUMENT user error). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Labels of the new workspace: at most 64 pairs with distinct keys; none when omitted. A bad pair is an INVALID_ARGUMENT user error naming it. */
  labels?: InputMaybe<Array<LabelInput>>;
  /** The name, stored trimmed: 1–100 characters after trimming, no control characters (INVALID_ARGUMENT); unique in the account ignoring ASCII case (CONFLICT). */
  name: Scalars['String']['input'];
};

/** What createWorkspace did: the new workspace, or why none was created. */
export type CreateWorkspacePayload = {
  __typename?: 'CreateWorkspacePayload';
  /** The input's clientMutationId, unchanged; null when the input had none. */
  clientMutationId?: Maybe<Scalars['ID']['output']>;
  /** Why nothing was created: empty on success, otherwise exactly one entry. */
  userErrors: Array<UserError>;
  /** The new workspace; null when userErrors is not empty. */
  workspace?: Maybe<Workspace>;
};

/** A key/value pair attached to a resource, e.g. environment=production. A resource has at most 64, with distinct keys. */
export type Label = {
  __typename?: 'Label';
  /** The key: 1–63 characters of [a-z0-9._/-], unique on its resource. */
  key: Scalars['String']['output'];
  /** The value: 0–255 characters, any text. */
  value: Scalars['String']['output'];
};

/** A label to set (setModelLabels, createWorkspace) or to match (ModelFilter.labels). */
export type LabelInput = {
  /** The key: 1–63 characters of [a-z0-9._/-]; anything else is INVALID_ARGUMENT (BAD_USER_INPUT in a filter). */
  key: Scalars['String']['input'];
  /** The value: at most 255 characters, no NUL; longer is INVALID_ARGUMENT (BAD_USER_INPUT in a filter). */
  value: Scalars['String']['input'];
};

/** An LLM model (a provider/family pair from the catalog) as available to one workspace: the same pair in two workspaces is two models with their own ids, statuses and labels. */
export type Model = Node & {
  __typename?: 'Model';
  /** The prefixed ULID of the model, e.g. model_01HX…; also its global id for `node`. */
  id: Scalars['ID']['output'];
  /** Identity, ownership, name, labels and revision. */
  metadata: ResourceMetadata;
  /** Provider, family, prices, token limits and status. */
  spec: ModelSpec;
  /** The workspace the model belongs to (never null). */
  workspace: Workspace;
};

/** A page of a workspace's models. */
export type ModelConnection = {
  __typename?: 'ModelConnection';
  /** The items of this page with their cursors, in the order of the connection (empty when nothing matches). */
  edges: Array<ModelEdge>;
  /** The items of this page, in order, without cursors: for clients that page with pageInfo alone. */
  nodes: Array<Model>;
  /** Cursors of the page ends and whether more items lie beyond them. */
  pageInfo: PageInfo;
  /** How many models of the workspace match the filter, on every page together (not just this one). Costs nothing when not selected. */
  totalCount: Scalars['Int']['output'];
};

/** A model of the page and the cursor that points at it. */
export type ModelEdge = {
  __typename?: 'ModelEdge';
  /** An opaque cursor pointing at this item: pass it as `after` or `before` to page from here. Valid only for the same connection and orderBy; don't parse it. */
  cursor: Scalars['String']['output'];
  /** The item of this edge. */
  node: Model;
};

/** Conditions on models: every given condition must hold; an omitted or null one matches everything. A value breaking a rule is a BAD_USER_INPUT error. */
export type ModelFilter = {
  /** Only models managed by the configuration bundle of this key: exact match; at most 255 characters. */
  bundleKey?: InputMaybe<Scalars['String']['input']>;
  /** Only models of this family: exact, case-sensitive match; at most 255 characters. */
  family?: InputMaybe<Scalars['String']['input']>;
  /** Only models carrying every one of these key/value pairs (they may carry others); at most 64 pairs with distinct keys. */
  labels?: InputMaybe<Array<LabelInput>>;
  /** Only models of this provider: exact, case-sensitive match; at most 255 characters. */
  provider?: InputMaybe<Scalars['String']['input']>;
  /** Only models whose name, provider or family contains this text, ignoring ASCII case; "%" and "_" match literally. At most 200 characters. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Only models with this status; MODEL_STATUS_UNSPECIFIED matches none. */
  status?: InputMaybe<ModelStatus>;
};

/** How to sort models; a cursor is valid only under the orderBy that produced it. */
export type ModelOrder = {
  /** ASC or DESC. */
  direction: OrderDirection;
  /** What to sort by; ties are broken by id. */
  field: ModelOrderField;
};

/** The key models are sorted by. Ties are broken by id, so the order is total and pages never repeat or skip a model. */
export type ModelOrderField =
  /** Creation time (ResourceMetadata.createdAt), to the millisecond: the default. */
  | 'CREATED_AT'
  /** Name, with ASCII letters folded to lower case, then compared by code point (not locale-aware). */
  | 'NAME'
  /** Provider, then family, each compared by code point. */
  | 'PROVIDER';

/** What a model is (provider and family), what it costs, how much it takes and gives, and whether the workspace may use it. */
export type ModelSpec = {
  __typename?: 'ModelSpec';
  /** The model family within the provider, e.g. "claude-sonnet-4.6". A workspace has at most one model per provider/family pair. */
  family: Scalars['String']['output'];
  /** Price of input tokens in US cents per million tokens, as an exact decimal string (never a float): "300" is $3.00, "7.5" is $0.075. Null when unknown. */
  inputPricePerMillionTokens?: Maybe<Scalars['String']['output']>;
  /** The largest input (context window) the model takes, in tokens; null when unknown. */
  maxInputTokens?: Maybe<Scalars['Int']['output']>;
  /** The most tokens the model writes in one response; null when unknown. */
  maxOutputTokens?: Maybe<Scalars['Int']['output']>;
  /** Price of output tokens in US cents per million tokens, as an exact decimal string: "1500" is $15.00. Null when unknown. */
  outputPricePerMillionTokens?: Maybe<Scalars['String']['output']>;
  /** The provider, lower case, e.g. "anthropic", "openai", "google". */
  provider: Scalars['String']['output'];
  /** Whether the workspace may use the model: MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED (never UNSPECIFIED). */
  status: ModelStatus;
};

/** Whether a workspace may use a model. Every model of a new workspace starts ENABLED. */
export type ModelStatus =
  /** The workspace may not use the model: an admin turned it off. */
  | 'MODEL_STATUS_DISABLED'
  /** The workspace may use the model (the default). */
  | 'MODEL_STATUS_ENABLED'
  /** No status: kept for compatibility with the REST resource. Never returned; as a mutation input it is INVALID_ARGUMENT. */
  | 'MODEL_STATUS_UNSPECIFIED';

/** One change of a model's status: who made it, in which request, when. The node of Model.statusHistory and the event of Subscription.modelStatusChanged. A write that leaves the status as it was records none. */
export type ModelStatusChange = {
  __typename?: 'ModelStatusChange';
  /** When the change was made: the start of its transaction, at millisecond precision. */
  at: Scalars['DateTime']['output'];
  /** The status before the change. */
  from: ModelStatus;
  /** The model whose status changed (as it is now when read from the history; just after the change in a live event). */
  model: Model;
  /** Who made the change: a user's profile, an API key's service account, or the catalog's system profile (prof_00000000000000000000000000) for changes of the catalog sync. */
  profileId: Scalars['String']['output'];
  /** The id of the request that made the change (its X-Request-Id); null for changes made outside a request, such as the catalog sync. */
  requestId?: Maybe<Scalars['String']['output']>;
  /** The status after the change. */
  to: ModelStatus;
};

/** Every write; each needs an ADMIN key. Expected failures (FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, CONFLICT) come back in the payload as userErrors and change nothing. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Creates a workspace (ADMIN keys only) seeded with every catalog model, each MODEL_STATUS_ENABLED. */
  createWorkspace: CreateWorkspacePayload;
  /** Replaces all of a model's labels (ADMIN keys only). Labels come back sorted by key. */
  setModelLabels: SetModelLabelsPayload;
  /** Enables or disables a model in its workspace (ADMIN keys only). Setting the status it already has succeeds and changes nothing, revision included. */
  setModelStatus: SetModelStatusPayload;
};


/** Every write; each needs an ADMIN key. Expected failures (FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, CONFLICT) come back in the payload as userErrors and change nothing. */
export type MutationCreateWorkspaceArgs = {
  input: CreateWorkspaceInput;
};


/** Every write; each needs an ADMIN key. Expected failures (FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, CONFLICT) come back in the payload as userErrors and change nothing. */
export type MutationSetModelLabelsArgs = {
  input: SetModelLabelsInput;
};


/** Every write; each needs an ADMIN key. Expected failures (FORBIDDEN, NOT_FOUND, INVALID_ARGUMENT, CONFLICT) come back in the payload as userErrors and change nothing. */
export type MutationSetModelStatusArgs = {
  input: SetModelStatusInput;
};

/** An object that can be fetched by its id alone with `node` or `nodes`: Workspace or Model. The prefix of the id names the type. */
export type Node = {
  /** The globally unique id: a prefixed ULID whose prefix names the type (ws_…, model_…). */
  id: Scalars['ID']['output'];
};

/** Sort direction. DESC reverses the whole key, the id that breaks ties included. */
export type OrderDirection =
  /** Smallest key first: oldest first for CREATED_AT, A to Z for NAME. */
  | 'ASC'
  /** Largest key first: newest first for CREATED_AT, Z to A for NAME. */
  | 'DESC';

/** Where a connection page starts and ends, and whether more items lie beyond it (Relay Cursor Connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last edge, to pass as `after` for the next page; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether items follow this page. Exact when paging forward with `first`; always false when paging with `last`. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede this page. Exact when paging backward with `last`; always false when paging with `first`. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first edge, to pass as `before` for the previous page; null on an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Every read. Everything returned belongs to the caller's account; ids of other accounts look like unknown ids (null). */
export type Query = {
  __typename?: 'Query';
  /** A model by id; null when the id is malformed, unknown, of another type or owned by another account. */
  model?: Maybe<Model>;
  /** A Workspace or Model by its id; null when the id is malformed, unknown, of a type that is not a Node, or owned by another account. */
  node?: Maybe<Node>;
  /** Workspaces and models by id, in the order of `ids`, with null where `node` would answer null; loaded in one batch per type. More than 100 ids is a BAD_USER_INPUT error. */
  nodes: Array<Maybe<Node>>;
  /** Who is calling: account, profile and role. */
  viewer: Viewer;
  /** A workspace by id; null when the id is malformed, unknown, of another type or owned by another account. */
  workspace?: Maybe<Workspace>;
  /** The workspaces of the caller's account, a page at a time, oldest first (creation time, then id). */
  workspaces: WorkspaceConnection;
};


/** Every read. Everything returned belongs to the caller's account; ids of other accounts look like unknown ids (null). */
export type QueryModelArgs = {
  id: Scalars['ID']['input'];
};


/** Every read. Everything returned belongs to the caller's account; ids of other accounts look like unknown ids (null). */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** Every read. Everything returned belongs to the caller's account; ids of other accounts look like unknown ids (null). */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/** Every read. Everything returned belongs to the caller's account; ids of other accounts look like unknown ids (null). */
export type QueryWorkspaceArgs = {
  id: Scalars['ID']['input'];
};


/** Every read. Everything returned belongs to the caller's account; ids of other accounts look like unknown ids (null). */
export type QueryWorkspacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** Identity, ownership, name and labels of a persistent, named resource, with the same fields as the REST resource. */
export type ResourceMetadata = {
  __typename?: 'ResourceMetadata';
  /** The owning account (tenant), a prefixed ULID (acct_…). */
  accountId: Scalars['String']['output'];
  /** The key of the configuration bundle that manages the resource; null when none does. */
  bundleKey?: Maybe<Scalars['String']['output']>;
  /** When the resource was created, at millisecond precision; the CREATED_AT order sorts by exactly this value. */
  createdAt: Scalars['DateTime']['output'];
  /** The id of the resource in an external system; for catalog models "provider/family", e.g. "anthropic/claude-sonnet-4.6". Null when unset. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** The prefixed ULID of the resource, e.g. model_01HX…; the same as the global id of the object it describes. */
  id: Scalars['ID']['output'];
  /** The labels, sorted by key; empty when none. setModelLabels replaces them. */
  labels: Array<Label>;
  /** A human-readable name to show, e.g. "Claude Sonnet 4.6"; the catalog may update it. */
  name: Scalars['String']['output'];
  /** The profile (prof_…) of the actor that created the resource (a user or an API key's service account); catalog models carry the creator of their workspace. */
  profileId: Scalars['String']['output'];
  /** Starts at 1 and increases by one with every change to the resource (a write that changes nothing leaves it): order observations and detect concurrent changes with it. */
  revision: Scalars['Int']['output'];
  /** The owning workspace, a prefixed ULID (ws_…). */
  workspaceId: Scalars['String']['output'];
};

/** What the caller (an API key, or a user signed in with OpenID Connect) may do. */
export type Role =
  /** Read everything of the account, and run every mutation. */
  | 'ADMIN'
  /** Read everything of the account; every mutation answers a FORBIDDEN user error. */
  | 'READER';

/** A model and the complete new set of its labels. */
export type SetModelLabelsInput = {
  /** Any string of yours, echoed in the payload to match answers to requests (text with NUL or ill-formed Unicode is an INVALID_ARGUMENT user error). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** The model to change (model_…); a malformed, unknown or foreign id is a NOT_FOUND user error. */
  id: Scalars['ID']['input'];
  /** Every label the model will have, replacing all it had: at most 64 pairs with distinct keys, in any order; [] removes them all. A bad pair is an INVALID_ARGUMENT user error naming it. */
  labels: Array<LabelInput>;
};

/** What setModelLabels did: the model after the change, or why nothing changed. */
export type SetModelLabelsPayload = {
  __typename?: 'SetModelLabelsPayload';
  /** The input's clientMutationId, unchanged; null when the input had none. */
  clientMutationId?: Maybe<Scalars['ID']['output']>;
  /** The model after the change (or unchanged, when it already had that value); null when userErrors is not empty. */
  model?: Maybe<Model>;
  /** Why nothing changed: empty on success, otherwise exactly one entry. */
  userErrors: Array<UserError>;
};

/** Which model gets which status. */
export type SetModelStatusInput = {
  /** Any string of yours, echoed in the payload to match answers to requests (text with NUL or ill-formed Unicode is an INVALID_ARGUMENT user error). */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** The model to change (model_…); a malformed, unknown or foreign id is a NOT_FOUND user error. */
  id: Scalars['ID']['input'];
  /** MODEL_STATUS_ENABLED or MODEL_STATUS_DISABLED; MODEL_STATUS_UNSPECIFIED is an INVALID_ARGUMENT user error. */
  status: ModelStatus;
};

/** What setModelStatus did: the model after the change, or why nothing changed. */
export type SetModelStatusPayload = {
  __typename?: 'SetModelStatusPayload';
  /** The input's clientMutationId, unchanged; null when the input had none. */
  clientMutationId?: Maybe<Scalars['ID']['output']>;
  /** The model after the change (or unchanged, when it already had that value); null when userErrors is not empty. */
  model?: Maybe<Model>;
  /** Why nothing changed: empty on success, otherwise exactly one entry. */
  userErrors: Array<UserError>;
};

/** Live events, over GraphQL over SSE (Accept: text/event-stream) or WebSocket (graphql-ws protocol). Authenticated and scoped like queries: only the caller's account's events. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The workspace's model status changes as they commit, in commit order, whoever made them (GraphQL, REST, bulk, the catalog sync) and on whichever server process. A write that leaves a status as it was sends nothing. A subscriber that falls more than 1,000 events behind gets one SUBSCRIPTION_LAGGED error and the stream ends: read the state again and resubscribe. */
  modelStatusChanged: ModelStatusChange;
};


/** Live events, over GraphQL over SSE (Accept: text/event-stream) or WebSocket (graphql-ws protocol). Authenticated and scoped like queries: only the caller's account's events. */
export type SubscriptionModelStatusChangedArgs = {
  workspaceId: Scalars['ID']['input'];
};

/** An expected failure of a mutation. When a payload holds one, its object is null and nothing was changed. */
export type UserError = {
  __typename?: 'UserError';
  /** Why, as a stable code to branch on. */
  code: UserErrorCode;
  /** The path of the offending input field, e.g. ["input", "labels", "0", "key"]; null when no single field is at fault. */
  field?: Maybe<Array<Scalars['String']['output']>>;
  /** A human-readable explanation in English, safe to show to users; its wording may change, so do not parse it. */
  message: Scalars['String']['output'];
};

/** Why a mutation did not apply: branch on this, not on the message. */
export type UserErrorCode =
  /** The change clashes with existing data: the account already has a workspace of that name. */
  | 'CONFLICT'
  /** The caller may not do this: a READER may not mutate. Checked before the input. */
  | 'FORBIDDEN'
  /** An input value breaks a rule (length, characters, MODEL_STATUS_UNSPECIFIED…); `field` names it. */
  | 'INVALID_ARGUMENT'
  /** The id is malformed, unknown, of another type or owned by another account (the answer never tells which). */
  | 'NOT_FOUND';

/** The caller, as identified by its API key or OpenID Connect access token. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The account (acct_…) everything the caller sees and changes belongs to. */
  accountId: Scalars['String']['output'];
  /** The profile (prof_…) the caller acts for: for an API key, the account owner's (the key made with the account) or the key's own service account; for a signed-in user, the user's own (one per issuer and subject). What the caller creates or changes carries it as profileId. */
  profileId: Scalars['String']['output'];
  /** What the caller may do: ADMIN reads and writes, READER only reads. */
  role: Role;
};

/** A workspace of an account: it holds a copy of every catalog model, each enabled or disabled on its own. */
export type Workspace = Node & {
  __typename?: 'Workspace';
  /** The owning account (tenant), a prefixed ULID (acct_…). */
  accountId: Scalars['String']['output'];
  /** When the workspace was created, at millisecond precision; `workspaces` lists oldest first by it. */
  createdAt: Scalars['DateTime']['output'];
  /** The prefixed ULID of the workspace, e.g. ws_01HX…; also its global id for `node`. */
  id: Scalars['ID']['output'];
  /** The labels given at creation, sorted by key; empty when none. */
  labels: Array<Label>;
  /** The models of this workspace, a page at a time: keyset cursors, so pages stay stable while models change; default order CREATED_AT ASC. Page sizes multiply down nested connections toward the 50,000-object limit. */
  models: ModelConnection;
  /** The name as stored (trimmed): 1–100 characters, unique within the account ignoring ASCII case. */
  name: Scalars['String']['output'];
};


/** A workspace of an account: it holds a copy of every catalog model, each enabled or disabled on its own. */
export type WorkspaceModelsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ModelFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ModelOrder>;
};

/** A page of the account's workspaces. */
export type WorkspaceConnection = {
  __typename?: 'WorkspaceConnection';
  /** The items of this page with their cursors, in the order of the connection (empty when nothing matches). */
  edges: Array<WorkspaceEdge>;
  /** The items of this page, in order, without cursors: for clients that page with pageInfo alone. */
  nodes: Array<Workspace>;
  /** Cursors of the page ends and whether more items lie beyond them. */
  pageInfo: PageInfo;
  /** How many workspaces the account has, on every page together. Costs nothing when not selected. */
  totalCount: Scalars['Int']['output'];
};

/** A workspace of the page and the cursor that points at it. */
export type WorkspaceEdge = {
  __typename?: 'WorkspaceEdge';
  /** An opaque cursor pointing at this item: pass it as `after` or `before` to page from here. Valid only for the same connection and orderBy; don't parse it. */
  cursor: Scalars['String']['output'];
  /** The item of this edge. */
  node: Workspace;
};

export type ModelByIdQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ModelByIdQuery = { __typename?: 'Query', model?: (
    { __typename?: 'Model' }
    & { ' $fragmentRefs'?: { 'ModelFieldsFragment': ModelFieldsFragment } }
  ) | null };

export type ModelFieldsFragment = { __typename?: 'Model', id: string, metadata: { __typename?: 'ResourceMetadata', name: string, createdAt: string, profileId: string, workspaceId: string, bundleKey?: string | null, externalId?: string | null, revision: number, labels: Array<{ __typename?: 'Label', key: string, value: string }> }, spec: { __typename?: 'ModelSpec', provider: string, family: string, status: ModelStatus, inputPricePerMillionTokens?: string | null, outputPricePerMillionTokens?: string | null, maxInputTokens?: number | null, maxOutputTokens?: number | null } } & { ' $fragmentName'?: 'ModelFieldsFragment' };

export type SetModelStatusMutationVariables = Exact<{
  input: SetModelStatusInput;
}>;


export type SetModelStatusMutation = { __typename?: 'Mutation', setModelStatus: { __typename?: 'SetModelStatusPayload', clientMutationId?: string | null, model?: (
      { __typename?: 'Model' }
      & { ' $fragmentRefs'?: { 'ModelFieldsFragment': ModelFieldsFragment } }
    ) | null, userErrors: Array<{ __typename?: 'UserError', code: UserErrorCode, field?: Array<string> | null, message: string }> } };

export type WorkspaceModelsQueryVariables = Exact<{
  workspaceId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type WorkspaceModelsQuery = { __typename?: 'Query', workspace?: { __typename?: 'Workspace', id: string, name: string, models: { __typename?: 'ModelConnection', totalCount: number, edges: Array<{ __typename?: 'ModelEdge', cursor: string, node: (
          { __typename?: 'Model' }
          & { ' $fragmentRefs'?: { 'ModelFieldsFragment': ModelFieldsFragment } }
        ) }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export const ModelFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Model"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"profileId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"bundleKey"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"revision"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"spec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"family"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"inputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxInputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxOutputTokens"}}]}}]}}]} as unknown as DocumentNode<ModelFieldsFragment, unknown>;
export const ModelByIdDocument = {"__meta__":{"hash":"bafe921a00434b1171ce949e973c2fc821be8ef175d42a8a4b56e5a8a5990ac6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModelById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ModelFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Model"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"profileId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"bundleKey"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"revision"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"spec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"family"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"inputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxInputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxOutputTokens"}}]}}]}}]} as unknown as DocumentNode<ModelByIdQuery, ModelByIdQueryVariables>;
export const SetModelStatusDocument = {"__meta__":{"hash":"d0a25ca3c14c5dc7ede3e1af83069fcafe5b55d4a6b65d8d3af174bcc6e2c822"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetModelStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetModelStatusInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setModelStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"model"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ModelFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clientMutationId"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Model"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"profileId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"bundleKey"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"revision"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"spec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"family"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"inputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxInputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxOutputTokens"}}]}}]}}]} as unknown as DocumentNode<SetModelStatusMutation, SetModelStatusMutationVariables>;
export const WorkspaceModelsDocument = {"__meta__":{"hash":"2ea108675102ea86d67fac92dd285a8e0f84e4f3521cf0a3122e586f43b8bcdb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceModels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workspace"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"workspaceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"models"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ModelFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ModelFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Model"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"profileId"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceId"}},{"kind":"Field","name":{"kind":"Name","value":"bundleKey"}},{"kind":"Field","name":{"kind":"Name","value":"externalId"}},{"kind":"Field","name":{"kind":"Name","value":"revision"}},{"kind":"Field","name":{"kind":"Name","value":"labels"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"spec"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"family"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"inputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"outputPricePerMillionTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxInputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"maxOutputTokens"}}]}}]}}]} as unknown as DocumentNode<WorkspaceModelsQuery, WorkspaceModelsQueryVariables>;