import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type DocumentNode } from 'graphql';

/**
 * How an operation travels: its text in `query`, or only its id in
 * `documentId` (the sha256 codegen put in the document's `__meta__.hash` and
 * in persisted-documents.json), for a server that runs trusted documents only.
 */
export type SendAs = 'text' | 'id';

export interface Endpoint {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string;
  apiKey: string;
  sendAs: SendAs;
}

export type RequestBody<Variables> =
  | { query: string; operationName: string; variables: Variables }
  | { documentId: string; operationName: string; variables: Variables };

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A request that brought no data: the server unreachable, or an answer with errors. */
export class RequestError extends Error {
  override name = 'RequestError';
  constructor(
    message: string,
    /** The HTTP status; null when no answer came. */
    readonly status: number | null,
    readonly errors: readonly GraphQLErrorEntry[] = [],
  ) {
    super(message);
  }
}

function operationName(document: DocumentNode): string {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) return definition.name.value;
  }
  throw new Error('The document has no named operation.');
}

/** The id codegen's `persistedDocuments` option stored on an operation's document. */
export function documentId(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') throw new Error(`The document of ${operationName(document)} has no id: generate it with persistedDocuments on.`);
  return hash;
}

export function requestBody<Data, Variables>(document: TypedDocumentNode<Data, Variables>, variables: Variables, sendAs: SendAs): RequestBody<Variables> {
  const name = operationName(document);
  return sendAs === 'id'
    ? { documentId: documentId(document), operationName: name, variables }
    : { query: print(document), operationName: name, variables };
}

const describe = (error: GraphQLErrorEntry) => (error.extensions?.code ? `${error.message} (${error.extensions.code})` : error.message);

/** Runs one operation; resolves with its data, or rejects with a RequestError. */
export async function request<Data, Variables>(endpoint: Endpoint, document: TypedDocumentNode<Data, Variables>, variables: Variables): Promise<Data> {
  const name = operationName(document);
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${endpoint.apiKey}`,
      },
      body: JSON.stringify(requestBody(document, variables, endpoint.sendAs)),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new RequestError(`${name}: cannot reach ${endpoint.url}: ${cause}`, null);
  }
  const text = await response.text();
  let body: { data?: Data | null; errors?: GraphQLErrorEntry[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new RequestError(`${name}: HTTP ${response.status}, and the answer is not JSON: ${text.slice(0, 200)}`, response.status);
  }
  const errors = body.errors ?? [];
  if (errors.length > 0) throw new RequestError(`${name}: ${errors.map(describe).join('; ')}`, response.status, errors);
  if (!response.ok || body.data == null) throw new RequestError(`${name}: HTTP ${response.status} without data`, response.status);
  return body.data;
}
