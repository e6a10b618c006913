import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { withExtensions } from './errors.ts';
import type { Logger } from './logger.ts';

/** A request's id and when it began. */
export interface RequestEntry {
  id: string;
  started: number;
}

/**
 * Every request gets an id: in the `x-request-id` header, in every error of its
 * response (whatever stage refused it), and in one log line when it ends.
 * Yoga's requests get theirs in `plugin`; a request the direct path
 * (direct-http.ts) begins keeps its entry if it hands the request to yoga.
 */
export interface RequestLog {
  plugin: Plugin;
  /** The entry of a yoga Request, begun when yoga first saw it (or now). */
  entry(request: Request): RequestEntry;
  /** Begins a node:http request's entry. */
  begin(request: IncomingMessage): RequestEntry;
  /** Its one log line, when it has ended. */
  end(entry: RequestEntry, method: string, path: string, status: number): void;
}

export function createRequestLog(log: Logger): RequestLog {
  const entries = new WeakMap<object, RequestEntry>();
  const begin = (request: object): RequestEntry => {
    const entry = { id: randomUUID(), started: performance.now() };
    entries.set(request, entry);
    return entry;
  };
  const end: RequestLog['end'] = (entry, method, path, status) => {
    if (!log.isLevelEnabled('info')) return;
    log.info({ requestId: entry.id, method, path, status, ms: Math.round(performance.now() - entry.started) }, 'request');
  };
  const plugin: Plugin = {
    onRequest({ request, serverContext }) {
      const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
      const begun = req && entries.get(req);
      if (begun) entries.set(request, begun);
      else begin(request);
    },
    onResultProcess({ request, result, setResult }) {
      const id = entries.get(request)?.id;
      if (!id || Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      // Every error has a code: ours and yoga's do; the rest (e.g. the CSRF check) are bad requests.
      const annotate = (error: GraphQLError) => withExtensions(error, { code: error.extensions?.code ?? 'BAD_REQUEST', requestId: id });
      setResult({ ...result, errors: result.errors.map((error) => annotate(error as GraphQLError)) });
    },
    onResponse({ request, response }) {
      const entry = entries.get(request);
      if (!entry) return;
      response.headers.set('x-request-id', entry.id);
      if (log.isLevelEnabled('info')) end(entry, request.method, new URL(request.url).pathname, response.status);
    },
  };
  return {
    plugin,
    entry: (request) => entries.get(request) ?? begin(request),
    begin,
    end,
  };
}
