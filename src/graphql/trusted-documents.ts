import { readFileSync } from 'node:fs';
import { GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

/**
 * Trusted documents (DESIGN.md, "Trusted documents"): with a manifest, the
 * server runs only the operations a frontend was built with, named by id.
 * The manifest is what graphql-codegen's client preset writes
 * (`persisted-documents.json`): a JSON object of document id → document text.
 *
 * Every path reads ids the same way (`documentIdOf`): yoga's
 * persisted-operations plugin (POST and GET, and subscriptions over SSE),
 * which answers every refusal, and the front door's fast path, which runs a
 * trusted document compiled once it is warm and hands anything else to yoga.
 */
export interface TrustedDocuments {
  /** The document text of an id, if the manifest has it. */
  get(id: string): string | undefined;
  readonly size: number;
}

/**
 * Reads and checks a manifest: a JSON object of non-empty ids to documents
 * that parse and validate against the schema. Every problem is reported at
 * once, as the settings are: a manifest that cannot run is a deployment
 * mistake, found at start rather than by a user.
 */
export function loadTrustedDocuments(file: string, schema: GraphQLSchema): TrustedDocuments | string[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return [`TRUSTED_DOCUMENTS: cannot read ${file} as JSON: ${(error as Error).message}`];
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return [`TRUSTED_DOCUMENTS: ${file} must hold a JSON object of document ids to document texts`];
  }
  const problems: string[] = [];
  const documents = new Map<string, string>();
  for (const [id, text] of Object.entries(manifest)) {
    const where = `TRUSTED_DOCUMENTS: document "${id}"`;
    if (id.trim() === '') problems.push(`TRUSTED_DOCUMENTS: a document has an empty id`);
    else if (typeof text !== 'string') problems.push(`${where} is not a string`);
    else {
      const errors = checkDocument(text, schema);
      if (errors.length > 0) problems.push(`${where} does not run against this schema: ${errors.join('; ')}`);
      else documents.set(id, text);
    }
  }
  if (problems.length > 0) return problems;
  if (documents.size === 0) return [`TRUSTED_DOCUMENTS: ${file} holds no documents, so nothing could run`];
  return { get: (id) => documents.get(id), size: documents.size };
}

function checkDocument(text: string, schema: GraphQLSchema): string[] {
  try {
    return validate(schema, parse(text)).map((error) => error.message);
  } catch (error) {
    return [(error as Error).message];
  }
}

/** A request's GraphQL parameters, as a client sent them. */
export interface RequestParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/**
 * The document id a request names: `documentId` (GraphQL over HTTP's
 * persisted documents), else `extensions.persistedQuery.sha256Hash` (version
 * 1, the form Apollo's and urql's persisted-query links send).
 */
export function documentIdOf(params: RequestParams): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  const persisted = isObject(params.extensions) ? params.extensions['persistedQuery'] : undefined;
  if (isObject(persisted) && persisted['version'] === 1 && typeof persisted['sha256Hash'] === 'string') return persisted['sha256Hash'];
  return null;
}

/**
 * The text a request runs under trusted documents: the manifest's document of
 * the id it names, when it sends no query text of its own. Undefined: yoga's
 * plugin refuses it (the front door's fast path hands it over).
 */
export function trustedText(documents: TrustedDocuments, params: RequestParams): string | undefined {
  if (params.query != null) return undefined;
  const id = documentIdOf(params);
  return id === null ? undefined : documents.get(id);
}

/**
 * Yoga's persisted-operations plugin over the manifest, with the contract's
 * errors. A GET request's `documentId` is read from its query string (yoga's
 * GET parser keeps only query, variables, operationName and extensions).
 */
export function useTrustedDocuments(documents: TrustedDocuments): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId: (params, request) =>
      documentIdOf(request.method === 'GET' ? { ...params, documentId: new URL(request.url).searchParams.get('documentId') } : params),
    getPersistedOperation: (id) => documents.get(id) ?? null,
    customErrors: refusals,
  }) as Plugin;
}

/** Why a request does not run under trusted documents: the same errors on every path. */
const refusals = {
  persistedQueryOnly: () =>
    new GraphQLError('This server runs trusted documents only: send the id of a document it was deployed with in `documentId`, not a query.', {
      extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 400 } },
    }),
  keyNotFound: () =>
    new GraphQLError('Send the id of a trusted document in `documentId` (or `extensions.persistedQuery.sha256Hash`).', {
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
    }),
  notFound: () =>
    new GraphQLError('No trusted document has this id: the client was built with operations this server was not deployed with.', {
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } },
    }),
};

/**
 * The text an operation outside yoga's HTTP pipeline runs (the WebSocket's),
 * by the rule yoga's plugin applies: with a manifest, only a document it
 * names by id; without one, the operation's own text.
 */
export function operationText(documents: TrustedDocuments | null, params: RequestParams): string | GraphQLError {
  if (!documents) return typeof params.query === 'string' ? params.query : refusals.keyNotFound();
  if (params.query != null) return refusals.persistedQueryOnly();
  const id = documentIdOf(params);
  if (id === null) return refusals.keyNotFound();
  return documents.get(id) ?? refusals.notFound();
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
