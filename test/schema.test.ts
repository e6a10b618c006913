import { readFileSync } from 'node:fs';
import {
  buildSchema,
  findBreakingChanges,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema/index.ts';
import { printedSchema, SCHEMA_FILE } from '../src/print-schema.ts';

// The contract's SDL, as written in shared/DESIGN.md: the printed schema must contain all of it.
const CONTRACT_SDL = /* GraphQL */ `
  interface Node { id: ID! }
  type Query {
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    viewer: Viewer!
    workspaces(first: Int, after: String, last: Int, before: String): WorkspaceConnection!
    workspace(id: ID!): Workspace
    model(id: ID!): Model
  }
  type Mutation {
    setModelStatus(input: SetModelStatusInput!): SetModelStatusPayload!
    setModelLabels(input: SetModelLabelsInput!): SetModelLabelsPayload!
    createWorkspace(input: CreateWorkspaceInput!): CreateWorkspacePayload!
  }
  type Viewer { profileId: String!  accountId: String!  role: Role! }
  enum Role { ADMIN READER }
  type Workspace implements Node {
    id: ID!  name: String!  accountId: String!  createdAt: DateTime!  labels: [Label!]!
    models(first: Int, after: String, last: Int, before: String, filter: ModelFilter, orderBy: ModelOrder): ModelConnection!
  }
  type Model implements Node { id: ID!  metadata: ResourceMetadata!  spec: ModelSpec!  workspace: Workspace! }
  type ResourceMetadata {
    id: ID!  accountId: String!  createdAt: DateTime!  name: String!  profileId: String!  workspaceId: String!
    bundleKey: String  externalId: String  labels: [Label!]!
  }
  type Label { key: String!  value: String! }
  type ModelSpec {
    provider: String!  family: String!  status: ModelStatus!
    inputPricePerMillionTokens: String  outputPricePerMillionTokens: String
    maxInputTokens: Int  maxOutputTokens: Int
  }
  enum ModelStatus { MODEL_STATUS_UNSPECIFIED MODEL_STATUS_ENABLED MODEL_STATUS_DISABLED }
  type ModelConnection { edges: [ModelEdge!]!  nodes: [Model!]!  pageInfo: PageInfo!  totalCount: Int! }
  type ModelEdge { cursor: String!  node: Model! }
  type WorkspaceConnection { edges: [WorkspaceEdge!]!  nodes: [Workspace!]!  pageInfo: PageInfo!  totalCount: Int! }
  type WorkspaceEdge { cursor: String!  node: Workspace! }
  type PageInfo { hasNextPage: Boolean!  hasPreviousPage: Boolean!  startCursor: String  endCursor: String }
  input ModelFilter {
    status: ModelStatus  provider: String  family: String  bundleKey: String  labels: [LabelInput!]  search: String
  }
  input LabelInput { key: String!  value: String! }
  input ModelOrder { field: ModelOrderField!  direction: OrderDirection! }
  enum ModelOrderField { CREATED_AT NAME PROVIDER }
  enum OrderDirection { ASC DESC }
  input SetModelStatusInput { id: ID!  status: ModelStatus!  clientMutationId: ID }
  type SetModelStatusPayload { model: Model  userErrors: [UserError!]!  clientMutationId: ID }
  input SetModelLabelsInput { id: ID!  labels: [LabelInput!]!  clientMutationId: ID }
  type SetModelLabelsPayload { model: Model  userErrors: [UserError!]!  clientMutationId: ID }
  input CreateWorkspaceInput { name: String!  labels: [LabelInput!]  clientMutationId: ID }
  type CreateWorkspacePayload { workspace: Workspace  userErrors: [UserError!]!  clientMutationId: ID }
  type UserError { code: UserErrorCode!  field: [String!]  message: String! }
  enum UserErrorCode { NOT_FOUND FORBIDDEN INVALID_ARGUMENT CONFLICT }
  scalar DateTime
`;

describe('schema.graphql', () => {
  it('is the printed schema (run `npm run schema:print` after changing the schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printedSchema());
  });

  it('contains the whole contract: no breaking change from the SDL of DESIGN.md', () => {
    const contract = buildSchema(CONTRACT_SDL);
    const ours = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
    // A client written against the contract must keep working against ours.
    expect(findBreakingChanges(contract, ours)).toEqual([]);
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undocumented(schema)).toEqual([]);
  });

  it('names every element without a description', () => {
    const bare = buildSchema(/* GraphQL */ `
      """Documented."""
      type Query { a(x: Int): E  """Documented."""  b: String }
      enum E { ONE """Documented.""" TWO }
      input I { f: Int }
      directive @d(y: Int) on FIELD
    `);
    expect(undocumented(bare)).toEqual(['Query.a', 'Query.a(x:)', 'E', 'E.ONE', 'I', 'I.f', '@d', '@d(y:)']);
  });
});

/** What GraphiQL and codegen users would see without a description; built-in scalars and `__` types are exempt. */
function undocumented(built: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (element: { description?: string | null | undefined }, name: string) => {
    if (!element.description?.trim()) missing.push(name);
  };
  const checkArgs = (args: readonly GraphQLArgument[], owner: string) => {
    for (const arg of args) check(arg, `${owner}(${arg.name}:)`);
  };
  for (const type of Object.values(built.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    check(type, type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(field, `${type.name}.${field.name}`);
        checkArgs(field.args, `${type.name}.${field.name}`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(field, `${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(value, `${type.name}.${value.name}`);
    }
  }
  for (const directive of built.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    check(directive, `@${directive.name}`);
    checkArgs(directive.args, `@${directive.name}`);
  }
  return missing;
}
