/**
 * Subscribers of `modelStatusChanged` as a client in another process would
 * be one, over both transports of DESIGN.md "Live updates and history": GraphQL
 * over SSE (a POST with `Accept: text/event-stream`, read as it streams) and
 * the graphql-ws protocol (graphql-ws's own client on `ws`). Each subscriber
 * is one connection of its own and records what it received and when, for the
 * multi-process tests and the fan-out bench alike.
 */
import http from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { readSseEvents, STATUS_CHANGED } from './live.ts';

export { until } from './live.ts';

export type Transport = 'sse' | 'ws';


/** One event as received: the fields of the subscription, flattened, and when it arrived (performance.now()). */
export interface LiveEvent {
  modelId: string;
  /** The model's status as the event carries it: the status just after the change. */
  status: string;
  from: string;
  to: string;
  profileId: string;
  requestId: string | null;
  at: string;
  receivedAt: number;
}

/** A GraphQL error as a transport delivered it. */
export interface LiveError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface Subscriber {
  transport: Transport;
  /** Every event received so far, in arrival order. */
  events: LiveEvent[];
  /** GraphQL errors: a result with `errors` (SSE, or graphql-ws `next`), or graphql-ws `error`. */
  errors: LiveError[];
  /** Anything else that went wrong: an HTTP status other than 200, a closed socket, an unreadable event. */
  failures: string[];
  /** The server ended the subscription (SSE `complete`, graphql-ws `complete`). */
  completed: boolean;
  /** Resolves once the server has answered: SSE's response head, graphql-ws's connection_ack; rejects on neither. */
  opened: Promise<void>;
  /** Calls `listener` for each event from now on (the bench times arrivals with it). */
  onEvent(listener: (event: LiveEvent) => void): void;
  /** Ends the subscription and closes its connection. */
  close(): void;
}

export interface SubscribeOptions {
  /** http://host:port/graphql of a server process. */
  url: string;
  /** An API key, sent as `Authorization: Bearer <key>` (the header for SSE, connection_init's payload for graphql-ws). */
  key: string;
  workspaceId: string;
}

export const subscribe = (transport: Transport, options: SubscribeOptions): Subscriber =>
  transport === 'sse' ? subscribeSse(options) : subscribeWs(options);

/** The state both transports share; `deliver` takes one GraphQL result of the subscription. */
function recorder(transport: Transport) {
  const listeners: ((event: LiveEvent) => void)[] = [];
  const state = {
    transport,
    events: [] as LiveEvent[],
    errors: [] as LiveError[],
    failures: [] as string[],
    completed: false,
    onEvent: (listener: (event: LiveEvent) => void) => void listeners.push(listener),
    deliver(result: { data?: { modelStatusChanged?: RawChange } | null; errors?: LiveError[] }, receivedAt: number) {
      if (result.errors?.length) state.errors.push(...result.errors);
      const change = result.data?.modelStatusChanged;
      if (!change) return;
      const event: LiveEvent = {
        modelId: change.model.id,
        status: change.model.spec.status,
        from: change.from,
        to: change.to,
        profileId: change.profileId,
        requestId: change.requestId,
        at: change.at,
        receivedAt,
      };
      state.events.push(event);
      for (const listener of listeners) listener(event);
    },
  };
  return state;
}

interface RawChange {
  model: { id: string; spec: { status: string } };
  from: string;
  to: string;
  profileId: string;
  requestId: string | null;
  at: string;
}

/**
 * GraphQL over SSE as yoga serves it: events are blocks separated by a blank
 * line, `event: next` with the result as `data:`, `event: complete` at the
 * end, and `:` comment lines as keep-alive pings. A connection of its own
 * (no agent), so closing it ends exactly this subscription.
 */
function subscribeSse({ url, key, workspaceId }: SubscribeOptions): Subscriber {
  const state = recorder('sse');
  const body = JSON.stringify({ query: STATUS_CHANGED, variables: { workspaceId } });
  let closed = false;
  const request = http.request(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${key}`, 'content-length': Buffer.byteLength(body) },
  });
  const opened = new Promise<void>((resolve, reject) => {
    request.on('error', (error) => {
      if (!closed) state.failures.push(`request: ${error.message}`);
      reject(error);
    });
    request.on('response', (response) => {
      resolve();
      response.setEncoding('utf8');
      let buffered = '';
      if (response.statusCode !== 200 || !String(response.headers['content-type']).startsWith('text/event-stream')) {
        response.on('data', (chunk: string) => (buffered += chunk));
        response.on('end', () => {
          state.failures.push(`HTTP ${response.statusCode} ${response.headers['content-type']}: ${buffered.slice(0, 500)}`);
          // A JSON answer instead of a stream (e.g. 401) still carries GraphQL errors.
          try {
            state.deliver(JSON.parse(buffered), performance.now());
          } catch {
            // not JSON: the failure above says what it was
          }
        });
        return;
      }
      response.on('data', (chunk: string) => {
        const receivedAt = performance.now();
        const { events, rest } = readSseEvents(buffered + chunk);
        buffered = rest;
        for (const { event, data } of events) readSseEvent(event, data, receivedAt);
      });
      response.on('error', (error) => {
        if (!closed) state.failures.push(`stream: ${error.message}`);
      });
      response.on('close', () => {
        if (!closed && !state.completed) state.failures.push('the server closed the stream');
      });
    });
  });
  opened.catch(() => {}); // recorded in failures
  const readSseEvent = (event: string | undefined, data: string, receivedAt: number) => {
    if (event === 'complete') {
      state.completed = true;
      return;
    }
    try {
      state.deliver(JSON.parse(data), receivedAt);
    } catch (error) {
      state.failures.push(`unreadable event ${event}: ${data.slice(0, 200)} (${(error as Error).message})`);
    }
  };
  request.end(body);
  return asSubscriber(state, opened, () => {
    closed = true;
    request.destroy();
  });
}

/** graphql-ws's client, one socket per subscriber, never retrying: a lost socket is a failure to report. */
function subscribeWs({ url, key, workspaceId }: SubscribeOptions): Subscriber {
  const state = recorder('ws');
  let closed = false;
  let acknowledged: () => void = () => {};
  let refused: (error: Error) => void = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    acknowledged = resolve;
    refused = reject;
  });
  opened.catch(() => {}); // recorded in failures
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${key}` },
    lazy: false,
    retryAttempts: 0,
    on: {
      connected: () => acknowledged(),
      closed: (event) => {
        const { code, reason } = event as { code?: number; reason?: string };
        if (!closed) state.failures.push(`socket closed: ${code} ${reason ?? ''}`.trim());
        refused(new Error(`socket closed before connection_ack: ${code} ${reason ?? ''}`));
      },
      error: (error) => {
        if (!closed) state.failures.push(`socket error: ${(error as Error).message ?? String(error)}`);
      },
    },
  });
  const unsubscribe = client.subscribe<{ modelStatusChanged: RawChange }>(
    { query: STATUS_CHANGED, variables: { workspaceId } },
    {
      next: (result) => state.deliver(result as Parameters<typeof state.deliver>[0], performance.now()),
      error: (error) => {
        // An array is the `error` message's GraphQL errors; anything else is the socket's end, recorded by `closed`.
        if (Array.isArray(error)) state.errors.push(...(error as LiveError[]));
      },
      complete: () => (state.completed = true),
    },
  );
  return asSubscriber(state, opened, () => {
    closed = true;
    unsubscribe();
    void client.dispose();
  });
}

/** A recorder as a Subscriber: `completed` read live, the transport's `opened` and `close`. */
function asSubscriber(state: ReturnType<typeof recorder>, opened: Promise<void>, close: () => void): Subscriber {
  return {
    ...state,
    get completed() {
      return state.completed;
    },
    opened,
    close,
  };
}

/** A server process as these clients observe it from outside: its /metrics, and the gc probe it was started with. */
export interface ServerReading {
  /** process_resident_memory_bytes */
  rssBytes: number;
  /** nodejs_heap_size_used_bytes */
  heapUsedBytes: number;
  /** nodejs_active_handles_total: sockets, timers, servers… */
  handles: number;
  /** process_open_fds */
  openFds: number;
  /** The server's gauge of open subscriptions, when it has one (see OPEN_SUBSCRIPTIONS); null otherwise. */
  openSubscriptions: number | null;
}

/** The gauge of subscribers connected to a process, SSE and WebSocket, on /metrics (src/http/metrics.ts). */
export const OPEN_SUBSCRIPTIONS = 'live_subscribers';

/** The sum of a metric's series in a Prometheus exposition text, or null when it has none. */
export function metricValue(text: string, name: string): number | null {
  let total: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !(line.startsWith(`${name} `) || line.startsWith(`${name}{`))) continue;
    total = (total ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** Reads GET /metrics of the server at `origin` (http://host:port). */
export async function readServer(origin: string): Promise<ServerReading> {
  const response = await fetch(`${origin}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /metrics: HTTP ${response.status}: ${text.slice(0, 300)}`);
  const required = (name: string) => {
    const value = metricValue(text, name);
    if (value === null) throw new Error(`/metrics has no ${name}`);
    return value;
  };
  return {
    rssBytes: required('process_resident_memory_bytes'),
    heapUsedBytes: required('nodejs_heap_size_used_bytes'),
    handles: required('nodejs_active_handles_total'),
    openFds: required('process_open_fds'),
    openSubscriptions: metricValue(text, OPEN_SUBSCRIPTIONS),
  };
}

/** Node arguments that load the gc probe (test/gc-probe.mjs) before the server's own. */
export const GC_PROBE_ARGS = ['--expose-gc', '--import', new URL('./gc-probe.mjs', import.meta.url).pathname];

/**
 * A full garbage collection in a server started with GC_PROBE_ARGS: signals
 * it and waits (at most 10 s) for its `gc-probe <n>` line in `output`.
 */
export async function collectGarbage(pid: number, output: () => string): Promise<void> {
  const done = (output().match(/^gc-probe \d+$/gm) ?? []).length;
  process.kill(pid, 'SIGUSR2');
  const deadline = performance.now() + 10_000;
  while ((output().match(/^gc-probe \d+$/gm) ?? []).length <= done) {
    if (performance.now() > deadline) throw new Error(`process ${pid} printed no gc-probe line within 10 s: was it started with GC_PROBE_ARGS?`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A GraphQL operation over plain HTTP, with the request id the front door gave it. */
export async function graphql<Data = any>(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; requestId: string | null; body: { data?: Data | null; errors?: LiveError[] } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.json() };
}

export const SET_MODEL_STATUS = /* GraphQL */ `
  mutation SetModelStatus($id: ID!, $status: ModelStatus!) {
    setModelStatus(input: { id: $id, status: $status }) { model { id spec { status } } userErrors { code message } }
  }`;

export type ModelStatus = 'MODEL_STATUS_ENABLED' | 'MODEL_STATUS_DISABLED';
export const opposite = (status: ModelStatus): ModelStatus => (status === 'MODEL_STATUS_ENABLED' ? 'MODEL_STATUS_DISABLED' : 'MODEL_STATUS_ENABLED');

/** setModelStatus on the server at `url`; throws unless it changed the status. Returns the request's id (what the event's requestId is). */
export async function setModelStatus(url: string, key: string, id: string, status: ModelStatus): Promise<string> {
  const { status: http, requestId, body } = await graphql<{ setModelStatus: { model: { spec: { status: string } } | null; userErrors: unknown[] } }>(
    url,
    key,
    SET_MODEL_STATUS,
    { id, status },
  );
  const payload = body.data?.setModelStatus;
  if (http !== 200 || body.errors || !payload || payload.userErrors.length > 0 || payload.model?.spec.status !== status || !requestId) {
    throw new Error(`setModelStatus(${id}, ${status}) on ${url}: HTTP ${http} ${JSON.stringify(body).slice(0, 500)}`);
  }
  return requestId;
}
