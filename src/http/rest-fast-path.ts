import type { IncomingMessage } from 'node:http';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { CORSOptions } from '@whatwg-node/server';
import type { Scope } from '../domain/scope.ts';
import { findModel, listModels } from '../rest/models.ts';
import { modelJson } from '../rest/model-json.ts';
import { ListQuery } from '../rest/schemas.ts';
import { sendJson, type FastPath } from './graphql-fast-path.ts';

/**
 * The REST fast path of the front door: the two reads (a page of models, a
 * model) answered straight from node:http, as the GraphQL fast path answers
 * compiled queries. fets serves a request through the fetch API — a Request,
 * its URL and query parsed, the server adapter's hooks, a Response copied onto
 * the node response — which cost more than the read itself.
 *
 * This path runs the same operations (rest/models.ts) with the same
 * validation (the route's TypeBox schema) and identity, and writes what fets
 * writes for a success: status 200, the request id, the JSON, CORS
 * headers. It takes only a plain GET whose path segments are plain ids and
 * whose query string is plain (each parameter once, valid percent-escapes);
 * anything else, and any answer but a success — invalid parameters, no
 * viewer, not found, an error — goes onward to fets as it arrived, so every
 * refusal is fets's. test/rest-fast-path.test.ts compares both.
 */
export interface RestFastPathParts {
  cors: CORSOptions;
  /** http/app.ts's scopeFor: fets, given the request, reuses its identity. */
  scopeFor(authorization: string | null, requestId: string, request: IncomingMessage): Promise<Scope>;
}

const LIST = /^\/v1\/workspaces\/([A-Za-z0-9_]+)\/models$/;
const ONE = /^\/v1\/workspaces\/([A-Za-z0-9_]+)\/models\/([A-Za-z0-9_]+)$/;
/** A query string URLSearchParams and fets's qs read alike: no brackets, no stray '%'. */
const PLAIN_QUERY = /^(?:[A-Za-z0-9_\-.~=&+,]|%[0-9A-Fa-f]{2})*$/;
const listQuery = TypeCompiler.Compile(ListQuery);

export function createRestFastPath(parts: RestFastPathParts): FastPath {
  return (request, response, requestId, handOver) => {
    const { headers } = request;
    if (request.method !== 'GET' || headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return handOver();
    const url = request.url ?? '';
    const at = url.indexOf('?');
    const path = at === -1 ? url : url.slice(0, at);
    const list = LIST.exec(path);
    const one = list ? null : ONE.exec(path);
    if (!list && !one) return handOver();
    let query: unknown = {};
    if (list && at !== -1) {
      query = plainQuery(url.slice(at + 1));
      if (query === null || !/^[0-9]*$/.test((query as { limit?: string }).limit ?? '')) return handOver();
      query = Value.Convert(ListQuery, query);
      if (!listQuery.Check(query)) return handOver();
    }
    const answer = async (): Promise<unknown> => {
      const scope = await parts.scopeFor(headers.authorization ?? null, requestId, request);
      if (!scope.viewer) return null;
      return list ? listModels(scope, list[1]!, query as never) : modelJson(await findModel(scope, one![1]!, one![2]!));
    };
    answer().then(
      (body) => (body === null ? handOver() : sendJson(request, response, requestId, parts.cors, 'application/json; charset=utf-8', JSON.stringify(body))),
      // Refusals and failures are fets's to answer (and log).
      handOver,
    );
  };
}

/** Each parameter once, as fets's qs would read it; null when it might read it otherwise. */
function plainQuery(search: string): Record<string, string> | null {
  if (!PLAIN_QUERY.test(search)) return null;
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === '' || Object.hasOwn(query, key)) return null;
    query[key] = value;
  }
  return query;
}
