import type { IncomingMessage, ServerResponse } from 'node:http';
import { getCORSHeadersByRequestAndOptions, type CORSOptions } from '@whatwg-node/server';
import type { ExecutionResult } from 'graphql';
import type { CompiledQueries } from '../graphql/compiled-queries.ts';
import type { Context } from '../graphql/context.ts';
import { trustedText, type RequestParams, type TrustedDocuments } from '../graphql/trusted-documents.ts';

/**
 * The GraphQL fast path of the front door: answers a compiled query straight
 * from node:http, and hands every other GraphQL request to yoga untouched.
 *
 * Yoga serves node:http through the fetch API: each request becomes a
 * Request with its Headers and body stream, goes through the server
 * adapter's and yoga's hooks, and comes back as a Response copied onto the
 * node response. For a query already compiled, that plumbing costs more than
 * running the query. This path does what yoga would do for such a request,
 * and nothing else: it reads the JSON body, runs the compiled operation
 * (compiled-queries.ts; its own checks: the viewer and the objects limit),
 * and writes the same status, headers and body yoga writes for a result
 * without errors, CORS headers included (the front door has set the request id).
 *
 * Under trusted documents it runs the document a request names by id (and
 * a query sent as text goes to yoga, which refuses it).
 *
 * Anything else goes to yoga as it arrived: another method, path or content
 * type, an Accept header yoga would not answer with JSON, a body with no
 * Content-Length or too large, parameters yoga would refuse, an operation not
 * compiled yet, no viewer, too many objects, or any error. A body already
 * read goes along with the request, so yoga reads the same bytes.
 * test/graphql-fast-path.test.ts compares both paths byte for byte.
 */
export interface FastPathParts {
  endpoint: string;
  /** Bodies longer than this go to yoga unread (it enforces the body limit). */
  maxBodyBytes: number;
  cors: CORSOptions;
  find: CompiledQueries['find'];
  run: CompiledQueries['run'];
  /** Trusted documents, when the server runs only those: a request's text is then its document's. */
  trusted: TrustedDocuments | null;
  /** The request's context (http/app.ts's scopeFor: yoga, given the request, reuses its identity). */
  context(authorization: string | null, requestId: string, request: IncomingMessage): Promise<Context>;
}

/**
 * A fast path of the front door (this one, http/rest-fast-path.ts): answers
 * a request it can, with `requestId`, the id the front door gave it, or
 * passes it `onward` to the surface behind it (yoga, fets), untouched.
 */
export type FastPath = (request: IncomingMessage, response: ServerResponse, requestId: string, onward: () => void) => void;

/** Bodies up to this are read before deciding; a query with its variables is typically well under 10 KiB. */
const DIRECT_BODY_BYTES = 64 * 1024;

export function createFastPath(parts: FastPathParts): FastPath {
  const maxBody = Math.min(parts.maxBodyBytes, DIRECT_BODY_BYTES);
  return (request, response, requestId, onward) => {
    const mediaType = request.method === 'POST' && request.url === parts.endpoint ? directMediaType(request, maxBody) : null;
    if (!mediaType) return onward();
    readBody(request, Number(request.headers['content-length'])).then(
      (body) => answer(parts, request, response, requestId, onward, mediaType, body),
      // The client went away while sending: there is no one to answer.
      () => response.destroy(),
    );
  };
}

async function answer(
  parts: FastPathParts,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  onward: () => void,
  mediaType: string,
  body: Buffer,
): Promise<void> {
  const handOver = () => {
    withBodyRead(request, body);
    onward();
  };
  const params = graphqlParams(body);
  const text = params && queryText(params, parts.trusted);
  const compiled = text && parts.find(text, params.operationName);
  if (!params || !compiled) return handOver();
  let result: ExecutionResult | null;
  try {
    result = await parts.run(compiled, params.variables, parts.context(request.headers.authorization ?? null, requestId, request), request, 'fast');
  } catch {
    // The key's lookup failed: yoga meets it again, and answers it masked and logged.
    result = null;
  }
  if (!result) return handOver();
  sendJson(request, response, requestId, parts.cors, `${mediaType}; charset=utf-8`, JSON.stringify(result));
}

/**
 * The media type yoga would answer a JSON POST with, when its headers let
 * this path take it: JSON content, no content coding, a Content-Length
 * within `maxBody`, and an Accept header yoga answers with JSON.
 */
function directMediaType(request: IncomingMessage, maxBody: number): string | null {
  const { headers } = request;
  const length = headers['content-length'];
  if (!length || !/^[1-9]\d*$/.test(length) || Number(length) > maxBody) return null;
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return null;
  // Yoga's own test (isContentTypeMatch): the first of a list, exactly, or with parameters.
  const contentType = headers['content-type']?.split(',')[0];
  if (contentType !== 'application/json' && !contentType?.startsWith('application/json;')) return null;
  return regularMediaType(headers.accept);
}

const REGULAR_TYPES = ['application/graphql-response+json', 'application/json'] as const;

/**
 * Yoga's choice of result processor (useResultProcessors), for the regular
 * one: the Accept header's media types are tried last to first (q-values are
 * not read, and a charset other than utf-8 drops its type); the last match
 * wins, and the regular processor is tried after the SSE and multipart ones,
 * so it wins whenever it matches. Null: it does not match, and yoga answers
 * with another processor or 406.
 */
export function regularMediaType(accept: string | undefined): string | null {
  let chosen: string | null = null;
  const types = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',').reverse();
  for (const type of types) {
    const [mediaType, ...params] = type.split(';');
    const charset = params.find((param) => param.includes('charset=')) ?? 'charset=utf-8';
    if (charset !== 'charset=utf-8' || mediaType === undefined) continue;
    const [pre, suf] = mediaType.split('/');
    for (const regular of REGULAR_TYPES) {
      const [rPre, rSuf] = regular.split('/');
      if ((pre === '*' || pre === rPre) && (suf === '*' || suf === rSuf)) chosen = regular;
    }
  }
  return chosen;
}

/** The request body, all of it: `length` is its Content-Length, which node's parser holds the body to. */
function readBody(request: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let ended = false;
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
    });
    request.once('error', reject);
    // 'close' follows 'end' on every request; before it, the client went away.
    request.once('close', () => ended || reject(new Error('request closed before its body ended')));
  });
}

const PARAMS = new Set(['query', 'variables', 'operationName', 'extensions', 'documentId']);

interface Params extends RequestParams {
  operationName: string | null;
  variables: Record<string, unknown>;
}

/**
 * A JSON body's GraphQL parameters, when yoga would read them as they are:
 * an object whose only non-null keys are GraphQL over HTTP's, with
 * `operationName` a string and `variables` an object.
 */
function graphqlParams(body: Buffer): Params | null {
  let params: unknown;
  try {
    params = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return null;
  const { query, variables, operationName, extensions, documentId } = params as Record<string, unknown>;
  for (const key in params) if (!PARAMS.has(key) && (params as Record<string, unknown>)[key] != null) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  return { query, documentId, extensions, operationName: (operationName as string | undefined) ?? null, variables: (variables as Record<string, unknown> | undefined) ?? {} };
}

/**
 * The text this path runs: the query, when it comes with no `extensions`
 * (yoga's hooks may read them) and no `documentId`; under trusted documents,
 * the trusted document the request names, when `extensions` hold no more
 * than its id. Undefined: yoga judges the request.
 */
function queryText(params: Params, trusted: TrustedDocuments | null): string | undefined {
  if (!trusted) return params.extensions == null && params.documentId == null && typeof params.query === 'string' ? params.query : undefined;
  const { extensions } = params;
  if (extensions != null && (typeof extensions !== 'object' || Array.isArray(extensions) || Object.keys(extensions).some((key) => key !== 'persistedQuery'))) return undefined;
  return trustedText(trusted, params);
}

/**
 * Leaves the bytes of a request's body, already read from its stream, where
 * a @whatwg-node/server adapter (yoga, fets) reads them: normalizeNodeRequest
 * takes a request whose stream was read from its `body` (as body parsers
 * leave it) when that has own keys, and reads an async iterable of the same
 * bytes as the stream would have been read. (A string would do, but it is
 * checked with Object.keys: one key per character.)
 */
export function withBodyRead(request: IncomingMessage, body: Buffer): void {
  (request as IncomingMessage & { body?: unknown }).body = {
    bytes: body.length,
    async *[Symbol.asyncIterator]() {
      yield body;
    },
  };
}

/**
 * A fast path's success: status 200, the request id, the JSON (encoded
 * once), and the CORS headers yoga or fets would add. Without an Origin
 * header CORS adds nothing, and is not asked. All headers go in one
 * writeHead: a header set before it takes node:http's slower way of merging.
 */
export function sendJson(request: IncomingMessage, response: ServerResponse, requestId: string, cors: CORSOptions, contentType: string, json: string): void {
  const body = Buffer.from(json);
  const headers: Record<string, string> = { 'x-request-id': requestId, 'content-type': contentType, 'content-length': String(body.length) };
  if (request.headers.origin !== undefined) {
    const added = getCORSHeadersByRequestAndOptions(corsRequest(request), cors);
    for (const name in added) headers[name.toLowerCase()] = added[name]!;
  }
  response.writeHead(200, headers);
  response.end(body);
}

/** What getCORSHeadersByRequestAndOptions reads of a request: its headers. */
function corsRequest(request: IncomingMessage): Request {
  const { headers } = request;
  return { headers: { get: (name: string) => (headers[name] as string | undefined) ?? null } } as unknown as Request;
}
