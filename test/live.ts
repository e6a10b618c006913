import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** Subscribing as a client would, over a real socket: GraphQL over SSE with fetch, graphql-ws with `ws`. */

export const STATUS_CHANGED = /* GraphQL */ `
  subscription StatusChanged($workspaceId: ID!) {
    modelStatusChanged(workspaceId: $workspaceId) {
      model { id spec { status } }
      from
      to
      profileId
      requestId
      at
    }
  }
`;

export interface Result {
  data?: any;
  errors?: { message: string; extensions?: Record<string, any> }[];
}

/** A stream of results; `next` resolves with the next one, or null when the stream ended or nothing came within `ms`. */
export interface Stream {
  next(ms?: number): Promise<Result | null>;
  close(): void;
}

export interface SseStream extends Stream {
  status: number;
  headers: Headers;
}

/** One event of a GraphQL-over-SSE stream: its `event:` name and its `data:` lines joined. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/**
 * The complete events at the start of `buffer` (blocks ending in a blank
 * line), and what is left of it. Comment lines (`:`, yoga's keep-alive pings)
 * are skipped; a block of only comments is no event.
 */
export function readSseEvents(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  let end: number;
  while ((end = buffer.indexOf('\n\n')) !== -1) {
    const lines = buffer
      .slice(0, end)
      .split('\n')
      .filter((line) => !line.startsWith(':'));
    buffer = buffer.slice(end + 2);
    if (lines.length === 0) continue;
    const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim();
    const data = lines
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    events.push({ event, data });
  }
  return { events, rest: buffer };
}

/** A GraphQL request asking for an event stream (POST by default; GET puts the parameters in the query string). */
export async function sse(
  base: string,
  params: Record<string, unknown>,
  { key, method = 'POST' }: { key?: string | null; method?: 'GET' | 'POST' } = {},
): Promise<SseStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) };
  let url = `${base}/graphql`;
  let body: string | undefined;
  if (method === 'GET') {
    // Yoga's CSRF prevention: a GET must carry this header (a browser's cross-site GET cannot).
    headers['x-graphql-yoga-csrf'] = '1';
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    url += `?${query}`;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(params);
  }
  const response = await fetch(url, { method, headers, body, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let ended = false;
  const pending: Result[] = [];
  let reading: Promise<void> | null = null;
  /** Reads until at least one more `next` event is buffered, or the stream ends. */
  const readMore = async () => {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done) {
      ended = true;
      return;
    }
    const { events, rest } = readSseEvents(buffer + decoder.decode(value, { stream: true }));
    buffer = rest;
    for (const { event, data } of events) {
      if (event === 'complete') ended = true;
      else if (data) pending.push(JSON.parse(data) as Result);
    }
  };
  return {
    status: response.status,
    headers: response.headers,
    async next(ms = 5_000) {
      const deadline = performance.now() + ms;
      while (pending.length === 0 && !ended && performance.now() < deadline) {
        reading ??= readMore().finally(() => (reading = null));
        await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - performance.now())))]);
      }
      return pending.shift() ?? null;
    },
    close: () => controller.abort(),
  };
}

export function wsClient(base: string, key: string | null, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: `${base.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: connectionParams ?? (key ? { Authorization: `Bearer ${key}` } : {}),
    retryAttempts: 0,
    lazy: true,
  });
}

/** One operation over a graphql-ws client, as a stream of its results. */
export function wsStream(client: Client, payload: { query: string; variables?: Record<string, unknown>; operationName?: string; extensions?: Record<string, unknown> }): Stream {
  const pending: Result[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const push = () => {
    wake?.();
    wake = null;
  };
  const dispose = client.subscribe(payload, {
    next: (result) => {
      pending.push(result as Result);
      push();
    },
    error: (error) => {
      // graphql-ws hands early GraphQL errors (validation, trusted documents…) as an array.
      if (Array.isArray(error)) pending.push({ errors: error as Result['errors'] });
      else pending.push({ errors: [{ message: String((error as { reason?: string }).reason ?? error), extensions: { closeCode: (error as { code?: number }).code } }] });
      ended = true;
      push();
    },
    complete: () => {
      ended = true;
      push();
    },
  });
  return {
    async next(ms = 5_000) {
      if (pending.length === 0 && !ended) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return pending.shift() ?? null;
    },
    close: dispose,
  };
}

/** The close code of a raw graphql-ws connection that sends connection_init with `payload`. */
export function closeCodeOf(base: string, payload: Record<string, unknown> | undefined, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) })));
    socket.on('close', (code) => resolve(code));
    socket.on('error', reject);
  });
}

/** Waits (at most `ms`) until `condition` holds, checking every 10 ms; false if the time passed first. */
export async function until(condition: () => boolean | Promise<boolean>, ms = 5_000): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
