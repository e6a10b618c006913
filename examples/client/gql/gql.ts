/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ModelById($id: ID!) {\n  model(id: $id) {\n    ...ModelFields\n  }\n}": typeof types.ModelByIdDocument,
    "fragment ModelFields on Model {\n  id\n  metadata {\n    name\n    createdAt\n    profileId\n    workspaceId\n    bundleKey\n    externalId\n    revision\n    labels {\n      key\n      value\n    }\n  }\n  spec {\n    provider\n    family\n    status\n    inputPricePerMillionTokens\n    outputPricePerMillionTokens\n    maxInputTokens\n    maxOutputTokens\n  }\n}": typeof types.ModelFieldsFragmentDoc,
    "mutation SetModelStatus($input: SetModelStatusInput!) {\n  setModelStatus(input: $input) {\n    model {\n      ...ModelFields\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n    clientMutationId\n  }\n}": typeof types.SetModelStatusDocument,
    "query WorkspaceModels($workspaceId: ID!, $first: Int, $after: String) {\n  workspace(id: $workspaceId) {\n    id\n    name\n    models(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ModelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.WorkspaceModelsDocument,
};
const documents: Documents = {
    "query ModelById($id: ID!) {\n  model(id: $id) {\n    ...ModelFields\n  }\n}": types.ModelByIdDocument,
    "fragment ModelFields on Model {\n  id\n  metadata {\n    name\n    createdAt\n    profileId\n    workspaceId\n    bundleKey\n    externalId\n    revision\n    labels {\n      key\n      value\n    }\n  }\n  spec {\n    provider\n    family\n    status\n    inputPricePerMillionTokens\n    outputPricePerMillionTokens\n    maxInputTokens\n    maxOutputTokens\n  }\n}": types.ModelFieldsFragmentDoc,
    "mutation SetModelStatus($input: SetModelStatusInput!) {\n  setModelStatus(input: $input) {\n    model {\n      ...ModelFields\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n    clientMutationId\n  }\n}": types.SetModelStatusDocument,
    "query WorkspaceModels($workspaceId: ID!, $first: Int, $after: String) {\n  workspace(id: $workspaceId) {\n    id\n    name\n    models(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ModelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.WorkspaceModelsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ModelById($id: ID!) {\n  model(id: $id) {\n    ...ModelFields\n  }\n}"): (typeof documents)["query ModelById($id: ID!) {\n  model(id: $id) {\n    ...ModelFields\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ModelFields on Model {\n  id\n  metadata {\n    name\n    createdAt\n    profileId\n    workspaceId\n    bundleKey\n    externalId\n    revision\n    labels {\n      key\n      value\n    }\n  }\n  spec {\n    provider\n    family\n    status\n    inputPricePerMillionTokens\n    outputPricePerMillionTokens\n    maxInputTokens\n    maxOutputTokens\n  }\n}"): (typeof documents)["fragment ModelFields on Model {\n  id\n  metadata {\n    name\n    createdAt\n    profileId\n    workspaceId\n    bundleKey\n    externalId\n    revision\n    labels {\n      key\n      value\n    }\n  }\n  spec {\n    provider\n    family\n    status\n    inputPricePerMillionTokens\n    outputPricePerMillionTokens\n    maxInputTokens\n    maxOutputTokens\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetModelStatus($input: SetModelStatusInput!) {\n  setModelStatus(input: $input) {\n    model {\n      ...ModelFields\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n    clientMutationId\n  }\n}"): (typeof documents)["mutation SetModelStatus($input: SetModelStatusInput!) {\n  setModelStatus(input: $input) {\n    model {\n      ...ModelFields\n    }\n    userErrors {\n      code\n      field\n      message\n    }\n    clientMutationId\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WorkspaceModels($workspaceId: ID!, $first: Int, $after: String) {\n  workspace(id: $workspaceId) {\n    id\n    name\n    models(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ModelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query WorkspaceModels($workspaceId: ID!, $first: Int, $after: String) {\n  workspace(id: $workspaceId) {\n    id\n    name\n    models(first: $first, after: $after) {\n      totalCount\n      edges {\n        cursor\n        node {\n          ...ModelFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;