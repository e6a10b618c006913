import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { withExtensions } from '../graphql/errors.ts';
import type { Logger } from '../logger.ts';

/** A request's id and when it began. */
export interface RequestEntry {
  id: string;
  started: number;
  /** Begun by the front door, which sets the header and writes the log line; else by yoga (yoga.fetch in tests). */
  frontDoor: boolean;
}

/**
 * Every request gets an id: in the `x-request-id` header, in every error of its
 * response (whatever stage or surface refused it), and in one log line when it
 * ends. The front door (front-door.ts) begins the entry of every request it
 * receives; `plugin` hands yoga the same entry, and begins one of its own for a
 * request that reached yoga without the front door.
 */
export interface RequestLog {
  plugin: Plugin;
  /** Begins a node:http request's entry (the front door). */
  begin(request: IncomingMessage): RequestEntry;
  /** The id of a yoga Request: its front-door entry's, or its own. */
  idOf(request: Request): string;
  /** The id of the node:http request behind a server context (fets, yoga), or a new one without it. */
  idOfContext(serverContext: { req?: IncomingMessage }): string;
  /** Begins the entry of an operation that is not an HTTP request of its own (one over a WebSocket). */
  open(): RequestEntry;
  /** Its one log line, when it has ended. */
  end(entry: RequestEntry, method: string, path: string, status: number): void;
}

/** A node:http request's entry rides on the request itself: a WeakMap entry per request showed in the collector's work. */
const ENTRY = Symbol('request entry');
type WithEntry = IncomingMessage & { [ENTRY]?: RequestEntry };

export function createRequestLog(log: Logger): RequestLog {
  // Yoga's Request objects (the yoga path only).
  const entries = new WeakMap<Request, RequestEntry>();
  const newEntry = (frontDoor: boolean): RequestEntry => ({ id: randomUUID(), started: performance.now(), frontDoor });
  const begin = (request: Request): RequestEntry => {
    const entry = newEntry(false);
    entries.set(request, entry);
    return entry;
  };
  const end: RequestLog['end'] = (entry, method, path, status) => {
    if (!log.isLevelEnabled('info')) return;
    log.info({ requestId: entry.id, method, path, status, ms: Math.round(performance.now() - entry.started) }, 'request');
  };
  const plugin: Plugin = {
    onRequest({ request, serverContext }) {
      const begun = (serverContext as { req?: WithEntry } | undefined)?.req?.[ENTRY];
      if (begun) entries.set(request, begun);
      else begin(request);
    },
    onResultProcess({ request, result, setResult }) {
      const id = entries.get(request)?.id;
      if (!id || Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      setResult({ ...result, errors: withRequestId(result.errors as readonly GraphQLError[], id) });
    },
    // The events of a subscription (SSE or WebSocket) never reach onResultProcess one by one.
    onSubscribe({ args }) {
      const id = (args.contextValue as { requestId?: string }).requestId;
      if (!id) return;
      return {
        onSubscribeResult: ({ result }) =>
          isAsyncIterable(result)
            ? {
                onNext({ result: event, setResult }) {
                  if (event.errors?.length) setResult({ ...event, errors: withRequestId(event.errors, id) });
                },
              }
            : undefined,
      };
    },
    onResponse({ request, response }) {
      const entry = entries.get(request);
      if (!entry || entry.frontDoor) return;
      response.headers.set('x-request-id', entry.id);
      end(entry, request.method, new URL(request.url).pathname, response.status);
    },
  };
  return {
    plugin,
    begin: (request) => ((request as WithEntry)[ENTRY] = newEntry(true)),
    open: () => newEntry(true),
    idOf: (request) => (entries.get(request) ?? begin(request)).id,
    idOfContext: (serverContext) => (serverContext.req as WithEntry | undefined)?.[ENTRY]?.id ?? randomUUID(),
    end,
  };
}

/** Every error of a response carries its request id and a code: ours and yoga's have one; the rest (e.g. the CSRF check) are bad requests. */
export function withRequestId(errors: readonly GraphQLError[], requestId: string): GraphQLError[] {
  return errors.map((error) => withExtensions(error, { code: error.extensions?.code ?? 'BAD_REQUEST', requestId }));
}
