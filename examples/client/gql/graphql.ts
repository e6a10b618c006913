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

/** Input of createWorkspace. */
export type CreateWorkspaceInput = {
  /** Any value; echoed back in the payload. */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** Labels of the workspace. */
  labels?: InputMaybe<Array<LabelInput>>;
  /** The name: 1–100 characters after trimming, unique in the account. */
  name: Scalars['String']['input'];
};

/** The result of createWorkspace. */
export type CreateWorkspacePayload = {
  __typename?: 'CreateWorkspacePayload';
  /** The clientMutationId of the input, echoed. */
  clientMutationId?: Maybe<Scalars['ID']['output']>;
  /** Why nothing was created; empty on success. */
  userErrors: Array<UserError>;
  /** The new workspace; null when userErrors is not empty. */
  workspace?: Maybe<Workspace>;
};

/** A key/value label, e.g. environment=production. */
export type Label = {
  __typename?: 'Label';
  /** The key: 1–63 characters of [a-z0-9._/-]. */
  key: Scalars['String']['output'];
  /** The value: at most 255 characters. */
  value: Scalars['String']['output'];
};

/** A label to set or to match. */
export type LabelInput = {
  /** The key: 1–63 characters of [a-z0-9._/-]. */
  key: Scalars['String']['input'];
  /** The value: at most 255 characters. */
  value: Scalars['String']['input'];
};

/** An LLM model (a provider/family pair) as available to one workspace. */
export type Model = Node & {
  __typename?: 'Model';
  /** The prefixed ULID of the model, e.g. model_01HX…. */
  id: Scalars['ID']['output'];
  /** Identity, ownership, name and labels. */
  metadata: ResourceMetadata;
  /** Provider, family, prices, limits and status. */
  spec: ModelSpec;
  /** The workspace the model belongs to. */
  workspace: Workspace;
};

/** A page of models. */
export type ModelConnection = {
  __typename?: 'ModelConnection';
  /** The edges of this page, in order. */
  edges: Array<ModelEdge>;
  /** The nodes of the edges, for clients that need no cursors. */
  nodes: Array<Model>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
  /** How many models match the filter in the whole connection (not just this page). */
  totalCount: Scalars['Int']['output'];
};

/** A model and its cursor. */
export type ModelEdge = {
  __typename?: 'ModelEdge';
  /** An opaque cursor for this edge, valid for the same connection and order only. */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge. */
  node: Model;
};

/** Conditions on models; every given condition must hold. */
export type ModelFilter = {
  /** Only models managed by this configuration bundle. */
  bundleKey?: InputMaybe<Scalars['String']['input']>;
  /** Only models of this family (exact match). */
  family?: InputMaybe<Scalars['String']['input']>;
  /** Only models carrying every one of these labels. */
  labels?: InputMaybe<Array<LabelInput>>;
  /** Only models of this provider (exact match). */
  provider?: InputMaybe<Scalars['String']['input']>;
  /** A case-insensitive (ASCII) substring of the name, provider or family; "%" and "_" match literally. */
  search?: InputMaybe<Scalars['String']['input']>;
  /** Only models with this status. */
  status?: InputMaybe<ModelStatus>;
};

/** How to sort models. */
export type ModelOrder = {
  /** The direction. */
  direction: OrderDirection;
  /** The sort key. */
  field: ModelOrderField;
};

/** The key models are sorted by; ties are broken by id. */
export type ModelOrderField =
  /** Creation time. */
  | 'CREATED_AT'
  /** Name, with ASCII letters folded to lower case, otherwise by code point. */
  | 'NAME'
  /** Provider, then family, by code point. */
  | 'PROVIDER';

/** What a model is, what it costs and whether it is enabled. */
export type ModelSpec = {
  __typename?: 'ModelSpec';
  /** The model family, e.g. "claude-sonnet-4.6". */
  family: Scalars['String']['output'];
  /** Cents per million input tokens, as an exact decimal string: "300" is $3.00, "7.5" is $0.075. */
  inputPricePerMillionTokens?: Maybe<Scalars['String']['output']>;
  /** The largest input (context) in tokens. */
  maxInputTokens?: Maybe<Scalars['Int']['output']>;
  /** The largest output in tokens. */
  maxOutputTokens?: Maybe<Scalars['Int']['output']>;
  /** Cents per million output tokens, as an exact decimal string. */
  outputPricePerMillionTokens?: Maybe<Scalars['String']['output']>;
  /** The provider, e.g. "anthropic", "openai", "google". */
  provider: Scalars['String']['output'];
  /** Whether the workspace may use the model. */
  status: ModelStatus;
};

/** Whether a workspace may use a model. */
export type ModelStatus =
  /** The workspace may not use the model. */
  | 'MODEL_STATUS_DISABLED'
  /** The workspace may use the model. */
  | 'MODEL_STATUS_ENABLED'
  /** No status: never set by this API, and refused as an input. */
  | 'MODEL_STATUS_UNSPECIFIED';

/** The root of every write. Expected failures come back as userErrors. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Creates a workspace seeded with every supported model, enabled. */
  createWorkspace: CreateWorkspacePayload;
  /** Replaces all of a model's labels: at most 64 pairs with distinct keys. */
  setModelLabels: SetModelLabelsPayload;
  /** Enables or disables a model in its workspace. Setting the status it already has succeeds and changes nothing. */
  setModelStatus: SetModelStatusPayload;
};


/** The root of every write. Expected failures come back as userErrors. */
export type MutationCreateWorkspaceArgs = {
  input: CreateWorkspaceInput;
};


/** The root of every write. Expected failures come back as userErrors. */
export type MutationSetModelLabelsArgs = {
  input: SetModelLabelsInput;
};


/** The root of every write. Expected failures come back as userErrors. */
export type MutationSetModelStatusArgs = {
  input: SetModelStatusInput;
};

/** An object with a globally unique id: the prefix of the id names its type. */
export type Node = {
  /** The globally unique id: a prefixed ULID whose prefix names the type. */
  id: Scalars['ID']['output'];
};

/** Sort direction; DESC reverses the whole key, id included. */
export type OrderDirection =
  /** Ascending. */
  | 'ASC'
  /** Descending. */
  | 'DESC';

/** Pagination state of a connection page (Relay Cursor Connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of the last edge; null on an empty page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. Exact when paginating with `first`. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede this page. Exact when paginating with `last`. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the first edge; null on an empty page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** The root of every read. */
export type Query = {
  __typename?: 'Query';
  /** A model by id; null when the id is malformed, unknown, of another type or owned by another account. */
  model?: Maybe<Model>;
  /** Any object by its id; null when the id is malformed, unknown, or owned by another account. */
  node?: Maybe<Node>;
  /** Objects by id, in the order of `ids` (null where not found); at most 100 ids, loaded in one batch per type. */
  nodes: Array<Maybe<Node>>;
  /** Who is calling. */
  viewer: Viewer;
  /** A workspace by id; null when the id is malformed, unknown, of another type or owned by another account. */
  workspace?: Maybe<Workspace>;
  /** The caller's workspaces, oldest first. */
  workspaces: WorkspaceConnection;
};


/** The root of every read. */
export type QueryModelArgs = {
  id: Scalars['ID']['input'];
};


/** The root of every read. */
export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


/** The root of every read. */
export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


/** The root of every read. */
export type QueryWorkspaceArgs = {
  id: Scalars['ID']['input'];
};


/** The root of every read. */
export type QueryWorkspacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};

/** Standard metadata of a persistent, named resource. */
export type ResourceMetadata = {
  __typename?: 'ResourceMetadata';
  /** The owning account (tenant), a prefixed ULID. */
  accountId: Scalars['String']['output'];
  /** Set when a configuration bundle manages the resource. */
  bundleKey?: Maybe<Scalars['String']['output']>;
  /** When the resource was created (millisecond precision). */
  createdAt: Scalars['DateTime']['output'];
  /** The id in an external system; for catalog models, "provider/family". */
  externalId?: Maybe<Scalars['String']['output']>;
  /** The prefixed ULID of the resource, e.g. model_01HX…; also its global id. */
  id: Scalars['ID']['output'];
  /** Labels, sorted by key. */
  labels: Array<Label>;
  /** A human-readable name, e.g. "Claude Sonnet 4.6". */
  name: Scalars['String']['output'];
  /** The actor (user or service account) that created the resource. */
  profileId: Scalars['String']['output'];
  /** Starts at 1 and increases by one with every change to the resource (a write that changes nothing leaves it): order observations and detect concurrent changes with it. */
  revision: Scalars['Int']['output'];
  /** The owning workspace, a prefixed ULID. */
  workspaceId: Scalars['String']['output'];
};

/** What an API key may do. */
export type Role =
  /** Read and mutate. */
  | 'ADMIN'
  /** Read only. */
  | 'READER';

/** Input of setModelLabels. */
export type SetModelLabelsInput = {
  /** Any value; echoed back in the payload. */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** The model to change. */
  id: Scalars['ID']['input'];
  /** The complete new set of labels (replaces all). */
  labels: Array<LabelInput>;
};

/** The result of setModelLabels. */
export type SetModelLabelsPayload = {
  __typename?: 'SetModelLabelsPayload';
  /** The clientMutationId of the input, echoed. */
  clientMutationId?: Maybe<Scalars['ID']['output']>;
  /** The model after the change; null when userErrors is not empty. */
  model?: Maybe<Model>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** Input of setModelStatus. */
export type SetModelStatusInput = {
  /** Any value; echoed back in the payload. */
  clientMutationId?: InputMaybe<Scalars['ID']['input']>;
  /** The model to change. */
  id: Scalars['ID']['input'];
  /** The new status: ENABLED or DISABLED. */
  status: ModelStatus;
};

/** The result of setModelStatus. */
export type SetModelStatusPayload = {
  __typename?: 'SetModelStatusPayload';
  /** The clientMutationId of the input, echoed. */
  clientMutationId?: Maybe<Scalars['ID']['output']>;
  /** The model after the change; null when userErrors is not empty. */
  model?: Maybe<Model>;
  /** Why nothing changed; empty on success. */
  userErrors: Array<UserError>;
};

/** An expected failure of a mutation: nothing was changed. */
export type UserError = {
  __typename?: 'UserError';
  /** A machine-readable reason. */
  code: UserErrorCode;
  /** The path of the offending input field, e.g. ["input", "labels", "0", "key"]; null when no single field is at fault. */
  field?: Maybe<Array<Scalars['String']['output']>>;
  /** A human-readable explanation, safe to show to users. */
  message: Scalars['String']['output'];
};

/** Why a mutation did not apply. */
export type UserErrorCode =
  /** The change clashes with existing data, e.g. a duplicate workspace name. */
  | 'CONFLICT'
  /** The API key may not do this (reader keys may not mutate). */
  | 'FORBIDDEN'
  /** An input value breaks a rule; `field` names it. */
  | 'INVALID_ARGUMENT'
  /** The id is malformed, unknown, of another type or owned by another account. */
  | 'NOT_FOUND';

/** The caller, as identified by its API key. */
export type Viewer = {
  __typename?: 'Viewer';
  /** The account (tenant) everything the caller sees belongs to. */
  accountId: Scalars['String']['output'];
  /** The profile (user or service account) of the API key. */
  profileId: Scalars['String']['output'];
  /** What the key may do. */
  role: Role;
};

/** A workspace of an account: it holds the account's models, each enabled or disabled. */
export type Workspace = Node & {
  __typename?: 'Workspace';
  /** The owning account (tenant), a prefixed ULID. */
  accountId: Scalars['String']['output'];
  /** When the workspace was created. */
  createdAt: Scalars['DateTime']['output'];
  /** The prefixed ULID of the workspace, e.g. ws_01HX…. */
  id: Scalars['ID']['output'];
  /** Labels, sorted by key. */
  labels: Array<Label>;
  /** The models of this workspace, a page at a time (keyset cursors; default order CREATED_AT ASC). */
  models: ModelConnection;
  /** The name, unique within the account (ignoring ASCII case). */
  name: Scalars['String']['output'];
};


/** A workspace of an account: it holds the account's models, each enabled or disabled. */
export type WorkspaceModelsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ModelFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<ModelOrder>;
};

/** A page of workspaces. */
export type WorkspaceConnection = {
  __typename?: 'WorkspaceConnection';
  /** The edges of this page, in order. */
  edges: Array<WorkspaceEdge>;
  /** The nodes of the edges, for clients that need no cursors. */
  nodes: Array<Workspace>;
  /** Where this page sits in the whole list. */
  pageInfo: PageInfo;
  /** How many workspaces the account has. */
  totalCount: Scalars['Int']['output'];
};

/** A workspace and its cursor. */
export type WorkspaceEdge = {
  __typename?: 'WorkspaceEdge';
  /** An opaque cursor for this edge, valid for the same connection and order only. */
  cursor: Scalars['String']['output'];
  /** The item at the end of the edge. */
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